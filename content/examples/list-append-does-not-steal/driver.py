def call(m):
    m.run(4)


def check(m):
    assert m.run(3) == ["line 0", "line 1", "line 2"]
