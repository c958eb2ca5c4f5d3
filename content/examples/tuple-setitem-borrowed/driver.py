class Token:
    pass


def call(m):
    m.run(Token())


def check(m):
    t = Token()
    assert m.run(t) == (t,)
