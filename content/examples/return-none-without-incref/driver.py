def call(m):
    m.run(1)


def check(m):
    assert m.run(1) is None
