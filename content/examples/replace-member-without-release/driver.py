class Value:
    pass


def call(m):
    m.run(Value())
