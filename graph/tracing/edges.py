"""Relations as edges between their two role-players, read one node at a time.

Relation nodes (Command, Subordination, Membership, ...) become edges between their two
role-players. Which two roles, and which way the edge points, is said in one place only:
`queries/tracing/edges.rq`, which returns the edges of one node in one query. Every traversal
(ego network, shortest paths, timeline, profile) reads edges through `edges_of`, so views and
vetting get the same edges.

Time: OWL has no time, so "at a date" is a filter on the relation nodes' own dates, read by the
one set of rules in graph/vetting/dates.py: a relation is kept at D when its dates prove it held
then, or allow it (an unknown start or end, a partial date); only one the dates rule out is
dropped. Undated relations are kept at every date: absence of a date means unknown, not never.
`Edge.reading_at` says which it was, so a view can tell "held" from "may have held".

Speed: the edge query binds the node first, so it reads the (role, node) index and never scans.
It runs on the dataset's data graphs only (the ontology, inferred and meta graphs hold no relation
nodes), which is a narrowing of what the caller may see, never a widening. The nodes of one ring
are read in parallel on a few shared threads (the embedded engine releases the GIL while it evaluates).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date

from graph.index.subjects import Subject
from graph.index.terms import Terms
from graph.query.sparql import Dataset
from graph.store import GraphStore, rdf
from graph.tracing.errors import BadParameter
from graph.vetting.dates import DAY, Overlap, Period, parse_date, parse_flag, parse_precision, valid_at
from ontology.namespaces import AG, SYSTEM_GRAPHS
from queries import catalog

RELATION = AG + "Relation"
PERPETRATION = AG + "Perpetration"
_NOT_DATA = SYSTEM_GRAPHS  # ontology, inferred links, the store's own records: no relation nodes


@dataclass(frozen=True)
class Edge:
    """A relation node seen as an edge from `source` to `target` (undirected when not `directed`)."""

    relation: str
    cls: str
    source: str
    target: str
    source_role: str
    target_role: str
    directed: bool
    start: str | None
    end: str | None
    confidence: str | None
    status: str | None
    sources: tuple[str, ...]
    start_precision: str = DAY
    end_precision: str = DAY
    ongoing: bool = False

    @property
    def period(self) -> Period:
        return Period(parse_date(self.start), parse_date(self.end), self.start_precision, self.end_precision, self.ongoing)

    def reading_at(self, at: date) -> Overlap:
        """Held at `at` (YES), may have held (UNCERTAIN: an unknown or partial bound), or not (NO)."""
        return valid_at(self.period, at)

    def other(self, node: str) -> str:
        return self.target if node == self.source else self.source

    def role_of(self, node: str) -> str:
        return self.source_role if node == self.source else self.target_role

    def valid_at(self, at: date | None) -> bool:
        """Kept at `at` unless its dates rule it out (graph.vetting.dates); always without a date."""
        return at is None or self.reading_at(at) is not Overlap.NO


@dataclass(frozen=True)
class EdgeFilter:
    """Which edges a traversal follows: valid at a date, and of some relation classes (with subclasses)."""

    at: date | None = None
    classes: frozenset[str] | None = None

    def keep(self, edge: Edge) -> bool:
        return edge.valid_at(self.at) and (self.classes is None or edge.cls in self.classes)


def data_graphs(dataset: Dataset) -> list[rdf.NamedNode]:
    """The dataset's graphs that can hold relation nodes (every visible graph but the system ones)."""
    return [graph for graph in dataset.graphs if graph.value not in _NOT_DATA]


def _value(term: object) -> str | None:
    return None if term is None else term.value  # type: ignore[attr-defined]


def _edge_from_row(node: str, row: rdf.Row) -> Edge:
    forward = row["forward"].value == "true"
    counterpart = row["counterpart"].value
    role, other_role = row["role"].value, row["otherRole"].value
    return Edge(
        relation=row["relation"].value,
        cls=row["class"].value,
        source=node if forward else counterpart,
        target=counterpart if forward else node,
        source_role=role if forward else other_role,
        target_role=other_role if forward else role,
        directed=row["directed"].value == "true",
        start=_value(row["start"]),
        end=_value(row["end"]),
        confidence=_value(row["confidence"]),
        status=_value(row["status"]),
        sources=tuple(sorted(set((_value(row["sources"]) or "").split()))),
        start_precision=parse_precision(_value(row["startPrecision"])),
        end_precision=parse_precision(_value(row["endPrecision"])),
        ongoing=parse_flag(_value(row["ongoing"])),
    )


