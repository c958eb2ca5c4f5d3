class Key:
    pass


def call(m):
    k = Key()
    d = m.run(k, [1, 2, 3])
    assert list(d) == [k]


def check(m):
    call(m)
