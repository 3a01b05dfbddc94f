"""Query timeouts and result caps: pathological queries are stopped with a clear error, the
server keeps answering while they run, and limited results are the same results.

Two pathological kinds, on the demo store (about 10,000 triples, so the cube below has 10^12
rows): a cross product that streams rows, and a COUNT over it that blocks inside pyoxigraph and
yields nothing until it is done. Thread isolation cannot stop the second kind; those tests use a
store of 300 triples, where the COUNT ends by itself after about two seconds.
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
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.query import sparql
from graph.store import EmbeddedStore, Solutions, open_store
from graph.store.limits import (
    DEFAULT_WORKERS,
    QueryBusy,
    QueryLimits,
    QueryTimeout,
    ResultCapExceeded,
)
from tests.support import ACTORGRAPH, served

COUNT_CUBE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NARROW_CROSS_PRODUCT = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # rows stay small
SIMPLE = "ASK { ?s a <https://w3id.org/actorgraph/ontology#MilitaryUnit> }"
ISOLATIONS = ["process", "thread"] if hasattr(os, "fork") else ["thread"]


@pytest.fixture(scope="module")
def small_store() -> EmbeddedStore:
    """300 triples in one registered-looking graph: a COUNT over its cube takes about 2 s."""
    store = open_store(None)
    graph = ox.NamedNode("https://w3id.org/actorgraph/graph/small")
    store.add(ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)), graph) for i in range(300))
    return store


def small_dataset() -> sparql.Dataset:
    return sparql.Dataset((ox.NamedNode("https://w3id.org/actorgraph/graph/small"),))


def wait_for_abandoned_threads() -> None:
    for thread in threading.enumerate():
        if thread.name == "sparql-query":
            thread.join(timeout=60)


def timed(function, *args, **kwargs) -> tuple[float, BaseException | object]:
    started = time.monotonic()
    try:
        outcome: BaseException | object = function(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - whatever it raises is the outcome under test
        outcome = error
    return time.monotonic() - started, outcome


# --- graph.store.limits ---------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="process isolation needs os.fork")
def test_process_isolation_stops_a_blocking_count(demo_store: EmbeddedStore) -> None:
    limits = QueryLimits(timeout=1, isolation="process")
    elapsed, outcome = timed(sparql.run_query, demo_store, COUNT_CUBE, sparql.dataset_for(demo_store), limits=limits)
    assert isinstance(outcome, QueryTimeout) and "exceeded the 1 s timeout" in str(outcome)
    assert 0.9 < elapsed < 3


def test_thread_isolation_answers_a_blocking_count_on_time(small_store: EmbeddedStore) -> None:
    limits = QueryLimits(timeout=0.5, isolation="thread")
    elapsed, outcome = timed(sparql.run_query, small_store, COUNT_CUBE, small_dataset(), limits=limits)
    assert isinstance(outcome, QueryTimeout)
    assert elapsed < 1.5
    wait_for_abandoned_threads()


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_streaming_cross_product_stops_at_the_timeout(demo_store: EmbeddedStore, isolation: str) -> None:
    limits = QueryLimits(timeout=0.5, result_cap=10**9, isolation=isolation)  # type: ignore[arg-type]
    elapsed, outcome = timed(sparql.run_query, demo_store, NARROW_CROSS_PRODUCT, sparql.dataset_for(demo_store), limits=limits)
    assert isinstance(outcome, QueryTimeout)
    assert elapsed < 2.5
    wait_for_abandoned_threads()  # a streaming query stops at its next row, even in a thread


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_result_cap_stops_a_cross_product_early(demo_store: EmbeddedStore, isolation: str) -> None:
    limits = QueryLimits(timeout=10, result_cap=1000, isolation=isolation)  # type: ignore[arg-type]
    elapsed, outcome = timed(sparql.run_query, demo_store, CROSS_PRODUCT, sparql.dataset_for(demo_store), limits=limits)
    assert isinstance(outcome, ResultCapExceeded) and "more than 1,000 rows" in str(outcome)
    assert elapsed < 2
    construct = "CONSTRUCT { ?a ?b ?i } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    _, graph_outcome = timed(sparql.run_query, demo_store, construct, sparql.dataset_for(demo_store), limits=limits)
    assert isinstance(graph_outcome, ResultCapExceeded)
    exactly = sparql.run_query(demo_store, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1000", sparql.dataset_for(demo_store), limits=limits)
    assert len(list(exactly)) == 1000  # the cap is "more than", not "as many as"


def test_byte_budget_bounds_wide_rows(demo_store: EmbeddedStore) -> None:
    limits = QueryLimits(timeout=10, result_cap=10**9, result_bytes=100_000)
    _, outcome = timed(sparql.run_query, demo_store, CROSS_PRODUCT, sparql.dataset_for(demo_store), limits=limits)
    assert isinstance(outcome, ResultCapExceeded) and "MiB" in str(outcome)


def _children(pid: int) -> set[int]:
    """The forked query workers of `pid`: its children, less the parse-check helpers it keeps
    (graph.guards.parse_check), which are meant to stay."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status and b"graph.guards.parse_check" not in command:
                found.add(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").exists() or not hasattr(os, "fork"), reason="needs Linux /proc and os.fork")
def test_a_timed_out_worker_process_is_gone(demo_store: EmbeddedStore) -> None:
    before = _children(os.getpid())
    limits = QueryLimits(timeout=0.5, isolation="process", workers=1)
    _, outcome = timed(sparql.run_query, demo_store, COUNT_CUBE, sparql.dataset_for(demo_store), limits=limits)
    assert isinstance(outcome, QueryTimeout)
    assert _children(os.getpid()) == before  # killed and reaped, not left burning a CPU
    # ... and its worker slot is free again at once.
    assert bool(sparql.run_query(demo_store, SIMPLE, sparql.dataset_for(demo_store), limits=limits)) is True


def test_thread_isolation_keeps_the_slot_until_the_runaway_ends(small_store: EmbeddedStore) -> None:
    """The honest limit of thread isolation: the abandoned COUNT still occupies its worker."""
    limits = QueryLimits(timeout=0.5, isolation="thread", workers=1)
    _, outcome = timed(sparql.run_query, small_store, COUNT_CUBE, small_dataset(), limits=limits)
    assert isinstance(outcome, QueryTimeout)
    _, busy = timed(sparql.run_query, small_store, "ASK {}", small_dataset(), limits=limits)
    assert isinstance(busy, QueryBusy) and "busy" in str(busy)
    wait_for_abandoned_threads()
    assert bool(sparql.run_query(small_store, "ASK { ?s ?p ?o }", small_dataset(), limits=limits)) is True


def _as_set(result: object) -> set[tuple[str, ...]]:
    if isinstance(result, Solutions):
        names = result.variables
        return {tuple(str(row[name]) for name in names) for row in result}
    return {(str(triple),) for triple in result}  # type: ignore[attr-defined]


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_limited_results_are_the_same_results(demo_store: EmbeddedStore, isolation: str) -> None:
    dataset = sparql.dataset_for(demo_store)
    limits = QueryLimits(timeout=10, isolation=isolation)  # type: ignore[arg-type]
    queries = [
        "SELECT ?s ?p ?o ?nothing WHERE { ?s ?p ?o OPTIONAL { ?s <urn:none> ?nothing } } ORDER BY ?s ?p ?o LIMIT 2000",
        "SELECT ?label (LANG(?label) AS ?lang) (DATATYPE(?label) AS ?type) WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        "SELECT ?d WHERE { ?s <https://w3id.org/actorgraph/ontology#startDate> ?d }",
        "SELECT ?s WHERE { ?s ?p ?o FILTER(isBlank(?s)) } LIMIT 50",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/actorgraph/ontology#MilitaryUnit> ; ?p ?o }",
        "DESCRIBE ?s WHERE { ?s a <https://w3id.org/actorgraph/ontology#Command> } LIMIT 3",
    ]
    for query in queries:
        plain = sparql.run_query(demo_store, query, dataset)
        limited = sparql.run_query(demo_store, query, dataset, limits=limits)
        assert type(limited) is type(plain), query
        if isinstance(plain, Solutions):
            assert limited.variables == plain.variables  # type: ignore[union-attr]
        assert _as_set(limited) == _as_set(plain), query
    assert bool(sparql.run_query(demo_store, SIMPLE, dataset, limits=limits)) is True
    empty = sparql.run_query(demo_store, "SELECT ?x ?y WHERE { FILTER(false) }", dataset, limits=limits)
    assert empty.variables == ["x", "y"] and list(empty) == []  # type: ignore[union-attr]


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_substitutions_and_syntax_errors_pass_through(demo_store: EmbeddedStore, isolation: str) -> None:
    limits = QueryLimits(timeout=10, isolation=isolation)  # type: ignore[arg-type]
    dataset = sparql.dataset_for(demo_store)
    unit = ox.NamedNode("https://w3id.org/actorgraph/ontology#MilitaryUnit")
    rows = sparql.run_query(demo_store, "SELECT ?class ?s WHERE { ?s a ?class }", dataset, bindings={"class": unit}, limits=limits)
    assert {row["class"] for row in rows} == {unit}
    with pytest.raises(sparql.SparqlSyntaxError, match="1:"):
        sparql.run_query(demo_store, "SELEC ?x", dataset, limits=limits)


def test_an_explicit_dataset_is_required(demo_store: EmbeddedStore) -> None:
    with pytest.raises(ValueError, match="explicit dataset"):
        demo_store.evaluate(SIMPLE, limits=QueryLimits(), default_graph=None, named_graphs=[])


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTORGRAPH_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("ACTORGRAPH_RESULT_CAP", "500")
    monkeypatch.setenv("ACTORGRAPH_ANONYMOUS", "off")
    monkeypatch.setenv("ACTORGRAPH_MAX_UPLOAD_BYTES", "1000")
    settings = Settings.from_env(store=None)
    assert (settings.query_timeout, settings.result_cap, settings.anonymous_access, settings.max_upload_bytes) == (2.5, 500, False, 1000)
    assert settings.query_limits().timeout == 2.5
    assert Settings().query_timeout == 10 and Settings().anonymous_access is True
    monkeypatch.setenv("ACTORGRAPH_ANONYMOUS", "maybe")
    with pytest.raises(ValueError, match="on or off"):
        Settings.from_env()


# --- the HTTP endpoint ----------------------------------------------------------------------------


def test_sparql_endpoint_turns_limits_into_clear_errors(demo_store: EmbeddedStore) -> None:
    client = TestClient(create_app(Settings(store=None, query_timeout=1, result_cap=1000), store=demo_store))
    timeout = client.get("/sparql", params={"query": COUNT_CUBE})
    assert timeout.status_code == 503 and "exceeded the 1 s timeout" in timeout.text
    capped = client.get("/sparql", params={"query": CROSS_PRODUCT})
    assert capped.status_code == 422 and "more than 1,000 rows" in capped.text
    small = TestClient(create_app(Settings(store=None, max_upload_bytes=1000), store=demo_store))
    big_query = small.post("/sparql", content="#" * 2000, headers={"Content-Type": "application/sparql-query"})
    assert big_query.status_code == 413 and "limit" in big_query.text




@pytest.fixture(scope="module", params=["pool", "process"] if hasattr(os, "fork") else ["pool"])
def server(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[tuple[str, int]]:
    """`actorgraph serve` as a real uvicorn process on the demo store on disk, 1 s timeout: with
    its pool of query workers (the default), and with a fork per query."""
    store = tmp_path_factory.mktemp("limits") / "store"
    env = {
        **os.environ,
        "ACTORGRAPH_STORE": "",
        "ACTORGRAPH_QUERY_TIMEOUT": "1",
        "ACTORGRAPH_RESULT_CAP": "1000000000",
        "ACTORGRAPH_QUERY_ISOLATION": request.param,
    }
    subprocess.run([str(ACTORGRAPH), "init", "--demo", "--store", str(store)], check=True, capture_output=True, env=env, timeout=300)
    with served(store, env=env, log=store.parent / "server.log") as (base, process):
        yield base, process.pid


def fetch(base: str, query: str) -> tuple[int, str, float]:
    started = time.monotonic()
    request = urllib.request.Request(base + "/sparql", data=urlencode({"query": query}).encode(), headers={"Accept": "text/csv"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.monotonic() - started


@pytest.mark.parametrize("query", [COUNT_CUBE, NARROW_CROSS_PRODUCT], ids=["blocking-count", "streaming-cross-product"])
def test_real_server_stops_the_query_and_keeps_answering(server: tuple[str, int], query: str) -> None:
    base, _ = server
    bad: dict[str, tuple[int, str, float]] = {}
    runner = threading.Thread(target=lambda: bad.update(result=fetch(base, query)))
    runner.start()
    time.sleep(0.3)
    status, body, elapsed = fetch(base, SIMPLE)
    assert status == 200 and "true" in body
    assert elapsed < 0.6, f"a simple query took {elapsed:.2f} s while the bad one ran"
    assert runner.is_alive(), "the bad query should still have been running"
    runner.join(timeout=30)
    status, body, elapsed = bad["result"]
    assert status == 503, body
    assert "exceeded the 1 s timeout" in body
    assert elapsed < 4


def _settled_children(pid: int) -> set[int]:
    """The children of `pid` once the same set was seen for half a second: a worker killed by an
    earlier test may still be reaped, and its successor still starting."""
    deadline = time.monotonic() + 60
    seen, since = _children(pid), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = _children(pid)
        if now != seen:
            seen, since = now, time.monotonic()
        elif time.monotonic() - since >= 0.5 and len(now) in (0, DEFAULT_WORKERS):
            return now
    return seen


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs Linux /proc")
def test_real_server_leaves_no_worker_behind(server: tuple[str, int]) -> None:
    """Forked workers are all gone after a runaway query; with the pool, the runaway's worker is
    gone (not left running, nor a zombie) and one new worker took its place."""
    base, pid = server
    fetch(base, SIMPLE)
    before = _settled_children(pid)  # the pool's workers, or nothing
    status, _, _ = fetch(base, COUNT_CUBE)
    assert status == 503
    time.sleep(0.2)
    if not before:
        assert _children(pid) == set()
        return
    deadline = time.monotonic() + 60
    while (len(_children(pid)) != len(before) or _children(pid) == before) and time.monotonic() < deadline:
        time.sleep(0.1)
    after = _children(pid)
    assert len(after) == len(before) and len(before - after) == 1, (before, after)


@pytest.mark.skipif(not Path("/proc").exists() or not hasattr(os, "fork"), reason="needs Linux /proc and os.fork")
def test_a_worker_stuck_on_an_inherited_lock_is_forked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork copies a lock another thread holds; the copy is never released in the child. Such
    a child is recognised (asleep on a futex, using no CPU), killed, and forked again."""
    from graph.store.embedded import forking
    from graph.store.embedded.isolation import run_isolated

    held = threading.Lock()
    held.acquire()
    threading.Timer(0.15, held.release).start()  # the "other thread" lets go a moment later
    forks: list[int] = []
    fork = forking._fork_worker
    monkeypatch.setattr(forking, "_fork_worker", lambda *args: forks.append(1) or fork(*args))

    def work_for(_abandoned: object):
        def work(sink):  # type: ignore[no-untyped-def]
            with held:
                sink(b"got the lock")
            return {"kind": "test"}

        return work

    started = time.monotonic()
    data, outcome = run_isolated(work_for, QueryLimits(timeout=5, isolation="process"))
    assert data == b"got the lock" and outcome == {"kind": "test"}
    assert len(forks) >= 2, "the first child, forked while the lock was held, should have been replaced"
    assert time.monotonic() - started < 2
