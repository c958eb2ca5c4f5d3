class Entry:
    def __repr__(self):
        return "Entry()"


def call(m):
    d = {"k": Entry()}
    m.run(d, "k", 0)


def check(m):
    d = {"k": Entry()}
    assert m.run(d, "k", 0) == "Entry()"
    assert m.run(d, "k", 1) == "0"
    assert m.run(d, "other", 1) is None
