"""The store version (graph.store.versioning) on every backend: every write replaces it with one
never seen before, a write that fails leaves it, and a request reads it once unless it writes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graph.store import GraphStore, open_scratch, open_store, versioning
from tests.store.support import G1, G2, quad

WRITES: dict[str, Callable[[GraphStore], None]] = {
    "add": lambda s: s.add([quad("a", "1", G1)]),
    "bulk_add": lambda s: s.bulk_add([quad("b", "2", G2)]),
    "update": lambda s: s.update(f"INSERT DATA {{ GRAPH {G1} {{ <urn:contract:c> <urn:contract:p> 'u' }} }}"),
    "update ending in ';' and a comment": lambda s: s.update(f"CLEAR SILENT GRAPH {G2} ; # done"),
    "remove": lambda s: s.remove([quad("a", "1", G1)]),
    "add_graph": lambda s: s.add_graph(G2),
    "drop_graph": lambda s: s.drop_graph(G2),
}


def test_every_write_leaves_a_version_never_seen_before(store: GraphStore) -> None:
    seen = {versioning.read(store)}
    for name, write in WRITES.items():
        write(store)
        version = versioning.read(store)
        assert version not in seen, f"{name} did not change the store version"
        assert len(version.split()) == 1, f"{name} left {version!r}: one token expected after a write that ran alone"
        seen.add(version)


def test_a_failed_write_keeps_the_version(store: GraphStore) -> None:
    store.add([quad("a", "1", G1)])
    before = versioning.read(store)
    with pytest.raises(SyntaxError):
        store.update("INSERT NOTHING")
    assert versioning.read(store) == before


def test_a_request_reads_the_version_once_unless_it_writes(store: GraphStore) -> None:
    store.add([quad("a", "1", G1)])
    with versioning.pinned():
        first = versioning.current(store)
        # A write this process did not record (another worker's) stays unseen until the next request.
        _write_elsewhere(store, versioning.bump_text(versioning.new_token()))
        assert versioning.current(store) == first
        store.add([quad("b", "2", G1)])  # this process writes: the request sees its own write
        after_own = versioning.current(store)
        assert after_own != first and after_own == versioning.read(store)
    with versioning.pinned():
        assert versioning.current(store) == versioning.read(store)


def _write_elsewhere(store: GraphStore, update: str) -> None:
    """Change the version without telling this process, as another worker's write would."""
    raw = getattr(store, "raw", None)
    if raw is not None:
        raw.update(update)
    else:
        store._http.update(update)  # type: ignore[attr-defined]


def test_memoized_values_follow_the_version(store: GraphStore) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert versioning.memoized(store, "probe", compute) == 1
    assert versioning.memoized(store, "probe", compute) == 1
    store.add([quad("a", "1", G1)])
    assert versioning.memoized(store, "probe", compute) == 2


def test_a_scratch_store_keeps_no_version() -> None:
    scratch = open_scratch()
    scratch.add([quad("a", "1", G1)])
    scratch.update(f"INSERT DATA {{ GRAPH {G2} {{ <urn:contract:c> <urn:contract:p> 'u' }} }}")
    assert versioning.read(scratch) == "" and versioning.META not in scratch.named_graphs()


def test_a_reopened_store_keeps_its_version(tmp_path: object) -> None:
    from pathlib import Path

    location = Path(str(tmp_path)) / "store"
    store = open_store(location, recover=False)
    store.add([quad("a", "1", G1)])
    version = versioning.read(store)
    store.close()
    del store
    assert versioning.read(open_store(location, read_only=True, recover=False)) == version
