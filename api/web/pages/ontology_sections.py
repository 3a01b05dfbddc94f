"""The ontology page's parts: the domain model grouped by what a term is about (actors, programs,
relations, incidents, agreements, sources), apart from the store's own terms (data graphs, imports,
keys, vetting runs and cases), which get a page of their own. A reader new to RDF looks for
"what is a militia" or "what does a command link", not for the store's bookkeeping."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.web.pages.ontology_terms import OntologyDoc, PropertyDoc, TermDoc
from ontology.namespaces import AG


@dataclass(frozen=True)
class Part:
    anchor: str
    title: str
    root: str | None  # the class whose subclasses belong here; None: what no other part takes


# In page order. A class belongs to the first part whose root it descends from.
DOMAIN_PARTS = (
    Part("actors", "Actors", AG + "Actor"),
    Part("programs", "Programs", AG + "Program"),
    Part("relations", "Relations (dated, sourced links)", AG + "Relation"),
    Part("incidents", "Incidents", AG + "Incident"),
    Part("agreements", "Peace agreements", AG + "PeaceAgreement"),
    Part("sources", "Sources", AG + "Source"),
    Part("other", "Other terms", None),
)
STORE_PART = Part("store", "The store's own terms", None)


@dataclass
class Section:
    part: Part
    classes: list[TermDoc] = field(default_factory=list)
    properties: list[PropertyDoc] = field(default_factory=list)


def _part_of_class(doc: OntologyDoc, iri: str) -> Part:
    ancestors = doc.ancestors(iri)
    return next(p for p in DOMAIN_PARTS if p.root is None or p.root in ancestors)


def domain_sections(doc: OntologyDoc) -> list[Section]:
    """The domain model's parts, each with its classes and the properties whose (first) domain is
    one of them; the store's own terms are left out (store_section)."""
    sections = {p.anchor: Section(p) for p in DOMAIN_PARTS}
    for term in doc.classes:
        if term.iri not in doc.store_terms:
            sections[_part_of_class(doc, term.iri).anchor].classes.append(term)
    for prop in doc.properties:
        if prop.iri not in doc.store_terms:
            part = _part_of_class(doc, prop.domains[0]) if prop.domains else DOMAIN_PARTS[-1]
            sections[part.anchor].properties.append(prop)
    return [s for s in sections.values() if s.classes or s.properties]


def store_section(doc: OntologyDoc) -> Section:
    """The terms of ontology/operations.ttl: what the store records about itself."""
    return Section(
        STORE_PART,
        [c for c in doc.classes if c.iri in doc.store_terms],
        [p for p in doc.properties if p.iri in doc.store_terms],
    )
