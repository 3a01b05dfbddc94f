"""Ego networks: everything within a few relations of a node, at a date if one is given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from graph.index.cache import index_for
from graph.index.subjects import SubjectIndex
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing.edges import Edge, EdgeFilter, Neighbours, relation_classes
from graph.tracing.errors import BadParameter
from graph.tracing.refs import EdgeView, NodeRef, edge_view, node_ref

MAX_DEPTH = 3
DEFAULT_MAX_NODES = 500


@dataclass(frozen=True)
class Network:
    center: str
    depth: int
    at: date | None
    nodes: list[NodeRef]
    edges: list[EdgeView]
    truncated: bool
    max_nodes: int


def network(
    store: GraphStore,
    dataset: Dataset,
    center: str,
    *,
    depth: int = 1,
    at: date | None = None,
    types: str | Sequence[str] | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    index: SubjectIndex | None = None,
) -> Network:
    """The nodes within `depth` relations of `center` and the relations between them, following
    only relations valid `at` the date (all without one) and of the `types` classes.

    Breadth first, one edge query per node of the previous ring. At most `max_nodes` nodes: the
    first found (nearest first) are kept and `truncated` says that some were left out."""
    if not 1 <= depth <= MAX_DEPTH:
        raise BadParameter("depth", f"must be between 1 and {MAX_DEPTH}")
    index = index or index_for(store, dataset)
    terms = index.terms
    neighbours = Neighbours(store, dataset, terms, EdgeFilter(at, relation_classes(terms, types)))
    found: dict[str, int] = {center: 0}
    edges: dict[str, Edge] = {}
    truncated = False
    ring = [center]
    for hop in range(1, depth + 1):
        next_ring = []
        neighbours.prefetch(ring)
        for node in ring:
            for edge in neighbours(node):
                other = edge.other(node)
                if other not in found:
                    if len(found) >= max_nodes:
                        truncated = True
                        continue
                    found[other] = hop
                    next_ring.append(other)
                edges.setdefault(edge.relation, edge)
        ring = next_ring
        if not ring or truncated:
            break  # past the cap no new node can be added: reading further rings would be wasted
    return Network(
        center=center,
        depth=depth,
        at=at,
        nodes=[node_ref(index, iri) for iri in found],
        edges=[edge_view(terms, e) for e in edges.values()],
        truncated=truncated,
        max_nodes=max_nodes,
    )
