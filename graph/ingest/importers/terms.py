"""The RDF terms every importer writes with: ontology terms, plain and typed literals, and the
predicates each node carries (type, label, source)."""

from __future__ import annotations

from graph.store import rdf
from ontology.namespaces import AG, PROV, RDF, RDFS, XSD

TYPE = rdf.NamedNode(RDF + "type")
LABEL = rdf.NamedNode(RDFS + "label")
DERIVED = rdf.NamedNode(PROV + "wasDerivedFrom")


def ag(local: str) -> rdf.NamedNode:
    return rdf.NamedNode(AG + local)


def text(value: str) -> rdf.Literal:
    return rdf.Literal(value)


def typed(value: str, datatype: str) -> rdf.Literal:
    return rdf.Literal(value, datatype=rdf.NamedNode(XSD + datatype))
