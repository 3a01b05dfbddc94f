"""IRIs and literals of an SFM import. IRIs are minted from SFM ids (unit/sfm-{uuid},
person/sfm-{uuid}, incident/sfm-{uuid}, source/sfm-{uuid}), relation nodes from a digest of what
identifies them, so the same export always gives the same triples and a re-import changes nothing.
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.ingest.importers.sfm import vocab
from graph.ingest.importers.sfm.dates import PartialDate, Precision
from graph.ingest.importers.sfm.records import (
    RelationRecord,
)
from ontology.namespaces import AG, CODE, DCTERMS, PROV, RDF, RDFS, XSD, data_iri

Term = ox.NamedNode | ox.Literal

TYPE = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")
IDENTIFIER = ox.NamedNode(DCTERMS + "identifier")
DERIVED = ox.NamedNode(PROV + "wasDerivedFrom")
CLASSIFICATION_SCHEME = ox.NamedNode(CODE + "sfm-classification")


def ag(local: str) -> ox.NamedNode:
    return ox.NamedNode(AG + local)


def text(value: str) -> ox.Literal:
    return ox.Literal(value)


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def unit_iri(uuid: str) -> ox.NamedNode:
    return ox.NamedNode(data_iri("unit", f"sfm-{uuid}"))


def person_iri(uuid: str) -> ox.NamedNode:
    return ox.NamedNode(data_iri("person", f"sfm-{uuid}"))


def incident_iri(uuid: str) -> ox.NamedNode:
    return ox.NamedNode(data_iri("incident", f"sfm-{uuid}"))


def source_iri(uuid: str) -> ox.NamedNode:
    return ox.NamedNode(data_iri("source", f"sfm-{uuid}"))


def classification_iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(f"{CODE}sfm-classification-{vocab.slug(value)}")


RELATION_PREFIX = {"Subordination": "sub", "Membership": "member", "Posting": "posting", "Command": "command"}


def relation_iri(relation: RelationRecord) -> ox.NamedNode:
    return ox.NamedNode(data_iri("relation", f"sfm-{RELATION_PREFIX[relation.kind]}-{relation.digest()}"))


def perpetration_iri(incident: str, perpetrator: str) -> ox.NamedNode:
    return ox.NamedNode(data_iri("relation", f"sfm-perpetration-{incident}-{perpetrator}"))


def issued_literal(value: PartialDate) -> ox.Literal:
    """dcterms:issued at the precision the source gives, as the demo data does (xsd:gYear)."""
    if value.precision is Precision.YEAR:
        return typed(f"{value.year:04d}", "gYear")
    if value.precision is Precision.MONTH:
        return typed(f"{value.year:04d}-{value.month:02d}", "gYearMonth")
    return typed(value.first_day().isoformat(), "date")
