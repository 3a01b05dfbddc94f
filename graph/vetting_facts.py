"""Reading the graph for vetting: the named queries of queries/vetting/, bound by substitution, with
per-run caches.

Why a separate reader: the rule queries return only *structure* (which relation nodes join the
subject to which perpetration), because Oxigraph plans joins without knowing that a substituted
variable is bound, and every OPTIONAL after a UNION re-costs the union. The facts about each node
(dates, confidence, status, sources, labels) are then read here with one generic lookup per node
(queries/vetting/describe.rq) and cached, so a program of twenty partners that share commanders,
incidents and sources reads each of them once.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from graph.limits import QueryTimeout
from graph.sparql import Dataset, run_query
from graph.store import GraphStore
from graph.vetting_model import SourceRef
from graph.vetting_time import Period, parse_date, parse_precision
from ontology.namespaces import AG, DCTERMS, PROV, RDF, RDFS, SCHEMA
from queries import catalog

# Bound where a query wants an IRI but the finding has none (a sanctions finding has no incident).
NOTHING = ox.NamedNode("urn:actorgraph:vetting:none")

RDF_TYPE = RDF + "type"
FACETS = ("rank", "title", "listingAuthority", "sanctionsRegime", "listingReference", "relianceKind", "integrationScope", "successionKind", "viaProgram")

# parents.rq column -> the ag: predicate it reads
_EDGE_COLUMNS = {"start": "startDate", "end": "endDate", "startPrecision": "startPrecision", "endPrecision": "endPrecision",
                 "ongoing": "ongoing", "confidence": "confidence"}

CONFIDENCE_NAMES = {AG + "LowConfidence": "low", AG + "MediumConfidence": "medium", AG + "HighConfidence": "high"}
STATUS_NAMES = {AG + "Alleged": "alleged", AG + "Established": "established"}


def local_name(iri: str) -> str:
    """The last segment of an IRI: ag:Command -> 'Command'."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@lru_cache(maxsize=None)
def _query(name: str) -> str:
    return catalog.text(f"vetting/{name}")


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str | None:
    return None if term is None else term.value


class VettingTimeout(QueryTimeout):
    """A vetting ran past its time budget (the API's query timeout); the API answers 503."""

    def __init__(self, budget: float) -> None:
        super().__init__(budget)
        self.args = (f"the vetting exceeded its {budget:g} s time budget and was stopped; vet fewer subjects at once, or try again later",)

    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class NodeFacts:
    """What the time checks need about a relation node or an incident."""

    period: Period
    confidence: str | None
    status: str | None


@dataclass(frozen=True)
class RelationDetails:
    iri: str
    type: str
    facts: NodeFacts
    note: str | None
    facets: dict[str, str]
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class IncidentDetails:
    iri: str
    label: str
    facts: NodeFacts
    types: tuple[str, ...]


@dataclass(frozen=True)
class Edge:
    """One dated subordination node: `child` was below `parent` during `period`."""

    relation: str
    child: str
    parent: str
    period: Period
    confidence: str | None


@dataclass(frozen=True)
class MitigationRow:
    relation: str
    kind: str
    concerned: str | None
    about: str | None
    outcome: str | None
    court: str | None
    program: str | None
    period: Period


