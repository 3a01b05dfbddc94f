"""The terms the ontology pages document: classes, properties and SKOS schemes, read from the
model files (ontology/*.ttl).

Why from the files and not from the store: the page documents the model this code was built
with, whether or not a store has been initialized, and a data import cannot change it. The files
are parsed once per process into a small in-memory store and read with three queries of
queries/views/. Every term gets an anchor named after its IRI fragment (id="MilitaryUnit"), so
links such as /ontology#MilitaryUnit work from anywhere, including the ontology's own IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from graph.store import open_scratch, rdf
from ontology.files import MODEL_FILES, OPERATIONS_FILE
from ontology.namespaces import AG, PREFIXES
from queries import catalog


def anchor(iri: str) -> str:
    """The anchor of a term: its fragment, or the last path segment for IRIs without one."""
    return iri.rsplit("#", 1)[1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def curie(iri: str) -> str:
    """ag:MilitaryUnit for the IRIs of known prefixes, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


@dataclass
class TermDoc:
    iri: str
    label: str
    definition: str = ""
    supers: list[str] = field(default_factory=list)
    subs: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return anchor(self.iri)


@dataclass
class PropertyDoc(TermDoc):
    kind: str = ""
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)
    inverses: list[str] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)


@dataclass
class ConceptDoc(TermDoc):
    notation: str = ""
    matches: list[str] = field(default_factory=list)


@dataclass
class SchemeDoc(TermDoc):
    concepts: list[ConceptDoc] = field(default_factory=list)


@dataclass(frozen=True)
class OntologyDoc:
    classes: list[TermDoc]
    properties: list[PropertyDoc]
    schemes: list[SchemeDoc]
    labels: dict[str, str]  # every documented IRI -> label, for links between terms
    store_terms: frozenset[str]  # the IRIs ontology/operations.ttl defines: the store's own records

    def ancestors(self, iri: str) -> set[str]:
        """The class and every class above it, by the documented superclasses."""
        supers = {c.iri: c.supers for c in self.classes}
        seen: set[str] = set()
        todo = [iri]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(supers.get(current, []))
        return seen


def _add(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)


def _text(row: rdf.Row, name: str) -> str | None:
    term = row[name]
    return None if term is None or isinstance(term, rdf.BlankNode) else term.value


@lru_cache(maxsize=1)
def ontology_doc() -> OntologyDoc:
    """Read the model files once and gather every class, property and scheme."""
    store = open_scratch()
    for path in MODEL_FILES:
        store.add(rdf.parse(path=str(path), format=rdf.RdfFormat.TURTLE))
    classes: dict[str, TermDoc] = {}
    for row in store.select(catalog.text("views/ontology_classes")):
        iri = row["class"].value
        doc = classes.setdefault(iri, TermDoc(iri, _text(row, "label") or anchor(iri)))
        doc.definition = doc.definition or (_text(row, "definition") or "")
        _add(doc.supers, _text(row, "super"))
    for doc in classes.values():
        for parent in doc.supers:
            if parent in classes:
                _add(classes[parent].subs, doc.iri)
    properties: dict[str, PropertyDoc] = {}
    for row in store.select(catalog.text("views/ontology_properties")):
        iri = row["property"].value
        doc = properties.setdefault(iri, PropertyDoc(iri, _text(row, "label") or anchor(iri)))
        doc.kind = doc.kind or anchor(row["kind"].value).replace("Property", " property").lower()
        doc.definition = doc.definition or (_text(row, "definition") or "")
        _add(doc.domains, _text(row, "domain"))
        _add(doc.ranges, _text(row, "range"))
        _add(doc.supers, _text(row, "super"))
        _add(doc.inverses, _text(row, "inverse"))
        characteristic = _text(row, "characteristic")
        _add(doc.characteristics, anchor(characteristic).replace("Property", "").lower() if characteristic else None)
    schemes: dict[str, SchemeDoc] = {}
    concepts: dict[str, ConceptDoc] = {}
    for row in store.select(catalog.text("views/ontology_schemes")):
        iri = row["scheme"].value
        scheme = schemes.setdefault(iri, SchemeDoc(iri, _text(row, "schemeLabel") or anchor(iri)))
        scheme.definition = scheme.definition or (_text(row, "schemeDefinition") or "")
        concept_iri = _text(row, "concept")
        if concept_iri is None:
            continue
        concept = concepts.get(concept_iri)
        if concept is None:
            concept = concepts[concept_iri] = ConceptDoc(concept_iri, _text(row, "label") or anchor(concept_iri))
            scheme.concepts.append(concept)
        concept.notation = concept.notation or (_text(row, "notation") or "")
        concept.definition = concept.definition or (_text(row, "definition") or "")
        _add(concept.matches, _text(row, "match"))
    ordered_schemes = sorted(schemes.values(), key=lambda s: (not s.iri.startswith(AG), s.label.casefold()))
    labels = {iri: doc.label for group in (classes, properties, concepts, schemes) for iri, doc in group.items()}
    operations = rdf.parse(path=str(OPERATIONS_FILE), format=rdf.RdfFormat.TURTLE)
    store_terms = frozenset(q.subject.value for q in operations if isinstance(q.subject, rdf.NamedNode))
    return OntologyDoc(
        classes=sorted(classes.values(), key=lambda d: d.label.casefold()),
        properties=sorted(properties.values(), key=lambda d: d.label.casefold()),
        schemes=ordered_schemes,
        labels=labels,
        store_terms=store_terms,
    )


@lru_cache(maxsize=1)
def definitions() -> dict[str, str]:
    """Each class's and concept's definition by IRI, for the hover text of labels on every page."""
    doc = ontology_doc()
    found = {c.iri: c.definition for c in doc.classes if c.definition}
    for scheme in doc.schemes:
        found.update({c.iri: c.definition for c in scheme.concepts if c.definition})
    return found
