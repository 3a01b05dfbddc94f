"""Timeouts and result caps for SPARQL, and how they are enforced given what pyoxigraph offers.

What pyoxigraph 0.5 does and does not do (measured, see tests/api/web/test_limits.py):

- It has no cancellation API and no timeout option.
- It releases the GIL while it evaluates, so a query running in a thread does not stall the
  event loop or other requests.
- Evaluation is lazy where the algebra allows it: `SELECT * { ?a ?b ?c . ?d ?e ?f }` yields rows
  as they are iterated, and stops when iteration stops. Blocking operators (COUNT and other
  aggregates, ORDER BY, some joins) do all their work inside `Store.query()` or the first
  `next()`; nothing can interrupt that call from Python.
- `Store.read_only()` beside a process that writes is undefined behaviour (its documentation), and
  even when it works it sees the store as of opening, so a pool of read-only worker processes
  would be both unsafe and stale.

So the only way to *stop* a blocking query is to run it in a process that can be killed. With
`isolation="process"` (the default where `os.fork` exists) each query runs in a child forked from
the server. The child sees exactly what the server sees at that moment, in memory or on disk,
because it shares the parent's copy-on-write memory and open database; it serializes the result
(the result cap is enforced while serializing) into a pipe, and it is SIGKILLed at the deadline.
The cost is the fork: about 2 ms for the demo store, 20-35 ms for a process holding a
million-triple in-memory store. Forking a threaded process has one known hazard, a lock copied
while another thread held it; `_run_in_process` says how it is contained (no fork while a store
write is inside the engine; a child stuck on such a lock is recognised, killed and forked again).
With `isolation="thread"` (the fallback elsewhere, or on request) queries run in a thread: a
streaming query stops at the deadline, but a blocking one can only be abandoned: the client gets
its error on time, while the thread runs on to the end.

Reads never wait for writes. A process query that finds a store write inside the engine
(graph/store/write_gate.py) runs in a thread instead, under the same slot, deadline and cap:
waiting would hold its worker slot for as long as the write lasts (a bulk load, a flush), and
with a few slots and a steady editor the reads queued up to their timeout. pyoxigraph reads a
consistent snapshot, so such a read sees the store between two engine writes, as a forked child
does; graph.ingest.loader makes each of those either atomic or invisible until registered. What it
gives up, only while a write is under way, is the kill at the deadline. Workers that are never
forked from the writing process (spawned, each on a checkpoint of the store rolled after every
write) would keep the kill and drop the fork's cost too, at the price of a checkpoint per write
and a pool to manage; not built.

Either way at most `workers` queries run at once; an abandoned thread keeps its slot until it
really ends, so runaway queries cannot pile up, and a request that finds no free slot within the
timeout gets QueryBusy. Slots go to requests in the order they asked (graph/store/slots.py).

Results come back as pyoxigraph's own types (parsed from the child's TSV, N-Triples or JSON), so
callers cannot tell a limited query from a plain one.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import select
import signal
import stat
import struct
import threading
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, cast

import pyoxigraph as ox

from graph.errors import ActorGraphError, BusyError, DeadlineError, InternalError, InvalidValueError
from graph.store import GraphStore, QueryResult, Term, netguard
from graph.store.slots import FairSlots
from graph.store.write_gate import WRITE_GATE
from queries import catalog

Isolation = Literal["process", "thread"]
DEFAULT_ISOLATION: Isolation = "process" if hasattr(os, "fork") else "thread"
# Two slots per CPU: a slot is held while the server's thread forks, waits on the child's pipe
# and for the GIL, not only while a query computes. With one per CPU, 20 concurrent readers kept
# the server at half a core and their p99 doubled (README, "Reads while an editor writes").
DEFAULT_WORKERS = max(4, 2 * (os.cpu_count() or 2))
Sink = Callable[[bytes], None]
Work = Callable[[Sink], dict[str, Any]]

# Held by every write this process makes through graph.ingest.writes, one at a time, so a sandbox never
# works from a stale copy. Reads never take it: forks are kept out of engine writes by WRITE_GATE,
# for as long as the engine call lasts, not the whole write.
WRITE_LOCK = threading.RLock()
_PROBE_INTERVAL = 0.05  # seconds between looks at a silent worker (see _deadlocked)
_FORK_ATTEMPTS = 5


class QueryLimitExceeded(ActorGraphError):
    """A query hit a limit; the message says which and what to do."""


class QueryTimeout(QueryLimitExceeded, DeadlineError):
    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        super().__init__(
            f"the query exceeded the {timeout:g} s timeout and was stopped; narrow the patterns, "
            "bind the selective variable first, or add a LIMIT"
        )


class ResultCapExceeded(QueryLimitExceeded, InvalidValueError):
    def __init__(self, cap: int, *, in_bytes: bool = False) -> None:
        self.cap = cap
        size = f"is larger than {cap // 2**20:,} MiB" if in_bytes else f"has more than {cap:,} rows (the result cap)"
        super().__init__(f"the result {size}; add a LIMIT or narrow the query")


class QueryBusy(QueryLimitExceeded, BusyError):
    def __init__(self, workers: int, timeout: float) -> None:
        super().__init__(
            f"all {workers} query workers stayed busy for {timeout:g} s (long queries are running); try again later"
        )


class QueryFailed(InternalError):
    """Evaluation failed for another reason than syntax (a SERVICE call, a store error)."""


@dataclass(frozen=True)
class QueryLimits:
    """How long a query may run, how many rows it may return, and how it is isolated. One
    instance is shared by every request of an app: its semaphore bounds concurrent queries."""

    timeout: float = 10.0
    result_cap: int = 100_000
    isolation: Isolation = DEFAULT_ISOLATION
    workers: int = DEFAULT_WORKERS
    # Rows can be wide (long literals): a byte budget bounds the memory a result may take too.
    result_bytes: int = 256 * 2**20
    # Added to a forked worker's nice value: reads yield the CPU to writes (graph.ingest.writes passes 0),
    # so an editor's update is not starved by a crowd of readers on a busy machine.
    niceness: int = 5
    slots: FairSlots = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.result_cap < 0 or self.workers < 1:
            raise ValueError("the timeout and the worker count must be positive, the result cap not negative")
        if self.isolation not in ("process", "thread"):
            raise ValueError(f"query isolation {self.isolation!r}: use process or thread")
        if self.isolation == "process" and not hasattr(os, "fork"):
            raise ValueError("process isolation needs os.fork, which this platform lacks; use isolation='thread'")
        object.__setattr__(self, "slots", FairSlots(self.workers))


class _Stop(Exception):
    """Raised inside a serializer's write() to stop evaluation (cap reached, or abandoned)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
            raise _Stop("abandoned")
        chunk = bytes(data)
        self.lines += chunk.count(b"\n")
        self.bytes += len(chunk)
        if self.lines > self._budget:
            raise _Stop("cap")
        if self.bytes > self._max_bytes:
            raise _Stop("bytes")
        self._sink(chunk)
        return len(chunk)


