"""Shortest paths between two nodes: a bidirectional breadth-first search over the edges, within a budget."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from graph.index.cache import index_for
from graph.index.subjects import SubjectIndex
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing.edges import Edge, EdgeFilter, Neighbours, relation_classes
from graph.tracing.errors import BadParameter
from graph.tracing.refs import EdgeView, NodeRef, edge_view, node_ref

MAX_PATH_HOPS = 6
# A path search reads the edges of at most this many nodes. Through a hub (a donor that funds a
# thousand programs) a frontier can hold thousands of nodes; past the budget the search stops and
# says so rather than running for seconds.
DEFAULT_PATH_BUDGET = 2000


@dataclass(frozen=True)
class Hop:
    """One step of a path: from a node to the next, through a relation (whichever way it points)."""

    source: str
    target: str
    relation: EdgeView


@dataclass(frozen=True)
class Path:
    length: int
    nodes: list[str]
    hops: list[Hop]


@dataclass(frozen=True)
class Paths:
    source: str
    target: str
    max_hops: int
    at: date | None
    length: int | None
    paths: list[Path]
    nodes: list[NodeRef]
    truncated: bool
    expanded: int = field(default=0)  # nodes whose edges were read: the search's cost
    budget_exhausted: bool = field(default=False)  # stopped before max_hops: no path found is then not proof


Parents = dict[str, list[tuple[str, Edge]]]


def _expand(ring: list[str], dist: dict[str, int], parents: Parents, neighbours: Neighbours) -> list[str]:
    """One BFS layer from `ring`: every node one step further, with all its parents on the layer."""
    layer = dist[ring[0]] + 1
    new: list[str] = []
    neighbours.prefetch(ring)
    for node in ring:
        for edge in neighbours(node):
            other = edge.other(node)
            known = dist.get(other)
            if known is None:
                dist[other] = layer
                parents[other] = [(node, edge)]
                new.append(other)
            elif known == layer:
                parents[other].append((node, edge))
    return new


def _walks(node: str, parents: Parents, end: str) -> Iterator[list[tuple[str, str, Edge]]]:
    """Every shortest walk from `end` to `node` as (from, to, edge) steps, lazily."""
    if node == end:
        yield []
        return
    for previous, edge in parents.get(node, ()):
        for walk in _walks(previous, parents, end):
            yield walk + [(previous, node, edge)]


def paths(
    store: GraphStore,
    dataset: Dataset,
    source: str,
    target: str,
    *,
    max_hops: int = 4,
    at: date | None = None,
    types: str | Sequence[str] | None = None,
    limit: int = 10,
    budget: int = DEFAULT_PATH_BUDGET,
    index: SubjectIndex | None = None,
) -> Paths:
    """The shortest relationship paths between two nodes, up to `max_hops` relations long.

    Bidirectional breadth-first search over the edge query: each round expands the smaller of the
    two frontiers by one layer, so the work grows with about twice the square root of what a
    one-sided search would read. Edge direction is ignored (a unit's commander and its parent unit
    are both linked to it); each hop still says which way its relation points. At most `limit`
    paths are returned, and `truncated` says when there were more. At most `budget` nodes are
    expanded; a search that would need more stops with `budget_exhausted`."""
    if not 1 <= max_hops <= MAX_PATH_HOPS:
        raise BadParameter("max", f"must be between 1 and {MAX_PATH_HOPS}")
    index = index or index_for(store, dataset)
    terms = index.terms
    neighbours = Neighbours(store, dataset, terms, EdgeFilter(at, relation_classes(terms, types)))
    found: list[list[tuple[str, str, Edge]]] = []
    truncated = exhausted = False
    length: int | None = None
    if source == target:
        length = 0
        found.append([])
    else:
        dist_a, dist_b = {source: 0}, {target: 0}
        parents_a: Parents = {}
        parents_b: Parents = {}
        ring_a, ring_b = [source], [target]
        depth_a = depth_b = 0
        while ring_a and ring_b and depth_a + depth_b < max_hops:
            if neighbours.queries + min(len(ring_a), len(ring_b)) > budget:
                exhausted = True
                break
            if len(ring_a) <= len(ring_b):
                ring_a = _expand(ring_a, dist_a, parents_a, neighbours)
                depth_a += 1
                meeting = [n for n in ring_a if n in dist_b]
            else:
                ring_b = _expand(ring_b, dist_b, parents_b, neighbours)
                depth_b += 1
                meeting = [n for n in ring_b if n in dist_a]
            if meeting:
                length = min(dist_a[n] + dist_b[n] for n in meeting)
                for middle in sorted(n for n in meeting if dist_a[n] + dist_b[n] == length):
                    for head in _walks(middle, parents_a, source):
                        for tail in _walks(middle, parents_b, target):
                            if len(found) >= limit:
                                truncated = True
                                break
                            found.append(head + [(b, a, e) for a, b, e in reversed(tail)])
                        if truncated:
                            break
                    if truncated:
                        break
                break
    result: list[Path] = []
    on_paths: dict[str, None] = {source: None, target: None}
    for walk in found:
        nodes = [source] + [step[1] for step in walk]
        on_paths.update(dict.fromkeys(nodes))
        hops = [Hop(a, b, edge_view(terms, e)) for a, b, e in walk]
        result.append(Path(len(walk), nodes, hops))
    return Paths(
        source=source,
        target=target,
        max_hops=max_hops,
        at=at,
        length=length,
        paths=result,
        nodes=[node_ref(index, iri) for iri in on_paths],
        truncated=truncated,
        expanded=neighbours.queries,
        budget_exhausted=exhausted,
    )
