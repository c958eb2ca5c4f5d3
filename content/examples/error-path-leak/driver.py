def call(m):
    try:
        m.run({"id": 10**9})  # no "score": the error path runs
    except KeyError:
        pass


def check(m):
    assert m.run({"id": 1, "score": 2.5}) == {"id": 1, "score": 2.5}
    try:
        m.run({"id": 1})
    except KeyError:
        pass
    else:
        raise AssertionError("expected KeyError")
