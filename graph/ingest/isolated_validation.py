"""Shape validation of an editor's write, run in a query worker rather than on a server thread.

Validation is some 140 small queries. On a server thread each one gives up the GIL while the
engine works and then waits for it behind every reader thread, so twenty busy readers stretch a
write's validation many times over. A forked worker (graph.store.limits) has the interpreter to itself;
it reads the same store, staged graph included, since the staged triples are written before it
forks.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import asdict
from functools import lru_cache
from typing import Any, Protocol

import pyoxigraph as ox

from graph.ingest.validation import ShapeValidator, Violation
from graph.store.limits import QueryLimits, Sink, raise_for_outcome, run_isolated


class Validator(Protocol):
    def validate(
        self, store: Any, data_graphs: Sequence[ox.NamedNode], context_graphs: Sequence[ox.NamedNode] = (), limit: int = 1000
    ) -> list[Violation]: ...


@lru_cache(maxsize=1)
def single_thread_validator() -> ShapeValidator:
    """The validator a worker uses: one thread, because the worker is meant to be alone."""
    return ShapeValidator(workers=1)


class IsolatedValidator:
    """Runs `inner`'s checks under `limits` (a worker slot, the deadline, the isolation mode) and
    hands back its violations."""

    def __init__(self, inner: Validator, limits: QueryLimits) -> None:
        self._inner, self._limits = inner, limits

    def validate(
        self, store: Any, data_graphs: Sequence[ox.NamedNode], context_graphs: Sequence[ox.NamedNode] = (), limit: int = 1000
    ) -> list[Violation]:
        def work_for(_abandoned: threading.Event | None) -> Any:
            def work(sink: Sink) -> dict[str, Any]:
                found = self._inner.validate(store, data_graphs, context_graphs, limit)
                sink(json.dumps([asdict(violation) for violation in found]).encode())
                return {"kind": "violations"}

            return work

        data, outcome = run_isolated(work_for, self._limits)
        raise_for_outcome(outcome, self._limits)
        return [Violation(**row) for row in json.loads(data or b"[]")]
