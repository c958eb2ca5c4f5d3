def call(m):
    m.run(5)


def check(m):
    assert m.run(5) == [5000, 10000, 15000]