def _evaluate(
    store: GraphStore,
    text: str,
    substitutions: Mapping[str, Term] | None,
    default_graph: Sequence[ox.NamedNode],
    named_graphs: Sequence[ox.NamedNode],
    limits: QueryLimits,
    abandoned: threading.Event | None,
) -> Work:
    """The work of one query: evaluate and stream the serialized result into a sink."""

    def work(sink: Sink) -> dict[str, Any]:
        result = store.query(text, substitutions=substitutions, default_graph=default_graph, named_graphs=named_graphs)
        if isinstance(result, ox.QueryBoolean):
            sink(result.serialize(format=ox.QueryResultsFormat.JSON) or b"")
            return {"kind": "boolean"}
        triples = isinstance(result, ox.QueryTriples)
        writer = _LineCountingWriter(sink, limits.result_cap, limits.result_bytes, 0 if triples else 1, abandoned)
        stream = cast(IO[bytes], writer)  # a raw binary stream, which is what pyoxigraph writes to
        if isinstance(result, ox.QueryTriples):
            result.serialize(stream, ox.RdfFormat.N_TRIPLES)
        else:
            result.serialize(stream, ox.QueryResultsFormat.TSV)
        return {"kind": "triples" if triples else "solutions"}

    return work


def _outcome_of(work: Work, sink: Sink) -> dict[str, Any]:
    """Run the work and describe how it ended, in a form that crosses a pipe."""
    try:
        return work(sink)
    except _Stop as stop:
        return {"error": stop.reason}
    except SyntaxError as error:
        return {"error": "syntax", "message": str(error.args[0]) if error.args else str(error)}
    except Exception as error:  # reported to the caller, whatever pyoxigraph raised
        return {"error": "failed", "message": f"{type(error).__name__}: {error}"}


# --- process isolation -----------------------------------------------------------------------

_DATA, _END = b"D", b"E"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _frame(fd: int, tag: bytes, payload: bytes) -> None:
    _write_all(fd, tag + struct.pack(">I", len(payload)) + payload)


