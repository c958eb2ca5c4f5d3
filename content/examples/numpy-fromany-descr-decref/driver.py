import sys

import numpy

# Debian's NumPy is built for the release ABI, so its own reference changes do not reach the debug build's
# sys.gettotalrefcount(). Every float64 descriptor holds a reference to the numpy.float64 scalar type, and every
# array holds its descriptor, so a leaked descriptor or array shows up in that type's reference count.
METRIC = "references to numpy.float64"


def refs():
    return sys.getrefcount(numpy.float64)


def call(m):
    m.run([1.5, 2.5, 3.0])
    try:
        m.run([[1.0], [2.0]])  # 2-d input to a 1-d conversion: fails, and must still consume the descriptor
    except ValueError:
        pass


def check(m):
    assert float(m.run([1.5, 2.5, 3.0])) == 7.0
    try:
        m.run([[1.0], [2.0]])
    except ValueError:
        pass
    else:
        raise AssertionError("expected ValueError for 2-d input")
