"""Query workers that are started, not forked: each reads a checkpoint of the store, and one that
runs past its deadline is killed and replaced (`isolation="pool"`).

Why: pyoxigraph cannot cancel a query, so only a process can be stopped (graph.store.embedded.isolation),
and forking the server for every query costs tens of milliseconds in a large process. These
workers are started once, with `python -m graph.store.embedded.pool_worker`, so they inherit no
lock, no socket and no memory of the server's.

What they read: `Store.read_only()` beside a process that writes is undefined behaviour, so a worker
never opens the live store. After every write the server takes a checkpoint (`Store.backup`, which
hard-links the database files) before the write returns, and every query names the newest
checkpoint; a worker opens it on its first query there. The consistency rule follows: a write is
visible to every query that starts after it returned, hence as soon as its HTTP response is sent.
A checkpoint that is neither the newest nor open in any worker is deleted.

The protocol is a pickled request on the worker's stdin, and on its stdout "parsed" once the text
parsed (the first thing a worker does with it), then a pickled (data, outcome) answer, each behind a
4-byte length (a worker that dies before "parsed" died in the parser: ParserCrash, a 400); a worker has no network (graph.store.embedded.netguard).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pickle
import queue
import select
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from graph.errors import ParserCrash
from graph.store.limits import QueryBusy, QueryFailed, QueryLimits, QueryTimeout

_HEADER = struct.Struct(">I")
_CHECKPOINT_ATTEMPTS = 5
# After a parser crash in a worker, texts go through the parse-check helper first for this long
# (EmbeddedStore.parses_apart): a stream of crashing texts then kills helpers, as it would without
# the pool, rather than keep the query workers restarting.
PARSER_CRASH_COOLDOWN = 60.0
_START_TIMEOUT = 60.0  # seconds for a new worker to say it is ready (imports on a loaded machine)


@dataclass(frozen=True)
class Request:
    """One query, in the form that crosses the pipe; no text asks only to open the checkpoint."""

    checkpoint: str
    text: str | None
    substitutions: dict[ox.Variable, Any] | None
    default_graph: list[ox.NamedNode]
    named_graphs: list[ox.NamedNode]
    result_cap: int
    result_bytes: int


def send(stream: IO[bytes], value: object) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    """Read `size` bytes from a pipe; None for deadline waits for ever. Raises TimeoutError at the
    deadline and EOFError when the writer is gone."""
    chunks, missing = [], size
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError()
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise EOFError()
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def receive(fd: int, deadline: float | None) -> Any:
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    return pickle.loads(_read_exactly(fd, size, deadline))


def _number(checkpoint: Path) -> int:
    """A checkpoint's sequence number, from its directory name (`7`, or `7.tmp` half-made)."""
    digits = checkpoint.name.split(".", 1)[0]
    return int(digits) if digits.isdigit() else -1


