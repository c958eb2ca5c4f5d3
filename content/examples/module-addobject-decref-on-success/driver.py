import types


def call(m):
    target = types.ModuleType("target")
    m.run(target)
    assert target.answer == [42]


def check(m):
    call(m)
