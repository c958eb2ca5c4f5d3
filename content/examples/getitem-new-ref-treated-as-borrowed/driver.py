class Squares:
    def __getitem__(self, k):
        return k * k * 1000  # a fresh int per lookup


def call(m):
    m.run(Squares(), 12345)


def check(m):
    assert m.run(Squares(), 3) == 9001
    assert m.run({"a": 41}, "a") == 42
