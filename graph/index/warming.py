"""Building the search indexes in the background: at start-up, and again after each write.

The subject index (search, the subject look-up of vetting and of the pages) is rebuilt when a
graph it reads changes (graph.index.cache.warm builds it), and on a large store that takes seconds. Without
warming, the first such request after a load would wait for it; with it, the build starts as the
write ends, and a request that comes before it is done waits only for the rest (the cache builds
each index once, however many ask). Reads never see an older index than the data: warming only
builds early what the next request would have built. The server also warms the screening name
index (graph.vetting.screening.name_index.warm), which every vetting reads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from graph.store import GraphStore

log = logging.getLogger("actorgraph.index")
THREAD_NAME = "warm-search"


Task = Callable[[GraphStore], None]  # builds some cached index of the store, as it is now


class Warmer:
    """At most one warming thread per store at a time, running each task in turn. A request while
    one runs asks for one more run after it, since the write may have come after that run read the
    graphs it builds from."""

    def __init__(self, store: GraphStore, tasks: Sequence[Task]) -> None:
        self.store = store
        self._tasks = tuple(tasks)
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._idle = threading.Event()
        self._idle.set()

    def start(self) -> None:
        """Warm in the background, now or right after the run under way."""
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
            self._idle.clear()
        try:
            threading.Thread(target=self._run, name=THREAD_NAME, daemon=True).start()
        except RuntimeError:  # no thread to be had (interpreter shutting down): the next request builds
            with self._lock:
                self._running = self._again = False
                self._idle.set()
            log.warning("could not start building the search indexes in the background", exc_info=True)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no warming runs or is asked for; False if `timeout` passed first."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            for task in self._tasks:
                try:
                    task(self.store)
                except Exception:  # a closed store at shutdown, an engine gone: the next request builds
                    log.warning("building the search indexes in the background failed; the next request builds them", exc_info=True)
            with self._lock:
                if not self._again:
                    self._running = False
                    self._idle.set()
                    return
                self._again = False
