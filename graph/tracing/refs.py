"""Nodes and edges as every tracing answer shows them. Labels, types and kinds come from the
in-process subject index (graph/index/subjects.py), not from more queries."""

from __future__ import annotations

from dataclasses import dataclass

from graph.index.names import local_name
from graph.index.subjects import SubjectIndex
from graph.index.terms import Terms
from graph.tracing.edges import Edge
from graph.vetting.dates import DAY


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
    start_precision: str = DAY  # "year" or "month" when the source gave only that (2010 is stored 2010-01-01)
    end_precision: str = DAY


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
        start_precision=edge.start_precision,
        end_precision=edge.end_precision,
    )
