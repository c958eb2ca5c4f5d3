def broken():
    yield 1
    raise ValueError("source failed")


def call(m):
    m.run([1, 2, 3])


def check(m):
    assert m.run([1, 2, 3]) == 3
    try:
        m.run(broken())
    except ValueError:
        pass
    else:
        raise AssertionError("expected the generator's ValueError")
