import types


def call(m):
    try:
        m.run("not a module")  # PyModule_AddObject fails with TypeError
    except TypeError:
        pass


def check(m):
    target = types.ModuleType("target")
    m.run(target)
    assert target.limits == {"max": 100}
