"""Shape validation of an editor's write, run in a query worker rather than on a server thread.

Validation is some 140 small queries. On a server thread each one gives up the GIL while the
engine works and then waits for it behind every reader thread, so twenty busy readers stretch a
write's validation many times over. A forked worker (the embedded store's isolation) has the interpreter to itself;
it reads the same store, staged graph included, since the staged triples are written before it
forks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from functools import lru_cache
from typing import Any

from graph.ingest.validation import ShapeValidator, Validator, Violation
from graph.store import GraphStore, rdf
from graph.store.base import Sink
from graph.store.limits import QueryLimits, raise_for_outcome


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
        self,
        store: GraphStore,
        data_graphs: Sequence[rdf.NamedNode],
        context_graphs: Sequence[rdf.NamedNode] = (),
        limit: int = 1000,
        *,
        focused: bool = False,
    ) -> list[Violation]:
        def work(sink: Sink) -> dict[str, Any]:
            found = self._inner.validate(store, data_graphs, context_graphs, limit, focused=focused)
            sink(json.dumps([asdict(violation) for violation in found]).encode())
            return {"kind": "violations"}

        data, outcome = store.run_isolated(work, self._limits)
        raise_for_outcome(outcome, self._limits)
        return [Violation(**row) for row in json.loads(data or b"[]")]
