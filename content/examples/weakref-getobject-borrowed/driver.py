import weakref


class Node:
    def __repr__(self):
        return "Node()"


def call(m):
    holder = [Node()]
    ref = weakref.ref(holder[0])
    m.run(ref, holder.clear)  # the callback drops the only strong reference


def check(m):
    holder = [Node()]
    ref = weakref.ref(holder[0])
    assert m.run(ref, holder.clear) == "Node()"
    assert m.run(ref, holder.clear) == "<dead>"
