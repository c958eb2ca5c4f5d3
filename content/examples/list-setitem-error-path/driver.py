def call(m):
    try:
        m.run([None], 5)
    except IndexError:
        pass


def check(m):
    items = [None, None]
    m.run(items, 1)
    assert items == [None, 1000001]
    try:
        m.run(items, 7)
    except IndexError:
        pass
    else:
        raise AssertionError("expected IndexError")
