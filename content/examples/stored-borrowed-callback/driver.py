def call(m):
    m.set_handler(lambda: 7 * 6)  # the lambda's only reference is the argument tuple
    assert m.fire() == 42


def check(m):
    call(m)
