import threading
import time


def clear_while_released(m, chunks):
    while not m.gil_released():
        time.sleep(0.0005)
    chunks.clear()  # drops the list's reference: the only one
    m.other_thread_done()


def run_once(m):
    chunks = [bytes(range(1, 201)) * 5]  # a fresh bytes object, 1000 bytes
    t = threading.Thread(target=clear_while_released, args=(m, chunks))
    t.start()
    total = m.run(chunks)
    t.join()
    return total


def call(m):
    run_once(m)


def check(m):
    expected = sum(range(1, 201)) * 5
    for _ in range(5):
        total = run_once(m)
        assert total == expected, "checksum %d, expected %d" % (total, expected)