@dataclass
class Facts:
    """The vetting reader over one store and the dataset the caller may see.

    `show_restricted` decides whether the title and URL of a source marked ag:restricted are shown;
    callers below analyst see "restricted source" instead. `budget` (seconds) bounds the whole
    run: the vetting queries are fixed library queries with bounded shapes, so instead of isolating
    each (a process per query would cost more than the query), the reader checks the deadline
    between queries and stops with VettingTimeout.
    """

    store: GraphStore
    dataset: Dataset
    show_restricted: bool = True
    budget: float | None = None
    _deadline: float | None = field(default=None, init=False)
    _described: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    _relations: dict[str, RelationDetails] = field(default_factory=dict)
    _incidents: dict[str, IncidentDetails] = field(default_factory=dict)
    _parents: dict[str, list[Edge]] = field(default_factory=dict)
    _rows: dict[tuple[str, tuple[tuple[str, str], ...]], list[dict[str, str | None]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.budget is not None:
            self._deadline = time.monotonic() + self.budget

    def _check_deadline(self) -> None:
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise VettingTimeout(self.budget or 0.0)

    # -- running named queries ---------------------------------------------------------------

    def rows(self, name: str, **params: ox.NamedNode | ox.Literal) -> list[dict[str, str | None]]:
        """The rows of queries/vetting/{name}.rq with `params` substituted, as plain strings."""
        key = (name, tuple(sorted((k, v.value) for k, v in params.items())))
        cached = self._rows.get(key)
        if cached is not None:
            return cached
        self._check_deadline()
        result = run_query(self.store, _query(name), self.dataset, substitutions=params)
        names = [v.value for v in result.variables]  # type: ignore[union-attr]
        out = [{n: _value(row[n]) for n in names} for row in result]  # type: ignore[union-attr]
        self._rows[key] = out
        return out

    def describe(self, iri: str) -> dict[str, list[str]]:
        """Predicate IRI -> values, for everything the dataset says about `iri` (cached)."""
        cached = self._described.get(iri)
        if cached is None:
            self._check_deadline()
            cached = {}
            result = run_query(self.store, _query("describe"), self.dataset, substitutions={"node": ox.NamedNode(iri)})
            for row in result:  # type: ignore[union-attr]
                values = cached.setdefault(row["p"].value, [])
                value = row["o"].value
                if value not in values:
                    values.append(value)
            self._described[iri] = cached
        return cached

    # -- nodes -------------------------------------------------------------------------------

    def node(self, iri: str) -> NodeFacts:
        return _node_facts(self.describe(iri))

    def relation(self, iri: str) -> RelationDetails:
        cached = self._relations.get(iri)
        if cached is not None:
            return cached
        props = self.describe(iri)
        classes = props.get(RDF_TYPE, [])
        # The most specific asserted class of ours, not a reused PROV/ORG one.
        ours = [c for c in classes if c.startswith(AG) and not c.endswith("#Relation")]
        cls = local_name(ours[0] if ours else (classes[0] if classes else "Relation"))
        facets = {name: props[AG + name][0] for name in FACETS if props.get(AG + name)}
        sources = []
        for source in props.get(PROV + "wasDerivedFrom", []):
            about = self.describe(source)
            if _first(about, AG + "restricted") == "true" and not self.show_restricted:
                sources.append(SourceRef("restricted source (visible to analysts)"))
            else:
                sources.append(
                    SourceRef(
                        _first(about, DCTERMS + "title") or local_name(source),
                        _first(about, SCHEMA + "url"),
                        _first(about, DCTERMS + "publisher"),
                    )
                )
        cached = RelationDetails(iri, cls, _node_facts(props), _first(props, AG + "note"), facets, tuple(sources))
        self._relations[iri] = cached
        return cached

    def incident(self, iri: str) -> IncidentDetails:
        cached = self._incidents.get(iri)
        if cached is None:
            props = self.describe(iri)
            types = tuple(self.label(t) for t in props.get(AG + "violationType", []))
            cached = IncidentDetails(iri, self.label(iri), _node_facts(props), types)
            self._incidents[iri] = cached
        return cached

    def label(self, iri: str | None) -> str:
        """rdfs:label, else ag:name, else the IRI's last segment."""
        if not iri:
            return ""
        props = self.describe(iri)
        return _first(props, RDFS + "label") or _first(props, AG + "name") or local_name(iri)

    def parents(self, unit: str) -> list[Edge]:
        """The dated subordination nodes one step up from `unit`."""
        cached = self._parents.get(unit)
        if cached is None:
            cached = []
            seen: set[str] = set()
            for row in self.rows("parents", unit=ox.NamedNode(unit)):
                edge, parent = row["edge"], row["parent"]
                if not edge or not parent or edge in seen:
                    continue
                seen.add(edge)
                facts = _node_facts({AG + predicate: [row[column]] for column, predicate in _EDGE_COLUMNS.items() if row.get(column)})
                cached.append(Edge(edge, unit, parent, facts.period, facts.confidence))
            self._parents[unit] = cached
        return cached

    def mitigations(self, incident: str | None, actor: str | None, subject: str) -> list[MitigationRow]:
        """Mitigation nodes about the incident, or concerning the actor or the subject."""
        rows = self.rows(
            "mitigation",
            incident=ox.NamedNode(incident) if incident else NOTHING,
            actor=ox.NamedNode(actor) if actor else NOTHING,
            subject=ox.NamedNode(subject),
        )
        out: dict[str, MitigationRow] = {}
        for row in rows:
            iri = row.get("mitigation")
            if not iri or iri in out:
                continue
            props = self.describe(iri)
            kinds = [local_name(c) for c in props.get(RDF_TYPE, [])]
            kind = next((k for k in kinds if k in ("JudicialOutcome", "Disbandment", "Reform")), None)
            if kind is None:
                continue
            out[iri] = MitigationRow(
                iri,
                kind,
                _first(props, AG + "concerns"),
                _first(props, AG + "aboutIncident"),
                _first(props, AG + "judicialOutcome"),
                _first(props, AG + "court"),
                _first(props, AG + "viaProgram"),
                _node_facts(props).period,
            )
        return list(out.values())


def _first(props: Mapping[str, list[str]], predicate: str) -> str | None:
    values = props.get(predicate)
    return values[0] if values else None


def _node_facts(props: Mapping[str, list[str]]) -> NodeFacts:
    """Dates, precision, ongoing flag, confidence and status from a node's properties."""
    period = Period(
        start=parse_date(_first(props, AG + "startDate")),
        end=parse_date(_first(props, AG + "endDate")),
        start_precision=parse_precision(_first(props, AG + "startPrecision")),
        end_precision=parse_precision(_first(props, AG + "endPrecision")),
        ongoing=(_first(props, AG + "ongoing") or "").lower() in ("true", "1"),
    )
    confidence = CONFIDENCE_NAMES.get(_first(props, AG + "confidence") or "")
    status = STATUS_NAMES.get(_first(props, AG + "status") or "")
    return NodeFacts(period, confidence, status)
