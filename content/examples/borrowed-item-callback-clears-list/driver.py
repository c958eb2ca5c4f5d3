class Item:
    def __repr__(self):
        return "Item()"


def call(m):
    items = [Item()]
    m.run(items, items.clear)


def check(m):
    items = [Item()]
    assert m.run(items, items.clear) == "Item()"
    assert items == []
