class Thing:
    @property
    def size(self):
        return 10**6 + 1  # a fresh int on every access


def call(m):
    m.run(Thing())


def check(m):
    assert m.run(Thing()) == 2 * (10**6 + 1)