def _close_inherited_channels(keep: int) -> None:
    """Close the sockets and pipes the child inherited (client connections, the listening socket,
    other queries' pipes), so that none stays open because of this child. Files stay open: an
    on-disk store reads through them."""
    try:
        candidates = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        candidates = list(range(3, 4096))
    for fd in candidates:
        if fd <= 2 or fd == keep:
            continue
        try:
            mode = os.fstat(fd).st_mode
            if stat.S_ISSOCK(mode) or stat.S_ISFIFO(mode):
                os.close(fd)
        except OSError:
            continue


def _shielded(work: Work, network: bool) -> Work:
    """The work, run on a thread that (unless `network`, for admins) cannot open a connection:
    a SERVICE or LOAD that got past graph.guards.outbound then fails instead of connecting. Only for a
    thread or process that ends with the work, since the filter stays."""
    if network or not netguard.works():
        return work

    def run(sink: Sink) -> dict[str, Any]:
        netguard.forbid_network()
        return work(sink)

    return run


def _child(work: Work, fd: int, timeout: float, network: bool = False, niceness: int = 0) -> None:
    """The forked child: run the work, stream frames to the parent, and leave with os._exit so
    that nothing inherited (atexit hooks, buffers, the database handle) is flushed or closed."""
    status = 1
    try:
        import gc

        gc.disable()  # no finalizers of inherited objects may run here
        _close_inherited_channels(fd)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
            signal.signal(number, signal.SIG_DFL)
        signal.alarm(int(timeout) + 2)  # dies by itself even if the parent went away
        if niceness:
            os.nice(niceness)
        outcome = _outcome_of(_shielded(work, network), lambda chunk: _frame(fd, _DATA, chunk))
        _frame(fd, _END, json.dumps(outcome).encode())
        status = 0
    finally:
        os._exit(status)


class _Deadlocked(Exception):
    """The child waits on a lock nobody will release (see _deadlocked)."""


class _WriteUnderWay(Exception):
    """A store write is inside the engine: no fork now (see run_isolated)."""


def _cpu_ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return None


def _deadlocked(pid: int, ticks_before: int | None) -> tuple[bool, int | None]:
    """Whether a forked child is stuck on an inherited lock: asleep in a futex wait and using no
    CPU since the last look. The child has a single thread, so it has nobody to wait for; a query
    that works burns CPU, and one waiting on disk or network sleeps elsewhere than in a futex.
    Linux only (reads /proc); elsewhere this never fires and a stuck child meets the deadline."""
    ticks = _cpu_ticks(pid)
    try:
        waiting = "futex" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False, ticks
    return waiting and ticks is not None and ticks == ticks_before, ticks


def _read_frames(fd: int, pid: int, deadline: float, timeout: float) -> tuple[bytes, dict[str, Any] | None]:
    """Collect the child's frames until it closes the pipe; kill it at the deadline. Raises
    _Deadlocked when the child is stuck on a lock it inherited."""
    buffer = bytearray()
    ticks: int | None = None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            raise QueryTimeout(timeout)
        readable, _, _ = select.select([fd], [], [], min(remaining, _PROBE_INTERVAL))
        if not readable:
            stuck, ticks = _deadlocked(pid, ticks)
            if stuck:
                raise _Deadlocked()
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        buffer += chunk
    data, outcome, position = bytearray(), None, 0
    while position + 5 <= len(buffer):
        tag, size = buffer[position : position + 1], struct.unpack(">I", buffer[position + 1 : position + 5])[0]
        payload = bytes(buffer[position + 5 : position + 5 + size])
        position += 5 + size
        if tag == _DATA:
            data += payload
        elif tag == _END:
            outcome = json.loads(payload)
    return bytes(data), outcome


def _fork_worker(work: Work, limits: QueryLimits, deadline: float, network: bool = False) -> tuple[int, int]:
    """Fork one worker; returns its pid and the read end of its pipe. Raises _WriteUnderWay
    rather than wait for a write."""
    if not WRITE_GATE.begin_fork():
        raise _WriteUnderWay()
    try:
        read_fd, write_fd = os.pipe()
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork in a threaded process: see _run_in_process.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            try:
                os.close(read_fd)
                _child(work, write_fd, limits.timeout, network, limits.niceness)
            finally:
                os._exit(1)  # whatever happens, the child never runs on as a copy of the server
        # Closed before the gate opens, so no other worker forked later inherits it (the parent
        # would then wait for that worker too before it saw this pipe's end).
        os.close(write_fd)
    finally:
        WRITE_GATE.end_fork()  # only the parent gets here
    return pid, read_fd


