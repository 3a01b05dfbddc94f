"""Tracing who is linked to whom, and when: edges, ego networks, paths, timelines and profiles.

Relation nodes (Command, Subordination, Membership, ...) become edges between their two
role-players. Which two roles, and which way the edge points, is said in one place only:
`queries/tracing/edges.rq`, which returns the edges of one node in one query. Everything here
(ego network, shortest paths, timeline, profile) is a traversal over that query, so views and
vetting can reuse `edges_of` and get the same edges.

Time: OWL has no time, so "at a date" is a filter on the relation nodes' own dates, read by the
one set of rules in graph/vetting/dates.py: a relation is kept at D when its dates prove it held
then, or allow it (an unknown start or end, a partial date); only one the dates rule out is
dropped. Undated relations are kept at every date: absence of a date means unknown, not never.
`Edge.reading_at` says which it was, so a view can tell "held" from "may have held".

Speed: the edge query binds the node first, so it reads the (role, node) index and never scans.
It runs on the dataset's data graphs only (the ontology, inferred and meta graphs hold no relation
nodes), which is a narrowing of what the caller may see, never a widening. The nodes of one ring
are read in parallel on a few shared threads (pyoxigraph releases the GIL while it evaluates).
Labels, types and kinds of the nodes come from the in-process subject index (graph/index/search.py),
not from more queries. On a 1M-triple disk store a 2-hop network at a date takes 2-4 ms at the
median (bench/tracing.py).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date

import pyoxigraph as ox

from graph.errors import InvalidValueError, NotFoundError
from graph.index import identifiers
from graph.index.search import NAMESPACE_PREFIXES, SubjectIndex, Terms, index_for, local_name
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.vetting.dates import DAY, Overlap, Period, parse_date, parse_precision, valid_at
from ontology.namespaces import AG, SYSTEM_GRAPHS
from queries import catalog

RELATION = AG + "Relation"
PERPETRATION = AG + "Perpetration"
_NOT_DATA = SYSTEM_GRAPHS  # ontology, inferred links, the store's own records: no relation nodes

MAX_DEPTH = 3
MAX_PATH_HOPS = 6
DEFAULT_MAX_NODES = 500
# A path search reads the edges of at most this many nodes. Through a hub (a donor that funds a
# thousand programs) a frontier can hold thousands of nodes; past the budget the search stops and
# says so rather than running for seconds.
DEFAULT_PATH_BUDGET = 2000


#################################################################
# Errors the API turns into 404 / 422
#################################################################


class NotFound(NotFoundError, LookupError):
    """Nothing with that name, or not the kind of thing asked for; the message says which."""


class BadParameter(InvalidValueError, ValueError):
    """A parameter value is not usable; `parameter` names it for a 422."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter, self.message = parameter, message


#################################################################
# Edges
#################################################################


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


def data_graphs(dataset: Dataset) -> list[ox.NamedNode]:
    """The dataset's graphs that can hold relation nodes (every visible graph but the system ones)."""
    return [graph for graph in dataset.graphs if graph.value not in _NOT_DATA]


def _value(term: object) -> str | None:
    return None if term is None else term.value  # type: ignore[attr-defined]


def _edge_from_row(node: str, row: ox.QuerySolution) -> Edge:
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
        ongoing=(_value(row["ongoing"]) or "").lower() in ("true", "1"),
    )


