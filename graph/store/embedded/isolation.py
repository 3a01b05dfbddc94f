"""How the embedded store keeps to a query's timeout and result cap, given what pyoxigraph offers.

What pyoxigraph 0.5 does and does not do (tests/api/web/test_limits.py checks each point):

- It has no cancellation API and no timeout option.
- It releases the GIL while it evaluates, so a query running in a thread does not stall the
  event loop or other requests.
- Evaluation is lazy where the algebra allows it: `SELECT * { ?a ?b ?c . ?d ?e ?f }` yields rows
  as they are iterated, and stops when iteration stops. Blocking operators (COUNT and other
  aggregates, ORDER BY, some joins) do all their work inside `Store.query()` or the first
  `next()`; nothing can interrupt that call from Python.
- `Store.read_only()` beside a process that writes is undefined behaviour (its documentation), and
  even when it works it sees the store as of opening, so worker processes must not open the live
  store; the pool's read checkpoints instead (below).

So the only way to *stop* a blocking query is to run it in a process that can be killed. With
`isolation="process"` (the default where `os.fork` exists) each query runs in a child forked from
the server. The child sees exactly what the server sees at that moment, in memory or on disk,
because it shares the parent's copy-on-write memory and open database; it serializes the result
(the result cap is enforced while serializing) into a pipe, and it is SIGKILLed at the deadline.
The cost is the fork, which grows with the server's memory (README, Benchmarks). Forking a threaded process has one known hazard, a lock copied
while another thread held it; `forking.run_in_process` says how it is contained (no fork while a store
write is inside the engine; a child stuck on such a lock is recognised, killed and forked again).
With `isolation="thread"` (the fallback elsewhere, or on request) queries run in a thread: a
streaming query stops at the deadline, but a blocking one can only be abandoned: the client gets
its error on time, while the thread runs on to the end.

Reads never wait for writes. A process query that finds a store write inside the engine
(graph/store/embedded/write_gate.py) runs in a thread instead, under the same slot, deadline and cap:
waiting would hold its worker slot for as long as the write lasts (a bulk load, a flush), and
with a few slots and a steady editor the reads queued up to their timeout. pyoxigraph reads a
consistent snapshot, so such a read sees the store between two engine writes, as a forked child
does; graph.ingest.loader makes each of those either atomic or invisible until registered. What it
gives up, only while a write is under way, is the kill at the deadline. With `isolation="pool"`
(the server's default) plain queries on a store on disk go instead to workers that are started,
not forked, each reading a checkpoint taken after every write (graph.store.embedded.pool): they keep
the kill and drop the fork's cost, at the price of a checkpoint per write.

Either way at most `workers` queries run at once; an abandoned thread keeps its slot until it
really ends, so runaway queries cannot pile up, and a request that finds no free slot within the
timeout gets QueryBusy. Slots go to requests in the order they asked (graph/store/slots.py).

Results come back as graph.store.results types (parsed from the child's TSV, N-Triples or JSON), so
callers cannot tell a limited query from a plain one.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any, cast

import pyoxigraph as ox

from graph.store.base import Sink, Work
from graph.store.embedded import netguard
from graph.store.embedded.forking import Stop, WriteUnderWay, outcome_of, run_in_process, shielded
from graph.store.embedded.pool import QueryPool
from graph.store.limits import QueryBusy, QueryLimits, QueryTimeout, raise_for_outcome
from graph.store.results import Boolean, QueryResult, Solutions, Triples


class _LineCountingWriter(io.RawIOBase):
    """What pyoxigraph serializes into. One result row (TSV) or triple (N-Triples) is one line,
    since both formats escape newlines inside terms; counting lines enforces the cap while the
    result streams, so evaluation stops as soon as the cap is passed."""

    def __init__(self, sink: Sink, cap: int, max_bytes: int, header_lines: int, abandoned: threading.Event | None) -> None:
        self._sink, self._abandoned = sink, abandoned
        self._budget, self._max_bytes = cap + header_lines, max_bytes
        self.lines = self.bytes = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        if self._abandoned is not None and self._abandoned.is_set():
            raise Stop("abandoned")
        chunk = bytes(data)
        self.lines += chunk.count(b"\n")
        self.bytes += len(chunk)
        if self.lines > self._budget:
            raise Stop("cap")
        if self.bytes > self._max_bytes:
            raise Stop("bytes")
        self._sink(chunk)
        return len(chunk)


def evaluate_into(
    store: ox.Store,
    text: str,
    substitutions: Mapping[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None,
    default_graph: Sequence[ox.NamedNode],
    named_graphs: Sequence[ox.NamedNode],
    result_cap: int,
    result_bytes: int,
    abandoned: threading.Event | None = None,
) -> Work:
    """The work of one query: evaluate and stream the serialized result into a sink, stopping
    past `result_cap` rows or `result_bytes` bytes."""

    def work(sink: Sink) -> dict[str, Any]:
        result = store.query(
            text,
            substitutions=dict(substitutions) if substitutions else None,
            default_graph=list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph](default_graph),
            named_graphs=list[ox.NamedNode | ox.BlankNode](named_graphs),
        )
        if isinstance(result, ox.QueryBoolean):
            sink(result.serialize(format=ox.QueryResultsFormat.JSON) or b"")
            return {"kind": "boolean"}
        triples = isinstance(result, ox.QueryTriples)
        writer = _LineCountingWriter(sink, result_cap, result_bytes, 0 if triples else 1, abandoned)
        stream = cast(IO[bytes], writer)  # a raw binary stream, which is what pyoxigraph writes to
        if isinstance(result, ox.QueryTriples):
            result.serialize(stream, ox.RdfFormat.N_TRIPLES)
        else:
            result.serialize(stream, ox.QueryResultsFormat.TSV)
        return {"kind": "triples" if triples else "solutions"}

    return work


# --- thread isolation ------------------------------------------------------------------------


def _run_in_thread(
    work_for: Callable[[threading.Event], Work], limits: QueryLimits, deadline: float, network: bool = False
) -> tuple[bytes, dict[str, Any]]:
    """Run in a daemon thread; on timeout, tell a streaming serializer to stop and leave a
    blocking evaluation to finish on its own. The slot is released only when it does."""
    abandoned, done = threading.Event(), threading.Event()
    chunks: list[bytes] = []
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            # The guard covers this thread only, and the thread ends with the query.
            box.update(outcome_of(shielded(work_for(abandoned), network), chunks.append))
        finally:
            done.set()
            limits.slots.release()

    threading.Thread(target=run, name="sparql-query", daemon=True).start()
    if not done.wait(max(0.0, deadline - time.monotonic())):
        abandoned.set()
        raise QueryTimeout(limits.timeout)
    return b"".join(chunks), box


# --- the entry points ------------------------------------------------------------------------


def run_isolated(
    work_for: Callable[[threading.Event | None], Work], limits: QueryLimits, *, network: bool = False
) -> tuple[bytes, dict[str, Any]]:
    """Run some store work under the limits: a free worker slot, a deadline, isolation. Returns
    the bytes the work wrote to its sink and the outcome it reported. The work has no network
    unless `network` (admins' SERVICE and LOAD): see graph.store.embedded.netguard."""
    started = time.monotonic()
    deadline = started + limits.timeout
    if not limits.slots.acquire(timeout=limits.timeout):
        raise QueryBusy(limits.workers, limits.timeout)
    if not network:
        netguard.works()  # probed once, here, rather than again in every forked worker
    if limits.isolation == "process" or (limits.isolation == "pool" and hasattr(os, "fork")):  # work that is no plain query
        release = True
        try:
            return run_in_process(work_for(None), limits, deadline, network)
        except WriteUnderWay:
            release = False  # the thread below takes the slot over (module docstring: reads never wait)
        finally:
            if release:
                limits.slots.release()
    return _run_in_thread(work_for, limits, deadline, network)  # the thread releases the slot


def _run_in_pool(
    pool: QueryPool,
    text: str,
    substitutions: Mapping[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None,
    default_graph: list[ox.NamedNode],
    named_graphs: list[ox.NamedNode],
    limits: QueryLimits,
) -> tuple[bytes, dict[str, Any]]:
    deadline = time.monotonic() + limits.timeout
    if not limits.slots.acquire(timeout=limits.timeout):
        raise QueryBusy(limits.workers, limits.timeout)
    try:
        return pool.run(text, dict(substitutions) if substitutions else None, default_graph, named_graphs, limits, deadline)
    finally:
        limits.slots.release()


def _result_from(kind: str, data: bytes) -> QueryResult:
    """Turn the serialized result back into the store's result types."""
    if kind == "boolean":
        parsed = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
        assert isinstance(parsed, ox.QueryBoolean)
        return Boolean(bool(parsed))
    if kind == "solutions":
        solutions = ox.parse_query_results(data, ox.QueryResultsFormat.TSV)
        assert isinstance(solutions, ox.QuerySolutions)
        return Solutions(solutions)
    return Triples([ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, ox.RdfFormat.N_TRIPLES)])


def run_limited(
    store: ox.Store,
    text: str,
    *,
    limits: QueryLimits,
    default_graph: Sequence[ox.NamedNode],
    named_graphs: Sequence[ox.NamedNode],
    substitutions: Mapping[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None = None,
    network: bool = False,
    pool: QueryPool | None = None,
) -> QueryResult:
    """Run a query over an explicit dataset under `limits`; without `network` (the default) the
    worker cannot open connections, so SERVICE fails (graph.store.embedded.netguard). Under
    `isolation="pool"` it runs in `pool` (none: a forked worker, as "process"); admins' queries
    with the network keep the fork, since pool workers never have it.

    Both graph lists are required and may be empty: pyoxigraph reads a None as "no restriction"
    and then honours FROM, FROM NAMED and GRAPH <iri> over the whole store.
    Raises SyntaxError, QueryTimeout, ResultCapExceeded, QueryBusy or QueryFailed.
    """
    default, named = list(default_graph), list(named_graphs)
    if pool is not None and limits.isolation == "pool" and not network:
        data, outcome = _run_in_pool(pool, text, substitutions, default, named, limits)
    else:
        data, outcome = run_isolated(
            lambda abandoned: evaluate_into(store, text, substitutions, default, named, limits.result_cap, limits.result_bytes, abandoned),
            limits,
            network=network,
        )
    raise_for_outcome(outcome, limits)
    return _result_from(outcome["kind"], data)