class _Worker:
    """One worker process and what it has open."""

    def __init__(self, niceness: int) -> None:
        command = [sys.executable, "-m", "graph.store.embedded.pool_worker", str(niceness)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.fd = self.process.stdin, self.process.stdout.fileno()
        self.opened: str | None = None

    def wait_ready(self) -> bool:
        try:
            return bool(receive(self.fd, time.monotonic() + _START_TIMEOUT) == "ready")
        except (TimeoutError, EOFError, OSError, pickle.UnpicklingError):
            return False

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.stdin.close()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class QueryPool:
    """`size` workers over checkpoints of `store`, kept under `root` (deleted on close)."""

    def __init__(self, store: ox.Store, root: Path, size: int, niceness: int = 0) -> None:
        self._store: ox.Store | None = store
        self._root, self._size, self._niceness = root, size, niceness
        self._numbers = itertools.count()
        self._lock, self._rolling = threading.Lock(), threading.Lock()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._closed = False
        self._parser_crash_at: float | None = None
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        self._current = self._take()
        self._stale = threading.Event()
        for _ in range(size):
            threading.Thread(target=self._replace, name="query-pool-start", daemon=True).start()
        threading.Thread(target=self._keep_opening, name="query-pool-open", daemon=True).start()

    def worker_pids(self) -> set[int]:
        """The processes of the workers that are up (for operators and tests)."""
        with self._lock:
            return {worker.process.pid for worker in self._workers}

    def parser_crashed_lately(self) -> bool:
        """Whether a worker died in the parser within PARSER_CRASH_COOLDOWN seconds."""
        crashed = self._parser_crash_at
        return crashed is not None and time.monotonic() - crashed < PARSER_CRASH_COOLDOWN

    def roll(self) -> None:
        """Make the store as it is now what every later query reads. Called by each write before
        it returns. One at a time: each checkpoint is taken after the previous one became current,
        so the newest holds every write that has returned."""
        with self._rolling:
            taken = self._take()
            with self._lock:
                self._current = taken
        self._collect()
        self._stale.set()

    def run(
        self,
        text: str,
        substitutions: dict[ox.Variable, Any] | None,
        default_graph: list[ox.NamedNode],
        named_graphs: list[ox.NamedNode],
        limits: QueryLimits,
        deadline: float,
    ) -> tuple[bytes, dict[str, Any]]:
        """Run one query in an idle worker and return what isolation's work returns; kill the worker
        at the deadline. The caller holds one of `limits`' slots, and there are as many workers
        as slots, so a worker is idle or being started."""
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryBusy(limits.workers, limits.timeout) from None
        before = worker.opened
        checkpoint = self._hand_out(worker)
        request = Request(checkpoint, text, substitutions, default_graph, named_graphs, limits.result_cap, limits.result_bytes)
        parsed = False
        try:
            send(worker.stdin, request)
            parsed = receive(worker.fd, deadline) == "parsed"
            data, outcome = receive(worker.fd, deadline)
        except TimeoutError:
            self._retire(worker)
            raise QueryTimeout(limits.timeout) from None
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):  # ValueError: the pool closed meanwhile
            if not parsed and worker.process.poll() is None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    worker.process.wait(timeout=1.0)  # its exit status says how the parser died
            self._retire(worker)
            # Before "parsed" the worker only parses; a SIGKILL (the pool closing, the kernel's OOM
            # killer) is no parser crash, and neither is a worker that may still be alive.
            code = worker.process.returncode
            if not parsed and code is not None and code != -signal.SIGKILL:
                self._parser_crash_at = time.monotonic()
                raise ParserCrash.of(code) from None
            raise QueryFailed("the query worker process died without an answer (out of memory?)") from None
        self._idle.put(worker)
        if before != checkpoint:  # the worker let an older checkpoint go: maybe no one reads it now
            self._collect()
        return bytes(data), dict(outcome)

    def close(self) -> None:
        self._closed = True
        # The store's own close releases its lock only when no reference to the engine remains;
        # a thread of the pool that is still starting a worker must not keep one.
        self._store = None
        self._stale.set()  # lets the opening thread see the pool is closed
        with self._lock:
            workers, self._workers = set(self._workers), set()
        for worker in workers:
            worker.kill()
        shutil.rmtree(self._root, ignore_errors=True)

    # --- workers and checkpoints ----------------------------------------------------------------

    def _take(self) -> str:
        """A new checkpoint. RocksDB now and then lists a file that a compaction deletes before it is
        linked; the checkpoint is then begun again (its half-made directory is left as `N.tmp`)."""
        for attempt in range(_CHECKPOINT_ATTEMPTS):
            target = self._root / str(next(self._numbers))
            if self._store is None:
                raise QueryFailed("the query pool is closed")
            try:
                self._store.backup(str(target))
                return str(target)
            except FileNotFoundError:
                shutil.rmtree(target.with_name(target.name + ".tmp"), ignore_errors=True)
                shutil.rmtree(target, ignore_errors=True)
                if attempt + 1 == _CHECKPOINT_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def _collect(self) -> None:
        """Delete the checkpoints no query will read again: older than the current one (a newer one
        may be being made) and open in no worker. Under the lock that hands checkpoints out."""
        with self._lock:
            current = _number(Path(self._current))
            keep = {self._current} | {w.opened for w in self._workers if w.opened}
            try:
                checkpoints = list(self._root.iterdir())
            except FileNotFoundError:  # closed and removed meanwhile, with the store's folder
                return
            for path in checkpoints:
                if str(path) not in keep and _number(path) < current:
                    shutil.rmtree(path, ignore_errors=True)

    def _hand_out(self, worker: _Worker) -> str:
        """The checkpoint a worker is to read now, recorded as open in it before _collect can run."""
        with self._lock:
            worker.opened = self._current
            return self._current

    def _keep_opening(self) -> None:
        """After each roll, have the idle workers open the new checkpoint, so that the first
        query after a write does not pay for the opening. One worker at a time is taken out."""
        while not self._closed:
            self._stale.wait()
            self._stale.clear()
            for _ in range(self._size):
                try:
                    worker = self._idle.get_nowait()
                except queue.Empty:
                    break
                if worker.opened == self._current:
                    self._idle.put(worker)
                    continue
                current = self._hand_out(worker)
                try:
                    send(worker.stdin, Request(current, None, None, [], [], 0, 0))
                    receive(worker.fd, time.monotonic() + _START_TIMEOUT)
                except (TimeoutError, EOFError, OSError, ValueError, pickle.UnpicklingError):  # ValueError: closed meanwhile
                    self._retire(worker)
                    continue
                self._idle.put(worker)
            self._collect()

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker that overran or died, and start its successor in the background, so the
        caller gets its error at the deadline rather than after a start-up."""
        with self._lock:
            self._workers.discard(worker)
        threading.Thread(target=self._retire_and_replace, args=(worker,), name="query-pool-replace", daemon=True).start()

    def _retire_and_replace(self, worker: _Worker) -> None:
        worker.kill()
        self._replace()

    def _replace(self) -> None:
        """Start a worker and make it idle once it is ready; a worker that fails to start is
        tried again after a pause (the slots keep callers from waiting past their deadline)."""
        while not self._closed:
            worker = _Worker(self._niceness)
            if worker.wait_ready():
                with self._lock:
                    self._workers.add(worker)
                    closed = self._closed
                if closed:
                    worker.kill()
                else:
                    self._idle.put(worker)
                return
            worker.kill()
            time.sleep(1.0)
