def call(m):
    m.run([])


def check(m):
    items = []
    m.run(items)
    assert items == ["x"]
