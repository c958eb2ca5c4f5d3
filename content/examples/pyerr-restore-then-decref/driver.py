def fail():
    raise KeyError("missing")


def call(m):
    try:
        m.run(fail)
    except KeyError:
        pass


def check(m):
    try:
        m.run(fail)
    except KeyError as e:
        assert e.args == ("missing",)
    else:
        raise AssertionError("expected KeyError")
