def call(m):
    m.run(10**30 + 7)


def check(m):
    expected = "<%d>" % (10**30 + 7)
    for _ in range(20):
        got = m.run(10**30 + 7)
        assert got == expected, "got %r" % got[:40]
