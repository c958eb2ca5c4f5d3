def call(m):
    box = m.Box(None)
    box.value = [box]  # box -> list -> box


class Marker:
    pass


def check(m):
    import gc
    import weakref

    marker = Marker()
    probe = weakref.ref(marker)
    box = m.Box(None)
    box.value = [box, marker]
    del box, marker
    gc.collect()
    assert probe() is None, "the cycle was not collected"
