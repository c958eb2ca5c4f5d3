def fail():
    raise ValueError("inner")


def call(m):
    try:
        m.run(fail)
    except RuntimeError:
        pass


def check(m):
    try:
        m.run(fail)
    except RuntimeError as e:
        assert isinstance(e.__cause__, ValueError)
        assert e.__cause__.args == ("inner",)
    else:
        raise AssertionError("expected RuntimeError")
