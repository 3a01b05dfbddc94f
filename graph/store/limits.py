"""Timeouts and result caps for SPARQL: what a caller asks of a query, and the errors it gets.

How a backend keeps to them is its own business: the embedded one runs each query in a forked,
killable worker or in a thread (graph.store.embedded.isolation says how, and what that cannot do).
At most `workers` queries run at once; a request that finds no free slot within the timeout gets
QueryBusy. Slots go to requests in the order they asked (graph/store/slots.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from graph.errors import ActorGraphError, BusyError, DeadlineError, InternalError, InvalidValueError
from graph.store.slots import FairSlots

Isolation = Literal["pool", "process", "thread"]
DEFAULT_ISOLATION: Isolation = "process" if hasattr(os, "fork") else "thread"
# What a server runs /sparql queries under: a pool of started workers where the store can
# checkpoint (graph.store.embedded.pool), DEFAULT_ISOLATION elsewhere.
SERVER_ISOLATION: Isolation = "pool"
# Two slots per CPU: a slot is held while the server's thread forks, waits on the child's pipe
# and for the GIL, not only while a query computes. With one per CPU, 20 concurrent readers kept
# the server at half a core and their p99 doubled (README, "Reads while an editor writes").
DEFAULT_WORKERS = max(4, 2 * (os.cpu_count() or 2))


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
        if self.isolation not in ("pool", "process", "thread"):
            raise ValueError(f"query isolation {self.isolation!r}: use pool, process or thread")
        if self.isolation == "process" and not hasattr(os, "fork"):
            raise ValueError("process isolation needs os.fork, which this platform lacks; use isolation='thread'")
        object.__setattr__(self, "slots", FairSlots(self.workers))

    def variant(self, **changes: Any) -> QueryLimits:
        """The same limits with some fields changed (say, thread isolation), drawing on the same
        worker slots, so that the variants together never run more than `workers` queries."""
        if "workers" in changes:
            raise ValueError("a variant shares its slots: it cannot change the worker count")
        changed = replace(self, **changes)
        object.__setattr__(changed, "slots", self.slots)
        return changed


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
