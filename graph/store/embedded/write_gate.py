"""Which store writes are under way in this process, so that nobody forks in the middle of one.

A child forked while another thread is inside a write of the engine (a transaction, a bulk load,
a flush) inherits the engine's locks as they were at that instant, held by a thread that does not
exist in the child, and hangs on the first one it needs. So graph.store.embedded.isolation forks a query worker
only when no engine write is under way, and keeps writes from starting during the fork itself.

Only the engine call is covered, not the whole API write around it (validation, registry,
derived links): that is the shortest window that is unsafe to fork in, and a read that finds a
write under way does not wait for it (graph.store.embedded.isolation runs it in a thread instead).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator


class WriteGate:
    """Counts engine writes in flight; a fork happens only when there are none."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # held briefly by writers, and by a fork while it forks
        self._writes = 0

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Around one engine write. Writers do not exclude one another here (the engine does
        that); a writer only waits for a fork under way, a few milliseconds."""
        with self._lock:
            self._writes += 1
        try:
            yield
        finally:
            with self._lock:
                self._writes -= 1

    @property
    def busy(self) -> bool:
        return self._writes > 0

    def begin_fork(self) -> bool:
        """True, with writes kept out until end_fork(), when no write is under way; False (and
        nothing held) otherwise."""
        self._lock.acquire()
        if self._writes:
            self._lock.release()
            return False
        return True

    def end_fork(self) -> None:
        """Called by the parent once the fork is done (never by the child)."""
        self._lock.release()


# One per process: a fork copies every store of the process, so a write to any of them counts.
WRITE_GATE = WriteGate()
