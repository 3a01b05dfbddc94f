"""The chain of command above a unit, at a date or over all time, from dated ag:Subordination nodes.

A unit can have several parents over time, and at a given day more than one (a transfer recorded
with overlapping dates, a unit under both a ministry and a joint command). So the chain is a small
directed graph, not a list: every unit reachable upwards through subordinations valid on the day.
A subordination is valid on day D when it has no start date or starts on or before D, and has no
end date or ends on or after D; an ongoing subordination has no end date.

OWL has no time (DESIGN), so this is SPARQL over the dated nodes: one query per hop
(queries/chain/parents.rq), walked breadth-first in Python. A property path cannot check each
hop's dates, and the walk needs no depth limit; a cycle in the data stops at the first repeat.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date

from graph.query.sparql import Dataset, dataset_for
from graph.store import GraphStore, rdf
from ontology.namespaces import XSD
from queries import catalog


@dataclass(frozen=True)
class ChainUnit:
    """A unit in a chain: its IRI, its label and its identifiers (such as an SFM uuid)."""

    iri: str
    label: str | None
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChainLink:
    """One subordination in the chain: `child` was under `parent`, as the node `subordination` says."""

    child: str
    parent: str
    subordination: str
    start: date | None
    end: date | None
    ongoing: bool
    confidence: str | None


@dataclass
class ChainOfCommand:
    """The units above `unit` (valid `at` a day, or ever when `at` is None) and the links between
    them, in the order the walk found them (nearest first)."""

    unit: ChainUnit
    at: date | None
    units: dict[str, ChainUnit] = field(default_factory=dict)
    links: list[ChainLink] = field(default_factory=list)

    def parents_of(self, iri: str) -> list[str]:
        return [link.parent for link in self.links if link.child == iri]

    def edges(self) -> set[tuple[str, str]]:
        """(parent, child) pairs, the direction a command chain is drawn in."""
        return {(link.parent, link.child) for link in self.links}


def _date(term: rdf.Literal | None) -> date | None:
    if term is None:
        return None
    try:
        return date.fromisoformat(term.value)
    except ValueError:
        return None


def _unit(store: GraphStore, graphs: list[rdf.NamedNode], iri: rdf.NamedNode) -> ChainUnit:
    rows = list(store.select(catalog.text("chain/unit"), bindings={"unit": iri}, default_graph=graphs))
    label = next((row["label"].value for row in rows if row["label"] is not None), None)
    identifiers = tuple(sorted({row["identifier"].value for row in rows if row["identifier"] is not None}))
    return ChainUnit(iri.value, label, identifiers)


def chain_above(store: GraphStore, unit: rdf.NamedNode | str, at: date | None = None, *, dataset: Dataset | None = None) -> ChainOfCommand:
    """The chain of command above `unit`, as it stood on `at` (or over all time)."""
    start = unit if isinstance(unit, rdf.NamedNode) else rdf.NamedNode(unit)
    graphs = list((dataset or dataset_for(store)).graphs)
    chain = ChainOfCommand(_unit(store, graphs, start), at)
    query = catalog.text("chain/parents")
    bindings: dict[str, rdf.NamedNode | rdf.Literal] = {}
    if at is not None:
        bindings["at"] = rdf.Literal(at.isoformat(), datatype=rdf.NamedNode(XSD + "date"))
    seen = {start.value}
    queue: deque[rdf.NamedNode] = deque([start])
    while queue:
        child = queue.popleft()
        rows = store.select(query, bindings={**bindings, "unit": child}, default_graph=graphs)
        found: dict[str, ChainLink] = {}
        labels: dict[str, tuple[str | None, set[str]]] = {}
        for row in rows:
            parent, node = row["parent"], row["subordination"]
            found.setdefault(
                node.value,
                ChainLink(
                    child=child.value,
                    parent=parent.value,
                    subordination=node.value,
                    start=_date(row["start"]),
                    end=_date(row["end"]),
                    ongoing=row["ongoing"] is not None and row["ongoing"].value == "true",
                    confidence=row["confidence"].value if row["confidence"] is not None else None,
                ),
            )
            label, identifiers = labels.setdefault(parent.value, (None, set()))
            if row["parentLabel"] is not None:
                label = label or row["parentLabel"].value
            if row["parentIdentifier"] is not None:
                identifiers.add(row["parentIdentifier"].value)
            labels[parent.value] = (label, identifiers)
        for link in found.values():
            chain.links.append(link)
            label, identifiers = labels[link.parent]
            chain.units.setdefault(link.parent, ChainUnit(link.parent, label, tuple(sorted(identifiers))))
            if link.parent not in seen:
                seen.add(link.parent)
                queue.append(rdf.NamedNode(link.parent))
    return chain
