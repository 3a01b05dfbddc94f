"""Reads keep answering while someone writes: no read waits for a write, and every read sees a
graph as it was before a write or after it, never half-replaced.

The in-process tests hold a write open on purpose (a bulk load whose input blocks until the test
lets go, under WRITE_LOCK as an API write runs) and require the reads to finish while it is still
open: a bound that does not depend on the speed of the machine. The server test hammers a real
`actorgraph serve` on the demo store with readers while an editor keeps replacing a graph.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Self
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from graph.store import EmbeddedStore, netguard, open_store
from graph.store.embedded import SMALL_BATCH
from graph.store.limits import WRITE_LOCK, QueryFailed, QueryLimits, QueryTimeout, run_limited
from graph.store.write_gate import WRITE_GATE, WriteGate
from tests.support import ACTORGRAPH, Listener, served

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="process isolation needs os.fork")

GRAPH = "https://w3id.org/actorgraph/graph/"
DATA = ox.NamedNode(GRAPH + "data")
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_CUBE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _store(triples: int) -> EmbeddedStore:
    store = open_store(None)
    store.add(ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)), DATA) for i in range(triples))
    return store


def count(store: EmbeddedStore, limits: QueryLimits, query: str = COUNT) -> int:
    result = run_limited(store, query, limits=limits, default_graph=[DATA], named_graphs=[])
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))["n"].value)


class HeldWrite:
    """A write held open inside the engine: a bulk load whose input waits for release(), run
    under WRITE_LOCK as every API write is."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store, self.inside, self.released = store, threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._write, daemon=True)

    def _quads(self) -> Iterator[ox.Quad]:
        staged = ox.NamedNode(GRAPH + "staged")
        for i in range(SMALL_BATCH):  # enough to take the bulk path, whose engine call then waits
            yield ox.Quad(ox.NamedNode(f"urn:new{i}"), ox.NamedNode("urn:p"), ox.Literal("new"), staged)
        self.inside.set()
        self.released.wait(120)

    def _write(self) -> None:
        with WRITE_LOCK:
            self.store.bulk_add(self._quads())

    def __enter__(self) -> Self:
        self.thread.start()
        assert self.inside.wait(10), "the write never started"
        assert WRITE_GATE.busy
        return self

    def __exit__(self, *_: object) -> None:
        self.released.set()
        self.thread.join(30)


def test_the_gate_refuses_a_fork_during_a_write_and_holds_writes_during_a_fork() -> None:
    gate = WriteGate()
    assert gate.begin_fork()
    entered = threading.Event()

    def write() -> None:
        with gate.writing():
            entered.set()

    writer = threading.Thread(target=write)
    writer.start()
    assert not entered.wait(0.2), "a write started during a fork"
    gate.end_fork()
    assert entered.wait(10)
    writer.join()
    with gate.writing():
        assert gate.busy and not gate.begin_fork()
    assert not gate.busy and gate.begin_fork()
    gate.end_fork()


