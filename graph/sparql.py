"""Running SPARQL for people and programs: the dataset a caller may see, and clear errors.

Visibility is enforced with pyoxigraph's `default_graph=` and `named_graphs=` arguments, which
override FROM, FROM NAMED and GRAPH in the query text; the text itself is never rewritten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph import registry
from graph.store import GraphStore, QueryResult, Term


class SparqlSyntaxError(ValueError):
    """The query text does not parse; the message is the parser's, with its position."""


@dataclass(frozen=True)
class Dataset:
    """The graphs a query sees: their union as the default graph, and each by name."""

    graphs: tuple[ox.NamedNode, ...]


def dataset_for(store: GraphStore, *, include_restricted: bool = True) -> Dataset:
    """Every registered graph (ontology, data, inferred), without restricted ones if not allowed."""
    return Dataset(tuple(registry.visible_graphs(store, include_restricted=include_restricted)))


def run_query(
    store: GraphStore,
    text: str,
    dataset: Dataset,
    *,
    substitutions: Mapping[str, Term] | None = None,
) -> QueryResult:
    """Run `text` over `dataset`. Parse errors become SparqlSyntaxError with the parser's message."""
    graphs: Sequence[ox.NamedNode] = list(dataset.graphs)
    try:
        return store.query(text, substitutions=substitutions, default_graph=graphs, named_graphs=graphs)
    except SyntaxError as error:
        raise SparqlSyntaxError(str(error.args[0]) if error.args else str(error)) from None