def edges_of(store: GraphStore, dataset: Dataset, node: str, terms: Terms) -> list[Edge]:
    """Every edge that has `node` at one end, one query (`queries/tracing/edges.rq`), earliest first."""
    solutions = store.select(
        catalog.text("tracing/edges"),
        bindings={"actor": rdf.NamedNode(node)},
        default_graph=data_graphs(dataset),
    )
    # One relation can come back several times: once per rdf:type, or for two role pairs (a
    # judgment naming a court and a program). Keep its lowest pair and its most specific class.
    best: dict[str, tuple[int, Edge]] = {}
    classes: dict[str, list[str]] = {}
    for row in solutions:
        relation = row["relation"].value
        classes.setdefault(relation, []).append(row["class"].value)
        pair = int(row["pair"].value)
        if relation not in best or pair < best[relation][0]:
            best[relation] = (pair, _edge_from_row(node, row))
    edges = []
    for relation, (_, edge) in best.items():
        specific = terms.most_specific(classes[relation], within=RELATION) or sorted(classes[relation])
        edges.append(replace(edge, cls=specific[0]))
    edges.sort(key=lambda e: (e.start or "9999", e.relation))
    return edges


@dataclass(frozen=True)
class Dates:
    """A node's own dates as recorded (an incident's), with their precision."""

    start: str | None = None
    end: str | None = None
    start_precision: str = DAY
    end_precision: str = DAY
    ongoing: bool = False


def recorded_dates(subject: Subject | None) -> Dates:
    """A node's own dates (an incident's, a program's) as the subject index keeps them, with the
    precision its source gave them: an incident given as "2010" is stored 2010-01-01, so a page
    that shows it reads the precision here, not a day nobody recorded."""
    if subject is None:
        return Dates()
    return Dates(
        start=subject.start,
        end=subject.end,
        start_precision=parse_precision(subject.start_precision),
        end_precision=parse_precision(subject.end_precision),
        ongoing=parse_flag(subject.ongoing),
    )


def relation_classes(terms: Terms, types: str | Sequence[str] | None) -> frozenset[str] | None:
    """Relation classes named by short name or IRI (comma-separated), each with its subclasses."""
    if types is None:
        return None
    names = [n.strip() for n in (types.split(",") if isinstance(types, str) else types) if n.strip()]
    if not names:
        return None
    found: set[str] = set()
    for name in names:
        cls = terms.resolve_class(name)
        if cls is None or not terms.is_a(cls, RELATION) or cls == RELATION:
            raise BadParameter("types", f"{name!r} is not a relation class; use short names such as Command,Subordination,Membership")
        found |= terms.descendants(cls)
    return frozenset(found)


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """A few shared threads to read one ring's edges at once. The embedded engine releases the GIL while it
    evaluates, so a ring of ten nodes costs about what five do on two cores; the threads are
    shared, so concurrent requests never start more than these."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="tracing")
        return _POOL


class Neighbours:
    """The edges around nodes, each node queried at most once per request, filtered."""

    def __init__(self, store: GraphStore, dataset: Dataset, terms: Terms, keep: EdgeFilter) -> None:
        self._store, self._dataset, self._terms, self._keep = store, dataset, terms, keep
        self._seen: dict[str, list[Edge]] = {}
        self.queries = 0

    def _read(self, node: str) -> list[Edge]:
        return [e for e in edges_of(self._store, self._dataset, node, self._terms) if self._keep.keep(e)]

    def prefetch(self, nodes: Sequence[str]) -> None:
        """Read the edges of every node of a ring, in parallel when there are several."""
        todo = [n for n in dict.fromkeys(nodes) if n not in self._seen]
        if len(todo) > 1:
            self.queries += len(todo)
            self._seen.update(zip(todo, _pool().map(self._read, todo)))

    def __call__(self, node: str) -> list[Edge]:
        edges = self._seen.get(node)
        if edges is None:
            self.queries += 1
            edges = self._seen[node] = self._read(node)
        return edges
