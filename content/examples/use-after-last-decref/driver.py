def call(m):
    m.run(7)


def check(m):
    assert m.run(7) == str(7 * 1000003)
