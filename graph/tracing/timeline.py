"""An actor's timeline: its dated relations and the incidents it is recorded in, in date order."""

from __future__ import annotations

from dataclasses import dataclass

from graph.index.cache import index_for
from graph.index.names import local_name
from graph.index.subjects import SubjectIndex
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing.edges import PERPETRATION, edges_of, recorded_dates
from graph.tracing.refs import NodeRef, node_ref
from graph.vetting.dates import DAY


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
    start_precision: str = DAY  # "year" or "month" when the source gave only that (2010 is stored 2010-01-01)
    end_precision: str = DAY
    ongoing: bool = False  # an open end is ongoing only when the data says so; otherwise it is unknown


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
    perpetration becomes an incident entry dated by the incident, at the precision the incident's
    dates were recorded with."""
    terms = index.terms
    entries = []
    for edge in edges_of(store, dataset, actor, terms):
        other = edge.other(actor)
        counterpart = node_ref(index, other)
        start, end, kind = edge.start, edge.end, "relation"
        start_precision, end_precision, ongoing = edge.start_precision, edge.end_precision, edge.ongoing
        if terms.is_a(edge.cls, PERPETRATION) and counterpart.kind == "incident":
            incident = index.get(other)
            kind = "incident"
            own = recorded_dates(incident)
            if not edge.start:
                start, start_precision = own.start, own.start_precision
            if not edge.end:
                end, end_precision = own.end, own.end_precision
            ongoing = edge.ongoing or own.ongoing
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
                start_precision=start_precision,
                end_precision=end_precision,
                ongoing=ongoing,
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
