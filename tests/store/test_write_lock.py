"""One writer at a time: every write method takes the store's write lock, and a caller can hold it
around a read-decide-write sequence so that no other write lands in between."""

from __future__ import annotations

import threading
import time

from graph.store import GraphStore
from tests.store.support import G1, G2, data_size, quad


def test_writes_wait_for_a_held_write_lock(store: GraphStore) -> None:
    holding, release = threading.Event(), threading.Event()
    landed: list[str] = []

    def hold() -> None:
        with store.writing():
            holding.set()
            release.wait(10)
            landed.append("holder")
            store.add([quad("held", "1", G1)])  # re-entrant: the holder still writes

    def write(name: str, graph: object) -> None:
        store.add([quad(name, "2", graph)])  # type: ignore[arg-type]
        landed.append(name)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    writers = [threading.Thread(target=write, args=(f"w{i}", G2)) for i in range(2)]
    dropper = threading.Thread(target=store.drop_graph, args=(G1,))
    for thread in [*writers, dropper]:
        thread.start()
    time.sleep(0.2)
    assert landed == [] and data_size(store) == 0, "a write landed while another caller held the lock"
    release.set()
    for thread in [holder, *writers, dropper]:
        thread.join(10)
    assert landed[0] == "holder" and sorted(landed[1:]) == ["w0", "w1"]
    assert store.graph_size(G2) == 2


def test_two_threads_writing_land_every_quad(store: GraphStore) -> None:
    def write(prefix: str) -> None:
        for i in range(200):
            store.add([quad(f"{prefix}{i}", str(i), G1)])
            if i % 50 == 0:
                store.remove([quad(f"{prefix}{i}", str(i), G1)])

    threads = [threading.Thread(target=write, args=(prefix,)) for prefix in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert store.graph_size(G1) == 2 * (200 - 4)


def test_reads_do_not_wait_for_the_write_lock(store: GraphStore) -> None:
    store.add([quad("a", "1", G1)])
    with store.writing():
        done: list[int] = []
        reader = threading.Thread(target=lambda: done.append(len(list(store.select("SELECT * { ?s ?p ?o }", default_graph=[G1])))))
        reader.start()
        reader.join(5)
        assert done == [1]
