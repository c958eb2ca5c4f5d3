def call(m):
    m.run([0, 1, 2])


def check(m):
    assert m.run([0, 1, 2]) == 2
    assert m.run(x for x in (0, 0, 3)) == 1
