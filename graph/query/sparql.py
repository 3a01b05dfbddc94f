"""Running SPARQL for people and programs: the dataset a caller may see, and clear errors.

Visibility is enforced with the store's `default_graph=` and `named_graphs=` arguments, always
given; FROM and FROM NAMED in the text choose among the caller's graphs (graph.query.dataset), and
the text itself is never rewritten.

Queries that people and programs send pass `limits=` (a QueryLimits, one per app, on
`app.state.query_limits`): they then run with a timeout and a result cap, isolated so that a
runaway query can be stopped (graph.store.limits; how is the backend's business).
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.errors import BadRequestError
from graph.guards.nesting import check_nesting
from graph.ingest import registry
from graph.query.dataset import query_dataset
from graph.store import Bindings, GraphStore, QueryResult, rdf
from graph.store.limits import QueryBusy, QueryFailed, QueryLimitExceeded, QueryLimits, QueryTimeout, ResultCapExceeded

__all__ = [
    "Dataset",
    "QueryBusy",
    "QueryFailed",
    "QueryLimitExceeded",
    "QueryLimits",
    "QueryTimeout",
    "ResultCapExceeded",
    "SparqlSyntaxError",
    "dataset_for",
    "run_query",
]


class SparqlSyntaxError(BadRequestError, ValueError):
    """The query text does not parse; the message is the parser's, with its position."""


@dataclass(frozen=True)
class Dataset:
    """The graphs a query sees: their union as the default graph, and each by name."""

    graphs: tuple[rdf.NamedNode, ...]


def dataset_for(store: GraphStore, *, include_restricted: bool = True) -> Dataset:
    """Every registered graph (ontology, data, inferred), without restricted ones if not allowed."""
    return Dataset(tuple(registry.visible_graphs(store, include_restricted=include_restricted)))


def run_query(
    store: GraphStore,
    text: str,
    dataset: Dataset,
    *,
    bindings: Bindings | None = None,
    limits: QueryLimits | None = None,
    network: bool = False,
) -> QueryResult:
    """Run `text` over `dataset`. Parse errors become SparqlSyntaxError with the parser's message;
    nesting beyond graph.guards.nesting's limit raises NestingTooDeep.

    With `limits` the query runs under a timeout and a result cap and may raise QueryTimeout,
    ResultCapExceeded or QueryBusy (all QueryLimitExceeded) or QueryFailed; every route that runs
    a query for a request should pass the app's limits. Under limits, the worker has no network
    unless `network` (an admin's SERVICE)."""
    check_nesting(text)  # deeper would crash the parser, and with it this process
    chosen = query_dataset(text, dataset.graphs)
    try:
        return store.evaluate(
            text, bindings=bindings, default_graph=chosen.default, named_graphs=chosen.named, limits=limits, network=network
        )
    except SyntaxError as error:
        raise SparqlSyntaxError(str(error.args[0]) if error.args else str(error)) from None
