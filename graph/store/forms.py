"""The typed query entry points, written once over `evaluate` for every backend.

A backend implements `evaluate` (any query form); `select`, `ask` and `construct` only check the
form of what came back, which does not depend on the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph.store import rdf
from graph.store.base import Bindings, DefaultGraph
from graph.store.limits import QueryLimits
from graph.store.results import Boolean, QueryResult, Solutions, Triples


class _Evaluates(Protocol):
    def evaluate(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        default_graph: DefaultGraph = None,
        named_graphs: Sequence[rdf.NamedNode] | None = None,
        limits: QueryLimits | None = None,
        network: bool = False,
    ) -> QueryResult: ...


def _wrong_form(expected: str, result: QueryResult, sparql: str) -> ValueError:
    return ValueError(f"expected {expected} query, got one that returns {type(result).__name__}: {sparql[:80]!r}")


class QueryForms:
    """Mixed into a backend that has `evaluate`."""

    def select(
        self: _Evaluates,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        default_graph: DefaultGraph = None,
        named_graphs: Sequence[rdf.NamedNode] | None = None,
        limits: QueryLimits | None = None,
        network: bool = False,
    ) -> Solutions:
        result = self.evaluate(
            sparql, bindings=bindings, default_graph=default_graph, named_graphs=named_graphs, limits=limits, network=network
        )
        if not isinstance(result, Solutions):
            raise _wrong_form("a SELECT", result, sparql)
        return result

    def ask(
        self: _Evaluates,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        default_graph: DefaultGraph = None,
        named_graphs: Sequence[rdf.NamedNode] | None = None,
        limits: QueryLimits | None = None,
        network: bool = False,
    ) -> bool:
        result = self.evaluate(
            sparql, bindings=bindings, default_graph=default_graph, named_graphs=named_graphs, limits=limits, network=network
        )
        if not isinstance(result, Boolean):
            raise _wrong_form("an ASK", result, sparql)
        return result.value

    def construct(
        self: _Evaluates,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        default_graph: DefaultGraph = None,
        named_graphs: Sequence[rdf.NamedNode] | None = None,
        limits: QueryLimits | None = None,
        network: bool = False,
    ) -> Triples:
        result = self.evaluate(
            sparql, bindings=bindings, default_graph=default_graph, named_graphs=named_graphs, limits=limits, network=network
        )
        if not isinstance(result, Triples):
            raise _wrong_form("a CONSTRUCT or DESCRIBE", result, sparql)
        return result
