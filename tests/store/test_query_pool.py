"""The query pool (isolation="pool") on an on-disk embedded store: started workers that read
checkpoints, see every write that returned, are killed at the deadline and replaced, have no
network, and leave no checkpoint behind."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import ParserCrash
from graph.store import EmbeddedStore
from graph.store.limits import QueryFailed, QueryLimits, QueryTimeout, ResultCapExceeded
from tests.store.support import G1, G2, node, quad
from tests.support.listener import Listener

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # blocking: no row before the end


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    opened = EmbeddedStore(tmp_path / "store")
    opened.add(quad(f"s{i}", str(i), G1) for i in range(300))
    yield opened
    opened.close()


def _pids(store: EmbeddedStore) -> set[int]:
    pool = store.query_pool
    assert pool is not None
    return pool.worker_pids()


def _objects(store: EmbeddedStore, limits: QueryLimits, subject: str) -> list[str]:
    rows = store.select(
        "SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"s": node(subject)}, default_graph=[G1, G2], named_graphs=[], limits=limits
    )
    return [row["o"].value for row in rows]


def test_answers_match_the_store_and_keep_to_the_dataset(store: EmbeddedStore) -> None:
    limits = QueryLimits(timeout=30, isolation="pool", workers=2)
    text = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    limited = store.select(text, default_graph=[G1], named_graphs=[], limits=limits)
    assert [tuple(row) for row in limited] == [tuple(row) for row in store.select(text, default_graph=[G1])]
    assert list(store.select(text, default_graph=[G2], named_graphs=[], limits=limits)) == []
    assert store.query_pool is not None  # the query went through the pool, not a fork


def test_a_write_is_seen_by_the_next_query_in_every_worker(store: EmbeddedStore) -> None:
    limits = QueryLimits(timeout=30, isolation="pool", workers=3)
    store.start_query_workers(limits)
    assert _objects(store, limits, "new") == []
    for value in ("one", "two", "three"):
        store.add([quad("new", value, G2)])
        # As many queries as workers, each right after the write returned: whichever worker answers sees it.
        for _ in range(3):
            assert value in _objects(store, limits, "new")
    store.remove([quad("new", "one", G2)])
    assert sorted(_objects(store, limits, "new")) == ["three", "two"]


def test_a_runaway_query_is_killed_at_the_deadline_and_its_worker_replaced(store: EmbeddedStore) -> None:
    limits = QueryLimits(timeout=1, isolation="pool", workers=2)
    store.start_query_workers(limits)
    _objects(store, limits, "s1")
    before = _pids(store)
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        store.select(CROSS_PRODUCT, default_graph=[G1], named_graphs=[], limits=limits)
    assert time.monotonic() - started < 3
    assert _objects(store, limits, "s7") == ["7"]  # the other worker answers at once
    deadline = time.monotonic() + 60
    while len(_pids(store)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    after = _pids(store)
    killed = before - after
    assert len(killed) == 1 and len(after) == 2
    with pytest.raises(ProcessLookupError):
        os.kill(killed.pop(), 0)


def test_a_worker_killed_from_outside_fails_its_query_and_is_replaced(store: EmbeddedStore) -> None:
    limits = QueryLimits(timeout=30, isolation="pool", workers=1)
    store.start_query_workers(limits)
    assert _objects(store, limits, "s2") == ["2"]
    (pid,) = _pids(store)
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(QueryFailed, match="died"):
        _objects(store, limits, "s2")
    assert _objects(store, limits, "s3") == ["3"]  # waits for the replacement


def test_a_text_that_crashes_the_parser_is_a_parser_crash_and_its_worker_replaced(store: EmbeddedStore) -> None:
    """The worker parses before it evaluates and says so: dying before that is the parser's crash
    (a 400 for the client), not a failed query; a kill from outside stays a failed query (above)."""
    limits = QueryLimits(timeout=30, isolation="pool", workers=1)
    assert store.parses_apart(limits) and not store.parses_apart(limits, network=True)
    assert not store.parses_apart(QueryLimits(timeout=30, isolation="process"))
    assert _objects(store, limits, "s2") == ["2"]  # a worker is up
    (before,) = _pids(store)
    bangs = "ASK { FILTER(" + "!" * 100_000 + "true) }"
    with pytest.raises(ParserCrash, match=r"parser crashed on this text \(killed by SIG"):
        store.ask(bangs, default_graph=[G1], named_graphs=[], limits=limits)
    assert _objects(store, limits, "s5") == ["5"]  # waits for the replacement
    assert _pids(store) and before not in _pids(store)
    assert not store.parses_apart(limits)  # for a while, the helper checks texts first again


def test_caps_and_syntax_errors_come_back_as_from_any_worker(store: EmbeddedStore) -> None:
    limits = QueryLimits(timeout=30, isolation="pool", workers=1, result_cap=10)
    with pytest.raises(ResultCapExceeded):
        list(store.select("SELECT * WHERE { ?s ?p ?o }", default_graph=[G1], named_graphs=[], limits=limits))
    with pytest.raises(SyntaxError):
        store.select("SELECT WHERE {", default_graph=[G1], named_graphs=[], limits=limits)
    assert _objects(store, limits, "s4") == ["4"]


def test_workers_have_no_network(store: EmbeddedStore) -> None:
    limits = QueryLimits(timeout=30, isolation="pool", workers=1)
    with Listener() as listener:
        with pytest.raises(QueryFailed):
            store.select(f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}", default_graph=[G1], named_graphs=[], limits=limits)
        assert listener.connections == 0


def test_checkpoints_are_deleted_once_no_query_reads_them(store: EmbeddedStore, tmp_path: Path) -> None:
    limits = QueryLimits(timeout=30, isolation="pool", workers=2)
    store.start_query_workers(limits)
    root = tmp_path / "store.query-checkpoints"
    for value in range(8):
        store.add([quad("many", str(value), G2)])
        _objects(store, limits, "many")
    time.sleep(0.5)  # the idle workers move to the newest checkpoint in the background
    _objects(store, limits, "many")
    assert len(list(root.iterdir())) <= 3  # the newest, and at most one per worker
    store.stop_query_workers()  # as a server does at shutdown
    assert not root.exists()
