"""IRIs and literals of an SFM import. IRIs are minted from SFM ids (unit/sfm-{uuid},
person/sfm-{uuid}, incident/sfm-{uuid}, source/sfm-{uuid}), relation nodes from a digest of what
identifies them, so the same export always gives the same triples and a re-import changes nothing.
"""

from __future__ import annotations

from graph.ingest.importers.sfm import vocab
from graph.ingest.importers.sfm.dates import PartialDate, Precision
from graph.ingest.importers.sfm.records import (
    RelationRecord,
)
from graph.ingest.importers.terms import typed
from graph.store import rdf
from ontology.namespaces import CODE, DCTERMS, data_iri

Term = rdf.NamedNode | rdf.Literal

IDENTIFIER = rdf.NamedNode(DCTERMS + "identifier")
CLASSIFICATION_SCHEME = rdf.NamedNode(CODE + "sfm-classification")


def unit_iri(uuid: str) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("unit", f"sfm-{uuid}"))


def person_iri(uuid: str) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("person", f"sfm-{uuid}"))


def incident_iri(uuid: str) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("incident", f"sfm-{uuid}"))


def source_iri(uuid: str) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("source", f"sfm-{uuid}"))


def classification_iri(value: str) -> rdf.NamedNode:
    return rdf.NamedNode(f"{CODE}sfm-classification-{vocab.slug(value)}")


RELATION_PREFIX = {"Subordination": "sub", "Membership": "member", "Posting": "posting", "Command": "command"}


def relation_iri(relation: RelationRecord) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("relation", f"sfm-{RELATION_PREFIX[relation.kind]}-{relation.digest()}"))


def perpetration_iri(incident: str, perpetrator: str) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("relation", f"sfm-perpetration-{incident}-{perpetrator}"))


def issued_literal(value: PartialDate) -> rdf.Literal:
    """dcterms:issued at the precision the source gives, as the demo data does (xsd:gYear)."""
    if value.precision is Precision.YEAR:
        return typed(f"{value.year:04d}", "gYear")
    if value.precision is Precision.MONTH:
        return typed(f"{value.year:04d}-{value.month:02d}", "gYearMonth")
    return typed(value.first_day().isoformat(), "date")
