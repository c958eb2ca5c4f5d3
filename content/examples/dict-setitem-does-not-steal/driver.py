def call(m):
    m.run(9)


def check(m):
    assert m.run(9) == {"value": 9000, "negated": -9000}
