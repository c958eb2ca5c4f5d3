def call(m):
    m.run(3.0)


def check(m):
    assert m.run(3.0) == (1.5, 6.0)