def edges_of(store: GraphStore, dataset: Dataset, node: str, terms: Terms) -> list[Edge]:
    """Every edge that has `node` at one end, one query (`queries/tracing/edges.rq`), earliest first."""
    solutions = store.query(
        catalog.text("tracing/edges"),
        substitutions={"actor": ox.NamedNode(node)},
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
    """A few shared threads to read one ring's edges at once. pyoxigraph releases the GIL while it
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


#################################################################
# Naming subjects
#################################################################


def resolve(store: GraphStore, dataset: Dataset, name: str, *, what: str = "subject") -> str:
    """The IRI of the subject called `name`: an IRI, a kind/slug (optionally after fictional/ or
    synthetic/), or a dcterms:identifier."""
    name = name.strip()
    for prefix, base in NAMESPACE_PREFIXES.items():
        # identifiers.resolve knows kind/slug; the namespace-qualified form is resolved here.
        if name.startswith(prefix) and "://" not in name:
            try:
                return identifiers.resolve(store, dataset, base + name[len(prefix) :].strip("/")).value
            except identifiers.UnknownSubject:
                break
    try:
        return identifiers.resolve(store, dataset, name).value
    except identifiers.UnknownSubject:
        raise NotFound(f"no {what} named {name!r} (tried it as an IRI, as kind/slug and as an identifier)") from None
    except identifiers.AmbiguousSubject as error:
        raise BadParameter("id", str(error)) from None


def resolve_kind(
    store: GraphStore, dataset: Dataset, index: SubjectIndex, name: str, kinds: tuple[str, ...] = ("actor",)
) -> str:
    """Like `resolve`, and the subject must be of one of `kinds` (actor, program, incident)."""
    what = " or ".join(kinds) if len(kinds) < 3 else ", ".join(kinds[:-1]) + " or " + kinds[-1]
    iri = resolve(store, dataset, name, what=what)
    subject = index.get(iri)
    if subject is None or subject.kind not in kinds:
        if subject is not None and subject.kind != "other":
            raise NotFound(f"{name!r} names {iri}, which is a {subject.kind}, not {_article(what)} {what}")
        raise NotFound(f"{name!r} names {iri}, which is not {_article(what)} {what}")
    return iri


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


#################################################################
# Shared output records
#################################################################


@dataclass(frozen=True)
class NodeRef:
    """A node as views show it."""

    id: str
    label: str
    types: list[str]
    kind: str


@dataclass(frozen=True)
class EdgeView:
    """An edge as views show it: labels instead of IRIs for class, confidence and status."""

    id: str
    source: str
    target: str
    type: str
    label: str
    start: str | None
    end: str | None
    confidence: str | None
    status: str | None
    sources: int
    directed: bool
    ongoing: bool = False  # an open end is ongoing only when the data says so; otherwise it is unknown


def node_ref(index: SubjectIndex, iri: str) -> NodeRef:
    subject = index.get(iri)
    if subject is None:
        return NodeRef(iri, local_name(iri), [], "other")
    types = index.terms.most_specific(subject.types)
    return NodeRef(iri, subject.label, [local_name(t) for t in types], subject.kind)


def edge_view(terms: Terms, edge: Edge) -> EdgeView:
    return EdgeView(
        id=edge.relation,
        source=edge.source,
        target=edge.target,
        type=local_name(edge.cls),
        label=terms.label(edge.cls),
        start=edge.start,
        end=edge.end,
        confidence=terms.label(edge.confidence) if edge.confidence else None,
        status=terms.label(edge.status) if edge.status else None,
        sources=len(edge.sources),
        directed=edge.directed,
        ongoing=edge.ongoing,
    )


#################################################################
# Ego network
#################################################################


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


#################################################################
# Shortest paths
#################################################################


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


#################################################################
# Timeline
#################################################################


@dataclass(frozen=True)
class TimelineEntry:
    """A dated relation of the actor, or an incident it is recorded in (through a perpetration)."""

    kind: str  # "relation" or "incident"
    date: str | None
    start: str | None
    end: str | None
    relation: str
    type: str
    label: str
    role: str
    counterpart: NodeRef
    confidence: str | None
    status: str | None
    sources: int


@dataclass(frozen=True)
class Timeline:
    actor: NodeRef
    total: int
    limit: int
    offset: int
    entries: list[TimelineEntry]


def _sort_key(entry: TimelineEntry) -> tuple[int, str, str, str]:
    return (0 if entry.date else 1, entry.date or "", entry.end or "", entry.relation)


def timeline_entries(store: GraphStore, dataset: Dataset, actor: str, index: SubjectIndex) -> list[TimelineEntry]:
    """Every relation and incident involving `actor`, dated ones in date order, undated last.

    A perpetration node usually carries no date of its own: the incident does. So each
    perpetration becomes an incident entry dated by the incident."""
    terms = index.terms
    entries = []
    for edge in edges_of(store, dataset, actor, terms):
        other = edge.other(actor)
        counterpart = node_ref(index, other)
        start, end, kind = edge.start, edge.end, "relation"
        if terms.is_a(edge.cls, PERPETRATION) and counterpart.kind == "incident":
            incident = index.get(other)
            kind = "incident"
            start = edge.start or (incident.start if incident else None)
            end = edge.end or (incident.end if incident else None)
        entries.append(
            TimelineEntry(
                kind=kind,
                date=start or end,
                start=start,
                end=end,
                relation=edge.relation,
                type=local_name(edge.cls),
                label=terms.label(edge.cls),
                role=terms.label(edge.role_of(actor)),
                counterpart=counterpart,
                confidence=terms.label(edge.confidence) if edge.confidence else None,
                status=terms.label(edge.status) if edge.status else None,
                sources=len(edge.sources),
            )
        )
    entries.sort(key=_sort_key)
    return entries


def timeline(
    store: GraphStore, dataset: Dataset, actor: str, *, limit: int = 100, offset: int = 0, index: SubjectIndex | None = None
) -> Timeline:
    """One page of the actor's timeline (see `timeline_entries`), with the total."""
    index = index or index_for(store, dataset)
    entries = timeline_entries(store, dataset, actor, index)
    return Timeline(node_ref(index, actor), len(entries), limit, offset, entries[offset : offset + limit])


#################################################################
# Profile
#################################################################


@dataclass(frozen=True)
class TermRef:
    id: str
    name: str
    label: str


@dataclass(frozen=True)
class SourceRef:
    id: str
    title: str | None
    publisher: str | None
    year: str | None
    url: str | None


@dataclass(frozen=True)
class RelationView:
    """A relation of the profiled subject: its role in it, the other party, time, confidence, sources."""

    id: str
    type: str
    label: str
    role: str
    counterpart: NodeRef
    counterpart_role: str
    direction: str  # "outgoing" (the subject is the source), "incoming", or "mutual"
    start: str | None
    end: str | None
    confidence: str | None
    status: str | None
    sources: list[SourceRef]


@dataclass(frozen=True)
class RelationGroup:
    type: str
    label: str
    relations: list[RelationView]


@dataclass(frozen=True)
class Profile:
    id: str
    label: str
    kind: str
    types: list[TermRef]
    names: list[str]
    aliases: list[str]
    country: NodeRef | None
    level: TermRef | None
    sector: TermRef | None
    location: str | None
    relations: list[RelationGroup]


def term_ref(terms: Terms, iri: str | None) -> TermRef | None:
    return None if iri is None else TermRef(iri, local_name(iri), terms.label(iri))


def source_ref(index: SubjectIndex, iri: str) -> SourceRef:
    subject = index.get(iri)
    if subject is None:
        return SourceRef(iri, None, None, None, None)
    return SourceRef(iri, subject.title, subject.publisher, subject.issued, subject.url)


def relation_view(index: SubjectIndex, subject: str, edge: Edge) -> RelationView:
    terms = index.terms
    other = edge.other(subject)
    direction = "mutual" if not edge.directed else "outgoing" if edge.source == subject else "incoming"
    return RelationView(
        id=edge.relation,
        type=local_name(edge.cls),
        label=terms.label(edge.cls),
        role=terms.label(edge.role_of(subject)),
        counterpart=node_ref(index, other),
        counterpart_role=terms.label(edge.role_of(other)) if other != subject else terms.label(edge.target_role),
        direction=direction,
        start=edge.start,
        end=edge.end,
        confidence=terms.label(edge.confidence) if edge.confidence else None,
        status=terms.label(edge.status) if edge.status else None,
        sources=[source_ref(index, s) for s in edge.sources],
    )


def group_relations(index: SubjectIndex, subject: str, edges: Iterable[Edge]) -> list[RelationGroup]:
    """Relations grouped by their most specific class, groups by label, each in date order."""
    groups: dict[str, list[RelationView]] = {}
    for edge in edges:
        groups.setdefault(edge.cls, []).append(relation_view(index, subject, edge))
    return [
        RelationGroup(local_name(cls), index.terms.label(cls), sorted(views, key=lambda v: (v.start is None, v.start or "", v.id)))
        for cls, views in sorted(groups.items(), key=lambda item: index.terms.label(item[0]).casefold())
    ]


def profile(store: GraphStore, dataset: Dataset, actor: str, *, index: SubjectIndex | None = None) -> Profile:
    """What an actor is, what it is called, where it works, and all its relations with evidence."""
    index = index or index_for(store, dataset)
    subject = index.get(actor)
    if subject is None:
        raise NotFound(f"no actor {actor} in the graphs you can see")
    terms = index.terms
    edges = edges_of(store, dataset, actor, terms)
    typed = [t for t in subject.types if terms.knows(t)]  # not owl:NamedIndividual and the like
    return Profile(
        id=actor,
        label=subject.label,
        kind=subject.kind,
        types=[r for r in (term_ref(terms, t) for t in typed) if r is not None],
        names=list(subject.names),
        aliases=list(subject.aliases),
        country=node_ref(index, subject.country) if subject.country else None,
        level=term_ref(terms, subject.level),
        sector=term_ref(terms, subject.sector),
        location=subject.location,
        relations=group_relations(index, actor, edges),
    )
