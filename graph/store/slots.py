"""Query worker slots, handed out in the order requests asked for them.

threading.Semaphore is not fair: a released slot goes to whichever thread takes the lock first,
often one that has just arrived, and a waiter that was woken but beaten to it waits again at the
back of the queue. Under a steady stream of requests, some then wait many times longer than the
rest. Here release() hands the slot straight to the oldest waiter, so the wait for a slot follows
the queue.
"""

from __future__ import annotations

import threading
from collections import deque


class FairSlots:
    """A bounded counting semaphore with first-come, first-served hand-over."""

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("at least one slot")
        self._lock = threading.Lock()
        self._free, self._total = slots, slots
        self._waiters: deque[threading.Lock] = deque()

    def acquire(self, timeout: float | None = None) -> bool:
        """Take a slot, waiting up to `timeout` seconds (None: as long as it takes)."""
        with self._lock:
            if self._free and not self._waiters:
                self._free -= 1
                return True
            waiter = threading.Lock()
            waiter.acquire()
            self._waiters.append(waiter)
        if waiter.acquire(timeout=-1 if timeout is None else max(0.0, timeout)):
            return True  # release() handed its slot over
        with self._lock:
            try:
                self._waiters.remove(waiter)
            except ValueError:
                return True  # handed over between the timeout and here: the slot is ours
            return False

    @property
    def waiting(self) -> int:
        """How many requests wait for a slot."""
        return len(self._waiters)

    def release(self) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().release()  # the slot passes on without becoming free
                return
            if self._free >= self._total:
                raise ValueError("released more slots than were taken")
            self._free += 1
