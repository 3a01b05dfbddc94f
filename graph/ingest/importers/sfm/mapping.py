"""Turning checked SFM records into triples for two named graphs: public, and restricted.

IRIs and literals come from graph.ingest.importers.sfm.iris, labels and notes from .labels.

What goes where: SFM marks some sources restricted (source:restricted:admin = 1). A statement that
only restricted sources support must not be visible to readers who may not see those sources, so
it goes to the restricted graph:
- a unit, person or incident whose name (incident: whose citations) only restricted sources
  support goes there whole, with every relation that touches it;
- a relation node that only restricted sources support goes there whole;
- a single value (an alias, a classification, a country) that only restricted sources support goes
  there, while the rest of its entity stays public;
- a public node's prov:wasDerivedFrom links to restricted sources go there, with those sources.
Statements with no source at all are public: nothing restricted supports them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from graph.ingest.importers.sfm import vocab
from graph.ingest.importers.sfm.countries import COUNTRY_NAMES, state_iri
from graph.ingest.importers.sfm.iris import (
    CLASSIFICATION_SCHEME,
    IDENTIFIER,
    Term,
    classification_iri,
    incident_iri,
    issued_literal,
    perpetration_iri,
    person_iri,
    relation_iri,
    source_iri,
    unit_iri,
)
from graph.ingest.importers.sfm.labels import incident_label, incident_notes, relation_notes, role_property, violation_concepts
from graph.ingest.importers.sfm.records import (
    EntityRecord,
    IncidentRecord,
    PersonRecord,
    RelationRecord,
    SfmData,
    SourceRecord,
    Support,
    UnitRecord,
)
from graph.ingest.importers.terms import DERIVED, LABEL, TYPE, ag, text, typed
from graph.store import rdf
from ontology.namespaces import DCTERMS, ORG, SCHEMA, SKOS


@dataclass
class Graphs:
    """The triples of one import, split by visibility, and counts for the report."""

    public: set[rdf.Triple] = field(default_factory=set)
    restricted: set[rdf.Triple] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)
    restricted_counts: Counter[str] = field(default_factory=Counter)

    def add(self, subject: rdf.NamedNode, predicate: rdf.NamedNode, obj: Term, *, hidden: bool) -> None:
        (self.restricted if hidden else self.public).add(rdf.Triple(subject, predicate, obj))

    def count(self, kind: str, *, hidden: bool) -> None:
        self.counts[kind] += 1
        if hidden:
            self.restricted_counts[kind] += 1


class GraphBuilder:
    """Builds the two graphs from one export's records."""

    def __init__(self, data: SfmData) -> None:
        self.data = data
        self.graphs = Graphs()
        self.restricted_sources = {uuid for uuid, source in data.sources.items() if source.restricted}

    def only_restricted(self, support: Support) -> bool:
        return bool(support) and support <= self.restricted_sources

    def build(self) -> Graphs:
        hidden_units = {uuid for uuid, unit in self.data.units.items() if self.only_restricted(unit.name_support)}
        hidden_persons = {uuid for uuid, person in self.data.persons.items() if self.only_restricted(person.name_support)}
        for source in self.data.sources.values():
            self._source(source)
        for unit in self.data.units.values():
            self._unit(unit, hidden=unit.uuid in hidden_units)
        for person in self.data.persons.values():
            self._person(person, hidden=person.uuid in hidden_persons)
        for relation in self.data.relations.values():
            hidden_ends = hidden_units if relation.subject_kind == "unit" else hidden_persons
            hidden = relation.subject in hidden_ends or relation.object in hidden_units or self.only_restricted(relation.support)
            self._relation(relation, hidden=hidden)
        for incident in self.data.incidents.values():
            self._incident(incident, hidden_units, hidden_persons)
        self._vocabulary()
        self.graphs.restricted -= self.graphs.public  # said publicly anyway: nothing to hide
        return self.graphs

    # ----------------------------------------------------------------------------------------

    def _derived_from(self, node: rdf.NamedNode, support: Support, *, hidden: bool) -> None:
        """Links to the node's sources; a link to a restricted source is itself restricted."""
        for source in sorted(support):
            self.graphs.add(node, DERIVED, source_iri(source), hidden=hidden or source in self.restricted_sources)

    def _source(self, source: SourceRecord) -> None:
        node, hidden = source_iri(source.uuid), source.restricted
        add = self.graphs.add
        add(node, TYPE, ag("Source"), hidden=hidden)
        add(node, IDENTIFIER, text(source.uuid), hidden=hidden)
        add(node, rdf.NamedNode(DCTERMS + "title"), text(source.title), hidden=hidden)
        add(node, LABEL, text(source.title), hidden=hidden)
        add(node, rdf.NamedNode(DCTERMS + "publisher"), text(source.publisher), hidden=hidden)
        if source.author:
            add(node, rdf.NamedNode(DCTERMS + "description"), text(f"Author: {source.author}"), hidden=hidden)
        if source.issued is not None:
            add(node, rdf.NamedNode(DCTERMS + "issued"), issued_literal(source.issued), hidden=hidden)
        # First-publication evidence for the knowledge date: when the record was created, uploaded.
        if source.created is not None:
            add(node, rdf.NamedNode(DCTERMS + "created"), issued_literal(source.created), hidden=hidden)
        if source.uploaded is not None:
            add(node, rdf.NamedNode(DCTERMS + "available"), issued_literal(source.uploaded), hidden=hidden)
        if source.url:
            add(node, rdf.NamedNode(SCHEMA + "url"), text(source.url), hidden=hidden)
        if source.archive_url:
            add(node, ag("archiveUrl"), text(source.archive_url), hidden=hidden)
        if source.restricted:
            add(node, ag("restricted"), typed("true", "boolean"), hidden=True)
        for note in source.notes:
            add(node, ag("note"), text(note), hidden=hidden)
        self.graphs.count("sources", hidden=hidden)

    def _entity(self, node: rdf.NamedNode, record: EntityRecord, cls: str, *, hidden: bool) -> None:
        add = self.graphs.add
        add(node, TYPE, ag(cls), hidden=hidden)
        add(node, LABEL, text(record.name), hidden=hidden)
        add(node, ag("name"), text(record.name), hidden=hidden)
        add(node, IDENTIFIER, text(record.uuid), hidden=hidden)
        for alias, support in sorted(record.aliases.items()):
            add(node, ag("alias"), text(alias), hidden=hidden or self.only_restricted(support))
        for code, support in sorted(record.countries.items()):
            add(node, ag("country"), rdf.NamedNode(state_iri(code)), hidden=hidden or self.only_restricted(support))

    def _unit(self, unit: UnitRecord, *, hidden: bool) -> None:
        node = unit_iri(unit.uuid)
        cls = vocab.unit_class(list(unit.classifications))
        self._entity(node, unit, cls, hidden=hidden)
        for value, support in sorted(unit.classifications.items()):
            self.graphs.add(node, ag("actorType"), classification_iri(value), hidden=hidden or self.only_restricted(support))
        for place, support in sorted(unit.locations.items()):
            self.graphs.add(node, ag("location"), text(place), hidden=hidden or self.only_restricted(support))
        if unit.stub:
            self.graphs.add(node, ag("note"), text("Known from SFM only as the parent of another unit"), hidden=hidden)
        self.graphs.count("units", hidden=hidden)

    def _person(self, person: PersonRecord, *, hidden: bool) -> None:
        self._entity(person_iri(person.uuid), person, "Person", hidden=hidden)
        self.graphs.count("persons", hidden=hidden)

    # ----------------------------------------------------------------------------------------

    def _relation(self, relation: RelationRecord, *, hidden: bool) -> None:
        node = relation_iri(relation)
        add = self.graphs.add
        subject = unit_iri(relation.subject) if relation.subject_kind == "unit" else person_iri(relation.subject)
        obj = unit_iri(relation.object)
        roles = {
            "Subordination": ("childUnit", "parentUnit"),
            "Membership": (ORG + "member", ORG + "organization"),
            "Posting": (ORG + "member", ORG + "organization"),
            "Command": ("commander", "commandedUnit"),
        }[relation.kind]
        add(node, TYPE, ag(relation.kind), hidden=hidden)
        add(node, role_property(roles[0]), subject, hidden=hidden)
        add(node, role_property(roles[1]), obj, hidden=hidden)
        add(node, ag("confidence"), ag(relation.confidence), hidden=hidden)
        if relation.rank:
            add(node, ag("rank"), text(relation.rank), hidden=hidden)
        if relation.title or relation.role:
            add(node, ag("title"), text(relation.title or relation.role or ""), hidden=hidden)
        for note in relation_notes(relation):
            add(node, ag("note"), text(note), hidden=hidden)
        self._period(node, relation, hidden=hidden)
        self._derived_from(node, relation.support, hidden=hidden)
        kind = {"Subordination": "subordinations", "Membership": "memberships", "Posting": "postings", "Command": "commands"}[relation.kind]
        self.graphs.count(kind, hidden=hidden)

    def _period(self, node: rdf.NamedNode, relation: RelationRecord, *, hidden: bool) -> None:
        """Dates normalized as the ontology says: a partial start date becomes the first day of its
        period, a partial end date the last, and the precision says what SFM gave. A relation SFM
        assumes to continue is ag:ongoing with no end date."""
        period, add = relation.period, self.graphs.add
        if period.start is not None:
            add(node, ag("startDate"), typed(period.start.first_day().isoformat(), "date"), hidden=hidden)
            add(node, ag("startPrecision"), ag(period.start.precision.value), hidden=hidden)
        if period.ongoing:
            add(node, ag("ongoing"), typed("true", "boolean"), hidden=hidden)
        elif period.end is not None:
            add(node, ag("endDate"), typed(period.end.last_day().isoformat(), "date"), hidden=hidden)
            add(node, ag("endPrecision"), ag(period.end.precision.value), hidden=hidden)

    # ----------------------------------------------------------------------------------------

    def _incident(self, incident: IncidentRecord, hidden_units: set[str], hidden_persons: set[str]) -> None:
        node, add = incident_iri(incident.uuid), self.graphs.add
        hidden = self.only_restricted(incident.support)
        label = incident_label(incident)
        add(node, TYPE, ag("Incident"), hidden=hidden)
        add(node, LABEL, text(label), hidden=hidden)
        add(node, ag("name"), text(label), hidden=hidden)
        add(node, IDENTIFIER, text(incident.uuid), hidden=hidden)
        assert incident.start is not None  # incidents without any date are skipped when read
        add(node, ag("startDate"), typed(incident.start.first_day().isoformat(), "date"), hidden=hidden)
        add(node, ag("startPrecision"), ag(incident.start.precision.value), hidden=hidden)
        if incident.end is not None:
            add(node, ag("endDate"), typed(incident.end.last_day().isoformat(), "date"), hidden=hidden)
            add(node, ag("endPrecision"), ag(incident.end.precision.value), hidden=hidden)
        if incident.first_published is not None:
            add(node, ag("firstPublished"), issued_literal(incident.first_published), hidden=hidden)
        if incident.location:
            add(node, ag("location"), text(incident.location), hidden=hidden)
        if incident.description:
            add(node, rdf.NamedNode(DCTERMS + "description"), text(incident.description), hidden=hidden)
        for concept in violation_concepts(incident.violation_types):
            add(node, ag("violationType"), ag(concept), hidden=hidden)
        for note in incident_notes(incident):
            add(node, ag("note"), text(note), hidden=hidden)
        self._derived_from(node, incident.support, hidden=hidden)
        self.graphs.count("incidents", hidden=hidden)
        perpetrators = [(unit_iri(u), u in hidden_units, u) for u in incident.perpetrator_units]
        perpetrators += [(person_iri(p), p in hidden_persons, p) for p in incident.perpetrator_persons]
        for perpetrator, perpetrator_hidden, uuid in perpetrators:
            self._perpetration(incident, node, perpetrator, uuid, hidden=hidden or perpetrator_hidden)

    def _perpetration(
        self, incident: IncidentRecord, incident_node: rdf.NamedNode, perpetrator: rdf.NamedNode, uuid: str, *, hidden: bool
    ) -> None:
        """SFM records perpetrators as alleged by its sources; it has no field for a court finding,
        so the status is ag:Alleged. It gives no confidence for them either: recorded as low."""
        node, add = perpetration_iri(incident.uuid, uuid), self.graphs.add
        add(node, TYPE, ag("Perpetration"), hidden=hidden)
        add(node, ag("perpetrator"), perpetrator, hidden=hidden)
        add(node, ag("incident"), incident_node, hidden=hidden)
        add(node, ag("status"), ag("Alleged"), hidden=hidden)
        add(node, ag("confidence"), ag(vocab.DEFAULT_CONFIDENCE), hidden=hidden)
        add(node, ag("note"), text("SFM gives no confidence for perpetrators; recorded as low"), hidden=hidden)
        add(node, ag("startDate"), typed(incident.start.first_day().isoformat(), "date"), hidden=hidden)  # type: ignore[union-attr]
        add(node, ag("startPrecision"), ag(incident.start.precision.value), hidden=hidden)  # type: ignore[union-attr]
        if incident.end is not None:
            add(node, ag("endDate"), typed(incident.end.last_day().isoformat(), "date"), hidden=hidden)
            add(node, ag("endPrecision"), ag(incident.end.precision.value), hidden=hidden)
        self._derived_from(node, incident.support, hidden=hidden)
        self.graphs.count("perpetrations", hidden=hidden)

    # ----------------------------------------------------------------------------------------

    def _vocabulary(self) -> None:
        """States and SFM classification concepts, defined in the public graph when a public
        statement uses them, else in the restricted graph (a classification only restricted
        sources give would otherwise leak through its concept)."""
        states = {rdf.NamedNode(state_iri(code)): code for code in COUNTRY_NAMES}
        concepts: dict[rdf.NamedNode, str] = {}
        for unit in self.data.units.values():
            for value in unit.classifications:
                concepts.setdefault(classification_iri(value), value)
        public_objects = {t.object for t in self.graphs.public}
        hidden_objects = {t.object for t in self.graphs.restricted}
        used_publicly = False
        wanted = (public_objects | hidden_objects) & (set(states) | set(concepts))
        for node in sorted((n for n in wanted if isinstance(n, rdf.NamedNode)), key=lambda n: n.value):
            hidden = node not in public_objects
            if node in states:
                name = COUNTRY_NAMES[states[node]]
                self.graphs.add(node, TYPE, ag("State"), hidden=hidden)
                self.graphs.add(node, LABEL, text(name), hidden=hidden)
                self.graphs.add(node, ag("name"), text(name), hidden=hidden)
                self.graphs.add(node, ag("countryCode"), text(states[node]), hidden=hidden)
                self.graphs.count("states", hidden=hidden)
            else:
                value = concepts[node]
                self.graphs.add(node, TYPE, rdf.NamedNode(SKOS + "Concept"), hidden=hidden)
                self.graphs.add(node, LABEL, text(value), hidden=hidden)
                self.graphs.add(node, rdf.NamedNode(SKOS + "prefLabel"), text(value), hidden=hidden)
                self.graphs.add(node, rdf.NamedNode(SKOS + "notation"), text(value), hidden=hidden)
                self.graphs.add(node, rdf.NamedNode(SKOS + "inScheme"), CLASSIFICATION_SCHEME, hidden=hidden)
                used_publicly = used_publicly or not hidden
                self.graphs.count("classifications", hidden=hidden)
        if concepts:
            scheme_hidden = not used_publicly
            self.graphs.add(CLASSIFICATION_SCHEME, TYPE, rdf.NamedNode(SKOS + "ConceptScheme"), hidden=scheme_hidden)
            self.graphs.add(CLASSIFICATION_SCHEME, LABEL, text("Security Force Monitor unit classifications"), hidden=scheme_hidden)
            self.graphs.add(
                CLASSIFICATION_SCHEME,
                rdf.NamedNode(SKOS + "prefLabel"),
                text("Security Force Monitor unit classifications"),
                hidden=scheme_hidden,
            )
