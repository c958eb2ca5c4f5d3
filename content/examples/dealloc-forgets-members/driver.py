def call(m):
    m.Box([1, 2, 3])


def check(m):
    b = m.Box("x")
    assert b.value == "x"
