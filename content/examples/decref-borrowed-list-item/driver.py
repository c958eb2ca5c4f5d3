def call(m):
    m.run([object()])


def check(m):
    assert m.run([12]) == "12"