def _run_in_process(work: Work, limits: QueryLimits, deadline: float, network: bool = False) -> tuple[bytes, dict[str, Any]]:
    """Run the work in a forked child, killed at the deadline.

    Forking a threaded process copies every lock as it was: one held by another thread at that
    instant (a reader of the store, RocksDB's flush and compaction threads) is never released in
    the child. No engine write is under way (WRITE_GATE, else _WriteUnderWay), but readers and
    RocksDB's own threads cannot be paused: measured, 20 of 400 forks hung with two threads
    reading and one writing an on-disk store. Such a child is recognised (_deadlocked), killed
    and forked again; by then the lock is free. Measured with this: none of 400 failed."""
    for _ in range(_FORK_ATTEMPTS):
        pid, read_fd = _fork_worker(work, limits, deadline, network)
        try:
            data, outcome = _read_frames(read_fd, pid, deadline, limits.timeout)
        except _Deadlocked:
            continue
        finally:
            os.close(read_fd)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)  # a no-op for a child that already left
            os.waitpid(pid, 0)
        if outcome is None:
            raise QueryFailed("the query worker process died without an answer (out of memory?)")
        return data, outcome
    raise QueryFailed(f"{_FORK_ATTEMPTS} query workers in a row were stuck on a lock inherited at the fork; try again")


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
            box.update(_outcome_of(_shielded(work_for(abandoned), network), chunks.append))
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
    unless `network` (admins' SERVICE and LOAD): see graph.store.netguard."""
    started = time.monotonic()
    deadline = started + limits.timeout
    if not limits.slots.acquire(timeout=limits.timeout):
        raise QueryBusy(limits.workers, limits.timeout)
    if not network:
        netguard.works()  # probed once, here, rather than again in every forked worker
    if limits.isolation == "process":
        release = True
        try:
            return _run_in_process(work_for(None), limits, deadline, network)
        except _WriteUnderWay:
            release = False  # the thread below takes the slot over (module docstring: reads never wait)
        finally:
            if release:
                limits.slots.release()
    return _run_in_thread(work_for, limits, deadline, network)  # the thread releases the slot


def raise_for_outcome(outcome: dict[str, Any], limits: QueryLimits) -> None:
    """Turn a worker's reported failure into the query-limit error it stands for."""
    error = outcome.get("error")
    if error is None:
        return
    if error == "cap":
        raise ResultCapExceeded(limits.result_cap)
    if error == "bytes":
        raise ResultCapExceeded(limits.result_bytes, in_bytes=True)
    if error == "abandoned":
        raise QueryTimeout(limits.timeout)
    if error == "syntax":
        raise SyntaxError(outcome.get("message", "invalid query"))
    raise QueryFailed(outcome.get("message", "the query failed"))


def _result_from(kind: str, data: bytes) -> QueryResult:
    """Turn the serialized result back into pyoxigraph's own result types."""
    if kind == "boolean":
        return ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
    if kind == "solutions":
        return ox.parse_query_results(data, ox.QueryResultsFormat.TSV)
    # pyoxigraph cannot build a QueryTriples from Python, so the triples go through a scratch
    # store and a CONSTRUCT; a graph result is a set, so order and duplicates do not matter.
    scratch = ox.Store()
    scratch.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(data, ox.RdfFormat.N_TRIPLES))
    return scratch.query(catalog.text("limits/all_triples"))


def run_limited(
    store: GraphStore,
    text: str,
    *,
    limits: QueryLimits,
    default_graph: Sequence[ox.NamedNode],
    named_graphs: Sequence[ox.NamedNode],
    substitutions: Mapping[str, Term] | None = None,
    network: bool = False,
) -> QueryResult:
    """Run a query over an explicit dataset under `limits`; without `network` (the default) the
    worker cannot open connections, so SERVICE fails (graph.store.netguard).

    Both graph lists are required and may be empty: pyoxigraph reads a None as "no restriction"
    and then honours FROM, FROM NAMED and GRAPH <iri> over the whole store.
    Raises SyntaxError, QueryTimeout, ResultCapExceeded, QueryBusy or QueryFailed.
    """
    if default_graph is None or named_graphs is None:
        raise ValueError("run_limited needs an explicit dataset: default_graph and named_graphs")
    default, named = list(default_graph), list(named_graphs)
    data, outcome = run_isolated(
        lambda abandoned: _evaluate(store, text, substitutions, default, named, limits, abandoned), limits, network=network
    )
    raise_for_outcome(outcome, limits)
    return _result_from(outcome["kind"], data)
