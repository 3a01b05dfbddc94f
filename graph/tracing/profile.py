"""An actor's profile: its relations grouped by type, with terms and sources labelled."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.index.cache import index_for
from graph.index.names import local_name
from graph.index.subjects import SubjectIndex
from graph.index.terms import Terms
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing.edges import Edge, edges_of
from graph.tracing.errors import NotFound
from graph.tracing.refs import NodeRef, node_ref
from graph.vetting.dates import DAY


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
    start_precision: str = DAY  # "year" or "month" when the source gave only that (2010 is stored 2010-01-01)
    end_precision: str = DAY
    ongoing: bool = False  # an open end is ongoing only when the data says so; otherwise it is unknown


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
        start_precision=edge.start_precision,
        end_precision=edge.end_precision,
        ongoing=edge.ongoing,
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
