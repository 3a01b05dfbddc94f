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
from datetime import date
from functools import cache

from graph.index.names import local_name
from graph.query.sparql import Dataset, run_query
from graph.store import GraphStore, rdf
from graph.store.limits import QueryTimeout
from graph.vetting.dates import parse_partial
from graph.vetting.model import SourceRef
from graph.vetting.node_facts import (
    MITIGATION_KINDS,
    Edge,
    IncidentDetails,
    MitigationRow,
    NodeFacts,
    RelationDetails,
    add_value,
    first_value,
    node_facts,
)
from ontology.namespaces import AG, DCTERMS, PROV, RDF, RDFS, SCHEMA
from queries import catalog

# Bound where a query wants an IRI but the finding has none (a sanctions finding has no incident).
NOTHING = rdf.NamedNode("urn:actorgraph:vetting:none")

RDF_TYPE = RDF + "type"
FACETS = ("rank", "title", "listingAuthority", "sanctionsRegime", "regimeType", "listingReference", "relianceKind", "integrationScope",
          "successionKind", "viaProgram")
# When a source became public: its publication date, else when it was created or made available.
PUBLISHED = (DCTERMS + "issued", DCTERMS + "created", DCTERMS + "available")

# parents.rq column -> the ag: predicate it reads
_EDGE_COLUMNS = {"start": "startDate", "end": "endDate", "startPrecision": "startPrecision", "endPrecision": "endPrecision",
                 "ongoing": "ongoing", "confidence": "confidence"}


@cache
def query_text(name: str) -> str:
    return catalog.text(f"vetting/{name}")


def _value(term: rdf.NamedNode | rdf.Literal | rdf.BlankNode | None) -> str | None:
    return None if term is None else term.value


class VettingTimeout(QueryTimeout):
    """A vetting ran past its time budget (the API's query timeout); the API answers 503."""

    def __init__(self, budget: float) -> None:
        super().__init__(budget)
        self.args = (f"the vetting exceeded its {budget:g} s time budget and was stopped; vet fewer subjects at once, or try again later",)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass
