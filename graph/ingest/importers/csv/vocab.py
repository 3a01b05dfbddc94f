"""The values a user's CSV cells may take, read from the ontology in the store so that the allowed
actor types, violation types, confidences and statuses are always the ontology's own: a class
below ag:Actor by its local name (RebelGroup), a concept of a scheme by its local name or label.

Relation types are the relation classes whose two ends a row can name; RELATIONS gives each one's
role properties, subject first, and a test checks them against the ontology.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.store import GraphStore, rdf
from ontology.namespaces import AG, ONTOLOGY_GRAPH, ORG, RDFS, SKOS

RELATIONS: dict[str, tuple[str, str]] = {
    "Membership": (ORG + "member", ORG + "organization"),
    "Command": (AG + "commander", AG + "commandedUnit"),
    "Subordination": (AG + "childUnit", AG + "parentUnit"),
    "Alliance": (AG + "firstParty", AG + "ally"),
    "Rivalry": (AG + "firstParty", AG + "rival"),
    "Succession": (AG + "predecessor", AG + "successor"),
    "Integration": (AG + "integratedOrganization", AG + "absorbingOrganization"),
    "EconomicReliance": (AG + "reliantActor", AG + "economicPartner"),
    "Ownership": (AG + "owner", AG + "ownedAsset"),
}
SCHEMES = {"violation": AG + "ViolationTypeScheme", "confidence": AG + "ConfidenceScheme", "status": AG + "StatusScheme"}


def local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class Vocabulary:
    """Lower-cased words -> IRIs, per kind of value."""

    actor_types: dict[str, str] = field(default_factory=dict)
    concepts: dict[str, dict[str, str]] = field(default_factory=dict)  # SCHEMES key -> word -> concept

    def allowed(self, kind: str) -> str:
        words = sorted({local(iri) for iri in (self.actor_types if kind == "actor" else self.concepts[kind]).values()})
        return ", ".join(words)

    @classmethod
    def read(cls, store: GraphStore) -> Vocabulary:
        parents: dict[str, set[str]] = {}
        in_scheme: dict[str, str] = {}
        labels: dict[str, set[str]] = {}
        for quad in store.quads(rdf.NamedNode(ONTOLOGY_GRAPH)):
            if not isinstance(quad.subject, rdf.NamedNode):
                continue
            subject, predicate, obj = quad.subject.value, quad.predicate.value, quad.object
            if predicate == RDFS + "subClassOf" and isinstance(obj, rdf.NamedNode):
                parents.setdefault(subject, set()).add(obj.value)
            elif predicate == SKOS + "inScheme" and isinstance(obj, rdf.NamedNode):
                in_scheme[subject] = obj.value
            elif predicate in (SKOS + "prefLabel", RDFS + "label") and isinstance(obj, rdf.Literal):
                labels.setdefault(subject, set()).add(obj.value.lower())
        found = cls()
        for cls_iri in parents:
            seen, todo = set(), [cls_iri]
            while todo:
                current = todo.pop()
                if current == AG + "Actor":
                    found.actor_types[local(cls_iri).lower()] = cls_iri
                    break
                if current not in seen:
                    seen.add(current)
                    todo.extend(parents.get(current, ()))
        found.actor_types.setdefault("actor", AG + "Actor")
        for kind, scheme in SCHEMES.items():
            words = found.concepts.setdefault(kind, {})
            for concept, owner in in_scheme.items():
                if owner == scheme:
                    words.update({word: concept for word in (local(concept).lower(), *labels.get(concept, set()))})
        return found
