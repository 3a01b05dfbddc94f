"""What an SFM import writes beside its records in words: incident labels, violation concepts, and
notes keeping what SFM says that ActorGraph's classes do not (relation types, date confidence)."""

from __future__ import annotations

from collections.abc import Iterable

from graph.index.names import fold
from graph.ingest.importers.sfm import vocab
from graph.ingest.importers.sfm.records import (
    IncidentRecord,
    RelationRecord,
)
from graph.ingest.importers.terms import ag
from graph.store import rdf


def role_property(name: str) -> rdf.NamedNode:
    """The predicate of a relation role: a full IRI as given, else an ag: term."""
    return rdf.NamedNode(name) if "://" in name else ag(name)


def violation_concepts(types: Iterable[str]) -> list[str]:
    found: dict[str, None] = {}
    for value in types:
        for concept in vocab.violation_concepts(value)[0]:
            found.setdefault(concept, None)
    return list(found)


def incident_label(incident: IncidentRecord) -> str:
    """SFM incidents have no name; the label says what, where and when."""
    what = "; ".join(incident.violation_types)
    where = incident.location or incident.location_description
    when = str(incident.start) if incident.start else ""
    details = ", ".join(part for part in (where, when) if part)
    return f"{what} ({details})" if details else what


def incident_notes(incident: IncidentRecord) -> list[str]:
    """SFM's own wording, kept next to the coarser ActorGraph concepts."""
    notes = list(incident.notes)
    for value in incident.violation_types:
        concepts, matched = vocab.violation_concepts(value)
        if matched:
            notes.append(f"SFM violation type: {value}")
        else:
            notes.append(f"SFM violation type: {value} (no matching ActorGraph concept; recorded as ag:{concepts[0]})")
    if incident.location_description:
        notes.append(f"location: {incident.location_description}")
    if incident.perpetrator_classifications:
        notes.append("SFM perpetrator classification: " + "; ".join(incident.perpetrator_classifications))
    return notes


CONFIDENCE_WORDS = {"LowConfidence": "low", "MediumConfidence": "medium", "HighConfidence": "high"}


def relation_notes(relation: RelationRecord) -> list[str]:
    """What SFM says about a relation that the ontology has no term for: the posting role, the
    meaning of its first and last cited dates, the confidence of each date."""
    notes: list[str] = []
    period = relation.period
    if relation.role:
        notes.append(f"SFM posting role: {relation.role}")
    if relation.relation_class and fold(relation.relation_class) != "command":
        notes.append(f"SFM relation class: {relation.relation_class}")
    if period.start is not None and period.start_exact is not True:
        notes.append(f"SFM: {period.start} is the first cited date; the actual start is not known and may be earlier")
    if period.end is not None:
        if period.end_kind is vocab.OpenEnded.ASSUMED_ONGOING:
            notes.append(f"SFM: last cited {period.end}; assumed to continue (open-ended)")
        elif period.end_kind is not vocab.OpenEnded.EXACT_END:
            notes.append(f"SFM: {period.end} is the last cited date; the actual end is not known and may be later")
    if relation.start_context:
        notes.append(f"SFM start context: {relation.start_context}")
    if relation.end_context:
        notes.append(f"SFM end context: {relation.end_context}")
    for which, value in (("start", period.start_confidence), ("end", period.end_confidence)):
        if value and value != relation.confidence and getattr(period, which) is not None:
            notes.append(f"SFM confidence in the {which} date: {CONFIDENCE_WORDS[value]}")
    return notes
