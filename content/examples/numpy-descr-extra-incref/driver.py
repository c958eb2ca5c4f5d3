import sys

import numpy

# Debian's NumPy is built for the release ABI, so its own reference changes do not reach the debug build's
# sys.gettotalrefcount(); count the references to the float64 descriptor instead.
METRIC = "references to numpy.dtype('float64')"
FLOAT64 = numpy.dtype("float64")


def refs():
    return sys.getrefcount(FLOAT64)


def call(m):
    m.run(4)


def check(m):
    a = m.run(4)
    assert a.shape == (4,) and a.dtype is FLOAT64
