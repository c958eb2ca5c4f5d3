def call(m):
    m.run(3)


def check(m):
    assert m.run(4) == b"0,1,2,3,"
