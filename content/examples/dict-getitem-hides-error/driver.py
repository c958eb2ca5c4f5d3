def call(m):
    m.run({"a": 1}, "a")
    m.run({"a": 1}, "b")


def check(m):
    assert m.run({"a": 1}, "a") == 1
    assert m.run({"a": 1}, "b") is None
    try:
        m.run({"a": 1}, ["unhashable"])
    except TypeError:
        pass
    else:
        raise AssertionError("an unhashable key must raise TypeError, not read as missing")
