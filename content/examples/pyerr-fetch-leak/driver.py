def fail():
    raise ValueError("ignored")


def call(m):
    m.run(fail)


def check(m):
    assert m.run(fail) is None
    assert m.run(lambda: 5) == 5
