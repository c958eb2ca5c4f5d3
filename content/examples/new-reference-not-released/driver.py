def call(m):
    m.run(123456)


def check(m):
    assert m.run(600) is True
    assert m.run(3) is False
