"""Incidents recorded against the units below an actor: what a unit's commander or parent unit is
asked about in vetting, shown on the actor's page with the chain that leads to each.

The walk goes down as vetting's hierarchy rule does by default: from a commander to the units it
commanded, and from a unit to the units subordinate to it, at most `depth` relations, over all
dates. It states no more than the data: each link of the path keeps its own dates and confidence,
and whether the links held on the incident's date is left to vetting (graph.vetting), which
weighs dates, confidence and policy.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.index.subjects import SubjectIndex
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing.edges import Edge, EdgeFilter, Neighbours, recorded_dates
from graph.tracing.refs import EdgeView, NodeRef, edge_view, node_ref
from graph.vetting.dates import DAY
from ontology.namespaces import AG

DEFAULT_DEPTH = 3  # vetting's default hierarchy depth (graph.vetting.policy)


@dataclass(frozen=True)
class IncidentBelow:
    """An incident recorded against `perpetrator`, which `path` links to the actor (actor first)."""

    incident: NodeRef
    start: str | None
    end: str | None
    perpetrator: NodeRef
    perpetration: EdgeView
    path: list[EdgeView]  # each hop downwards: a command or a subordination, with its own dates
    below: list[NodeRef]  # the node each hop leads to; the last is the perpetrator
    start_precision: str = DAY  # the incident's dates as precisely as recorded: "year", "month" or "day"
    end_precision: str = DAY
    ongoing: bool = False


def _downward(edge: Edge, node: str, index: SubjectIndex) -> str | None:
    """The node one step below `node` through `edge`, or None when the edge does not lead down."""
    terms = index.terms
    if terms.is_a(edge.cls, AG + "Command") and edge.source == node:
        return edge.target  # a commander's unit
    if terms.is_a(edge.cls, AG + "Subordination") and edge.target == node:
        return edge.source  # a parent's subordinate unit
    return None


def incidents_below(
    store: GraphStore, dataset: Dataset, actor: str, index: SubjectIndex, *, depth: int = DEFAULT_DEPTH
) -> list[IncidentBelow]:
    """Every incident recorded against a unit within `depth` command or subordination links below
    `actor` (not the actor's own: its page lists those), by the shortest path, in date order."""
    terms = index.terms
    neighbours = Neighbours(store, dataset, terms, EdgeFilter(None, None))
    paths: dict[str, list[Edge]] = {actor: []}
    chains: dict[str, list[str]] = {actor: []}
    ring = [actor]
    for _ in range(depth):
        neighbours.prefetch(ring)
        next_ring = []
        for node in ring:
            for edge in neighbours(node):
                below = _downward(edge, node, index)
                if below is not None and below not in paths:
                    paths[below] = [*paths[node], edge]
                    chains[below] = [*chains[node], below]
                    next_ring.append(below)
        ring = next_ring
        if not ring:
            break
    found: list[IncidentBelow] = []
    units = [unit for unit in paths if unit != actor]
    neighbours.prefetch(units)
    for unit in units:
        for edge in neighbours(unit):
            if terms.is_a(edge.cls, AG + "Perpetration") and edge.source == unit:
                subject = index.get(edge.target)
                own = recorded_dates(subject)
                found.append(
                    IncidentBelow(
                        incident=node_ref(index, edge.target),
                        start=subject.start if subject else None,
                        end=subject.end if subject else None,
                        perpetrator=node_ref(index, unit),
                        perpetration=edge_view(terms, edge),
                        path=[edge_view(terms, e) for e in paths[unit]],
                        below=[node_ref(index, n) for n in chains[unit]],
                        start_precision=own.start_precision,
                        end_precision=own.end_precision,
                        ongoing=own.ongoing,
                    )
                )
    found.sort(key=lambda f: (f.start or "9999", f.incident.label))
    return found