class Facts:
    """The vetting reader over one store and the dataset the caller may see.

    `show_restricted` decides whether the title and URL of a source marked ag:restricted are shown;
    callers below analyst see "restricted source" instead. `as_known_on` keeps only what was
    knowable on that day (see `known`). `budget` (seconds) bounds the whole
    run: the vetting queries are fixed library queries with bounded shapes, so instead of isolating
    each (a process per query would cost more than the query), the reader checks the deadline
    between queries and stops with VettingTimeout.
    """

    store: GraphStore
    dataset: Dataset
    show_restricted: bool = True
    budget: float | None = None
    as_known_on: date | None = None
    _deadline: float | None = field(default=None, init=False)
    _known: dict[str, bool] = field(default_factory=dict)
    _early_dataset: Dataset | None = field(default=None, init=False)
    _gross: frozenset[str] | None = field(default=None, init=False)
    _graph_set: frozenset[rdf.NamedNode] | None = field(default=None, init=False)
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

    def rows(self, name: str, **params: rdf.NamedNode | rdf.Literal) -> list[dict[str, str | None]]:
        """The rows of queries/vetting/{name}.rq with `params` substituted, as plain strings, in the
        store's order (where two findings are equally strong, the first one is kept)."""
        key = rows_key(name, params)
        cached = self._rows.get(key)
        if cached is not None:
            return cached
        self._check_deadline()
        result = run_query(self.store, query_text(name), self.dataset, bindings=params)
        names = result.variables  # type: ignore[union-attr]
        out = [{n: _value(row[n]) for n in names} for row in result]  # type: ignore[union-attr]
        self._rows[key] = out
        return out

    def has_rows(self, name: str, **params: rdf.NamedNode | rdf.Literal) -> bool:
        return rows_key(name, params) in self._rows

    def keep_rows(self, name: str, params: Mapping[str, rdf.NamedNode | rdf.Literal], rows: list[dict[str, str | None]]) -> None:
        """Cache rows read elsewhere (graph.vetting.batch) as what `rows(name, **params)` returns."""
        self._rows[rows_key(name, params)] = rows

    def describe(self, iri: str) -> dict[str, list[str]]:
        """Predicate IRI -> values, for everything the dataset says about `iri` (cached).

        On the embedded store this is one scan of the store's subject index, keeping the quads of
        the dataset's graphs: the same triples, in the same order, as queries/vetting/describe.rq
        gives, which scans once per graph of the dataset and costs twice as much."""
        cached = self._described.get(iri)
        if cached is None:
            self._check_deadline()
            cached = {}
            if self.store.local_scans:
                graphs = self._graphs()
                for quad in self.store.quads(subject=rdf.NamedNode(iri)):
                    if quad.graph_name in graphs:
                        add_value(cached, quad.predicate.value, quad.object.value)  # type: ignore[union-attr]
            else:
                result = run_query(self.store, query_text("describe"), self.dataset, bindings={"node": rdf.NamedNode(iri)})
                for row in result:  # type: ignore[union-attr]
                    add_value(cached, row["p"].value, row["o"].value)
            self._described[iri] = cached
        return cached

    def _graphs(self) -> frozenset[rdf.NamedNode]:
        if self._graph_set is None:
            self._graph_set = frozenset(self.dataset.graphs)
        return self._graph_set

    def is_described(self, iri: str) -> bool:
        return iri in self._described

    def keep_description(self, iri: str, props: dict[str, list[str]]) -> None:
        """Cache a node's properties read elsewhere (graph.vetting.batch) as `describe(iri)`."""
        self._described[iri] = props

    def check_deadline(self) -> None:
        """Stop with VettingTimeout once the run's budget is spent."""
        self._check_deadline()

    # -- nodes -------------------------------------------------------------------------------

    def node(self, iri: str) -> NodeFacts:
        return node_facts(self.describe(iri))

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
        # In IRI order: the order a store lists a node's values in is its own (Virtuoso's is not Oxigraph's).
        for source in sorted(props.get(PROV + "wasDerivedFrom", [])):
            about = self.describe(source)
            if first_value(about, AG + "restricted") == "true" and not self.show_restricted:
                sources.append(SourceRef("restricted source (visible to analysts)"))
            else:
                sources.append(
                    SourceRef(
                        first_value(about, DCTERMS + "title") or local_name(source),
                        first_value(about, SCHEMA + "url"),
                        first_value(about, DCTERMS + "publisher"),
                        first_value(about, DCTERMS + "issued"),
                    )
                )
        cached = RelationDetails(iri, cls, node_facts(props), first_value(props, AG + "note"), facets, tuple(sources))
        self._relations[iri] = cached
        return cached

    def incident(self, iri: str) -> IncidentDetails:
        cached = self._incidents.get(iri)
        if cached is None:
            props = self.describe(iri)
            type_iris = tuple(props.get(AG + "violationType", []))
            cached = IncidentDetails(iri, self.label(iri), node_facts(props), tuple(self.label(t) for t in type_iris), type_iris)
            self._incidents[iri] = cached
        return cached

    def label(self, iri: str | None) -> str:
        """rdfs:label, else ag:name, else the IRI's last segment."""
        if not iri:
            return ""
        props = self.describe(iri)
        return first_value(props, RDFS + "label") or first_value(props, AG + "name") or local_name(iri)

    def parents(self, unit: str) -> list[Edge]:
        """The dated subordination nodes one step up from `unit`."""
        cached = self._parents.get(unit)
        if cached is None:
            cached = []
            seen: set[str] = set()
            for row in self.rows("parents", unit=rdf.NamedNode(unit)):
                edge, parent = row["edge"], row["parent"]
                if not edge or not parent or edge in seen:
                    continue
                seen.add(edge)
                facts = node_facts({AG + predicate: [value] for column, predicate in _EDGE_COLUMNS.items() if (value := row.get(column))})
                cached.append(Edge(edge, unit, parent, facts.period, facts.confidence))
            self._parents[unit] = cached
        return cached

    def mitigations(self, incident: str | None, actor: str | None, subject: str) -> list[MitigationRow]:
        """Mitigation nodes about the incident, or concerning the actor or the subject, by IRI: a
        UNION's rows come in an order each engine picks, and a report must read the same on all."""
        rows = self.rows(
            "mitigation",
            incident=rdf.NamedNode(incident) if incident else NOTHING,
            actor=rdf.NamedNode(actor) if actor else NOTHING,
            subject=rdf.NamedNode(subject),
        )
        out: dict[str, MitigationRow] = {}
        for row in rows:
            iri = row.get("mitigation")
            if not iri or iri in out or not self.known(iri):
                continue
            row_ = self.mitigation(iri)
            if row_ is not None:
                out[iri] = row_
        return [out[iri] for iri in sorted(out)]

    def mitigation(self, iri: str) -> MitigationRow | None:
        """A mitigation node read whole; None when it is none of the mitigation classes."""
        props = self.describe(iri)
        kinds = [local_name(c) for c in props.get(RDF_TYPE, [])]
        kind = next((k for k in MITIGATION_KINDS if k in kinds), None)
        if kind is None:
            return None
        return MitigationRow(
            iri,
            kind,
            first_value(props, AG + "concerns"),
            tuple(props.get(AG + "aboutIncident", [])),
            first_value(props, AG + "judicialOutcome"),
            first_value(props, AG + "court"),
            first_value(props, AG + "viaProgram"),
            node_facts(props).period,
            tuple(props.get(AG + "heldAccountable", [])),
            tuple(props.get(AG + "remediationStep", [])),
        )

    # -- what was said when --------------------------------------------------------------------

    def last_cited(self, iri: str) -> int | None:
        """The year of the node's latest dated source: "end unknown; last cited 2021"."""
        years = [published[1].year for published in self._source_dates(iri)]
        return max(years) if years else None

    def _source_dates(self, iri: str) -> list[tuple[date, date]]:
        out = []
        for source in self.describe(iri).get(PROV + "wasDerivedFrom", []):
            about = self.describe(source)
            spans = [span for span in (parse_partial(first_value(about, p)) for p in PUBLISHED) if span is not None]
            if spans:
                out.append(min(spans))  # first publication
        return out

    def known(self, iri: str) -> bool:
        """Was the statement knowable on `as_known_on`? Yes when one of its sources was certainly
        published by then (a source dated only to 2022 counts from 2022-12-31), or when the graph
        holding it was imported by then. Always yes without a knowledge date."""
        if self.as_known_on is None:
            return True
        cached = self._known.get(iri)
        if cached is None:
            day = self.as_known_on
            cached = any(last <= day for _, last in self._source_dates(iri))
            if not cached:
                early = self._early()
                cached = bool(early.graphs) and bool(run_query(self.store, query_text("exists"), early, bindings={"node": rdf.NamedNode(iri)}))
            self._known[iri] = cached
        return cached

    def _early(self) -> Dataset:
        """The dataset narrowed to the graphs whose import had ended by `as_known_on`."""
        if self._early_dataset is None:
            from graph.ingest.registry import registered_graphs  # the registry reads the meta graph

            assert self.as_known_on is not None
            limit = self.as_known_on.isoformat()
            early = {info.graph.value for info in registered_graphs(self.store) if info.imported_at[:10] <= limit}
            graphs = [g for g in self.dataset.graphs if g.value in early]
            self._early_dataset = Dataset(tuple(graphs))
        return self._early_dataset

    # -- classifications -----------------------------------------------------------------------

    def gross_types(self) -> frozenset[str]:
        """The violation types the vocabulary marks as gross violations of human rights."""
        if self._gross is None:
            self._gross = frozenset(t for r in self.rows("gross_types") if (t := r.get("type")))
        return self._gross

    def delisted_on(self, listing: str) -> tuple[date, str] | None:
        """The earliest recorded delisting of a listing (known by the knowledge date): day, node."""
        found = []
        for row in self.rows("delistings", listing=rdf.NamedNode(listing)):
            node = row.get("delisting")
            if node and self.known(node):
                start = self.node(node).period.start
                if start is not None:
                    found.append((start, node))
        return min(found) if found else None


def rows_key(name: str, params: Mapping[str, rdf.NamedNode | rdf.Literal]) -> tuple[str, tuple[tuple[str, str], ...]]:
    return (name, tuple(sorted((k, v.value) for k, v in params.items())))
