def call(m):
    m.run(7)


def check(m):
    assert m.run(7) == ("item-7", 7000)
