"""Running a request's store work off the event loop, so that its query results stay there.

The embedded engine's query results (the solutions and triples streams) belong to the thread that made them:
dropped on another one they are leaked, with "... is unsendable, but is being dropped on another
thread" in the log. A result never returned still travels when the work fails: the exception's
traceback holds every frame it passed through, locals included, and the event loop thread drops
it. So the frames are cleared where the work ran, before the exception leaves that thread.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

T = TypeVar("T")


def _clearing(work: Callable[[], T]) -> Callable[[], T]:
    def run() -> T:
        try:
            return work()
        except BaseException as error:
            traceback.clear_frames(error.__traceback__)  # the work's frames, on their own thread
            raise

    return run


async def run_store_work(work: Callable[[], T]) -> T:
    """`work()` in the threadpool; an exception it raises arrives without its frames' locals."""
    return await run_in_threadpool(_clearing(work))
