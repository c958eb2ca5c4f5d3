def call(m):
    try:
        m.run(42)
    except KeyError:
        pass


def check(m):
    try:
        m.run(42)
    except KeyError as e:
        assert e.args == ("no entry for 42",)
    else:
        raise AssertionError("expected KeyError")