def test_reads_finish_while_a_write_is_held_open() -> None:
    store = _store(200)
    limits = QueryLimits(timeout=5, isolation="process", workers=2)
    answers: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(5):
                answers.append(count(store, limits))
        except Exception as error:  # noqa: BLE001 - any failure of a reader is reported below
            errors.append(error)

    with HeldWrite(store) as write:
        readers = [threading.Thread(target=read) for _ in range(6)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(60)
        still_open = write.thread.is_alive() and not write.released.is_set()
    assert errors == []
    assert answers == [200] * 30
    assert still_open, "the reads should have finished while the write was still under way"


def test_during_a_write_reads_keep_the_deadline_and_afterwards_fork_again() -> None:
    """A read that runs in a thread because a write is under way answers, and a runaway one
    still gets its timeout on time; once the write is done, a runaway is killed in its child."""
    store = _store(300)  # its cube takes seconds to COUNT
    limits = QueryLimits(timeout=0.5, isolation="process", workers=2)
    with HeldWrite(store) as write:
        assert count(store, limits) == 300
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            run_limited(store, COUNT_CUBE, limits=limits, default_graph=[DATA], named_graphs=[])
        assert time.monotonic() - started < 3
        assert write.thread.is_alive()
    for thread in threading.enumerate():  # the abandoned count runs on in its thread, with its slot
        if thread.name == "sparql-query":
            thread.join(60)
    before = {thread.ident for thread in threading.enumerate()}
    with pytest.raises(QueryTimeout):
        run_limited(store, COUNT_CUBE, limits=limits, default_graph=[DATA], named_graphs=[])
    assert not [t for t in threading.enumerate() if t.ident not in before and t.name == "sparql-query"]
    assert limits.slots.acquire(timeout=0.1) and limits.slots.acquire(timeout=0.1), "both slots should be free"


# --- a real server ------------------------------------------------------------------------------

SUBJECT = "https://w3id.org/actorgraph/fictional/id/unit/bde-7"
NOTES = GRAPH + "notes-under-load"
VERSIONS = 12  # comments per version of the graph


def _replacement(version: str) -> str:
    comments = " ".join(f'<{SUBJECT}> <{RDFS_COMMENT}> "{version}-{i}" .' for i in range(VERSIONS))
    return f"DELETE WHERE {{ GRAPH <{NOTES}> {{ ?s ?p ?o }} }} ;\nINSERT DATA {{ GRAPH <{NOTES}> {{ {comments} }} }}"


def _post(base: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes, float]:
    started = time.monotonic()
    request = urllib.request.Request(base + path, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The demo store served by a real uvicorn process, 2 query workers, a 5 s timeout."""
    store = tmp_path_factory.mktemp("reads-writes") / "store"
    env = {**os.environ, "ACTORGRAPH_STORE": "", "ACTORGRAPH_QUERY_TIMEOUT": "5", "ACTORGRAPH_QUERY_WORKERS": "2"}
    subprocess.run([str(ACTORGRAPH), "init", "--demo", "--store", str(store)], check=True, capture_output=True, env=env, timeout=300)
    created = subprocess.run(
        [str(ACTORGRAPH), "keys", "create", "--role", "editor", "--name", "test editor", "--store", str(store)],
        check=True, capture_output=True, text=True, env=env, timeout=120,
    )
    token = created.stdout.split("\n", 1)[0].strip()
    with served(store, env=env, log=store.parent / "server.log") as (base, _):
        yield base, token


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs Linux")
def test_readers_keep_answering_and_see_whole_versions_while_an_editor_replaces_a_graph(editor_server: tuple[str, str]) -> None:
    base, token = editor_server
    update_headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/sparql-update"}
    status, body, _ = _post(base, "/update", _replacement("A").encode(), update_headers)
    assert status == 200, body
    query = urlencode({"query": f"SELECT ?c WHERE {{ GRAPH <{NOTES}> {{ <{SUBJECT}> <{RDFS_COMMENT}> ?c }} }}"}).encode()
    read_headers = {"Accept": "text/csv", "Content-Type": "application/x-www-form-urlencoded"}
    stop = threading.Event()
    seen: list[tuple[int, int]] = []
    failures: list[str] = []
    updates: list[int] = []

    def reader() -> None:
        while not stop.is_set():
            status, body, elapsed = _post(base, "/sparql", query, read_headers)
            if status != 200:
                failures.append(f"{status} after {elapsed:.1f} s: {body[:200]!r}")
                continue
            values = body.decode().split()[1:]
            seen.append((sum(v.startswith("A-") for v in values), sum(v.startswith("B-") for v in values)))

    readers = [threading.Thread(target=reader) for _ in range(8)]
    for thread in readers:
        thread.start()
    try:
        for version in "BABABA":
            status, body, _ = _post(base, "/update", _replacement(version).encode(), update_headers)
            updates.append(status)
            assert status == 200, body
    finally:
        stop.set()
        for thread in readers:
            thread.join(60)
    assert failures == [], failures[:5]
    assert set(seen) <= {(VERSIONS, 0), (0, VERSIONS)}, sorted(set(seen))
    assert {(VERSIONS, 0), (0, VERSIONS)} <= set(seen), "the readers should have seen both versions"


@pytest.mark.skipif(not netguard.works(), reason="the network guard needs Linux seccomp")
def test_a_read_moved_to_a_thread_by_a_write_still_has_no_network() -> None:
    """The thread a write sends a read to loses the network as the forked worker would; an
    admin's read keeps it."""
    store = _store(10)
    limits = QueryLimits(timeout=10, isolation="process")
    with Listener() as listener, HeldWrite(store):
        query = f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?x ?y ?z }} }}"
        with pytest.raises(QueryFailed, match="not permitted"):
            run_limited(store, query, limits=limits, default_graph=[], named_graphs=[])
        assert listener.connections == 0
        rows = run_limited(store, query, limits=limits, default_graph=[], named_graphs=[], network=True)
        assert isinstance(rows, ox.QuerySolutions)
        assert [str(row["x"].value) for row in rows] == ["from-listener"]
        assert listener.connections == 1


def _niceness_of_a_worker(limits: QueryLimits) -> int:
    from graph.store.limits import run_isolated

    def work_for(_abandoned: object) -> object:
        def work(sink: object) -> dict[str, object]:
            return {"nice": os.nice(0)}

        return work

    _, outcome = run_isolated(work_for, limits)  # type: ignore[arg-type]
    return int(outcome["nice"])


def test_read_workers_yield_the_cpu_to_the_update_worker() -> None:
    from graph.ingest.writes import _update_limits

    server = os.nice(0)
    reads = QueryLimits()
    assert reads.niceness > 0
    assert _niceness_of_a_worker(reads) == min(19, server + reads.niceness)
    assert _niceness_of_a_worker(_update_limits(reads)) == server
