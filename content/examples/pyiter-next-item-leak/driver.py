def call(m):
    m.run(range(1000, 1005))


def check(m):
    assert m.run(range(1000, 1005)) == sum(range(1000, 1005))
