"""Running store work in a forked child that is killed at the deadline (process isolation).

graph.store.embedded.isolation says why a fork, and what it costs; this module is how: the child
streams framed results through a pipe, has no network unless asked (netguard), and leaves with
os._exit. A child stuck on a lock it inherited is recognised and forked again.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import stat
import struct
import time
import warnings
from pathlib import Path
from typing import Any

from graph.errors import Signal
from graph.store.base import Sink, Work
from graph.store.embedded import netguard
from graph.store.embedded.write_gate import WRITE_GATE
from graph.store.limits import QueryFailed, QueryLimits, QueryTimeout

_PROBE_INTERVAL = 0.05  # seconds between looks at a silent worker (see _deadlocked)
_FORK_ATTEMPTS = 5


class Stop(Signal):
    """Raised inside a serializer's write() to stop evaluation (cap reached, or abandoned)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def outcome_of(work: Work, sink: Sink) -> dict[str, Any]:
    """Run the work and describe how it ended, in a form that crosses a pipe."""
    try:
        return work(sink)
    except Stop as stop:
        return {"error": stop.reason}
    except SyntaxError as error:
        return {"error": "syntax", "message": str(error.args[0]) if error.args else str(error)}
    except Exception as error:  # noqa: BLE001 - reported to the caller, whatever the engine raised
        return {"error": "failed", "message": f"{type(error).__name__}: {error}"}


def shielded(work: Work, network: bool) -> Work:
    """The work, run on a thread that (unless `network`, for admins) cannot open a connection:
    a SERVICE or LOAD that got past graph.guards.outbound then fails instead of connecting. Only for a
    thread or process that ends with the work, since the filter stays."""
    if network or not netguard.works():
        return work

    def run(sink: Sink) -> dict[str, Any]:
        netguard.forbid_network()
        return work(sink)

    return run


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
        outcome = outcome_of(shielded(work, network), lambda chunk: _frame(fd, _DATA, chunk))
        _frame(fd, _END, json.dumps(outcome).encode())
        status = 0
    finally:
        os._exit(status)


class _Deadlocked(Exception):
    """The child waits on a lock nobody will release (see _deadlocked)."""


class WriteUnderWay(Signal):
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
    """Fork one worker; returns its pid and the read end of its pipe. Raises WriteUnderWay
    rather than wait for a write."""
    if not WRITE_GATE.begin_fork():
        raise WriteUnderWay()
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


def run_in_process(work: Work, limits: QueryLimits, deadline: float, network: bool = False) -> tuple[bytes, dict[str, Any]]:
    """Run the work in a forked child, killed at the deadline.

    Forking a threaded process copies every lock as it was: one held by another thread at that
    instant (a reader of the store, RocksDB's flush and compaction threads) is never released in
    the child. No engine write is under way (WRITE_GATE, else _WriteUnderWay), but readers and
    RocksDB's own threads cannot be paused, and with readers and a writer on an on-disk store some
    forks do hang. Such a child is recognised (_deadlocked), killed and forked again; by then the
    lock is free."""
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
