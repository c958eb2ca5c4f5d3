import sys


def call(m):
    m.run(1)


def check(m):
    m.run("value")
    assert sys.modules["_example_registry"].last == "value"
