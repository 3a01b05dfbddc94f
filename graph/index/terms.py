"""The ontology's terms: labels and the class hierarchy that tracing, programs and the search
filters need to label classes and to expand a class to its subclasses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from graph.index.names import local_name, normalize
from ontology.namespaces import AG

TOP_KINDS: tuple[tuple[str, str], ...] = (
    ("actor", AG + "Actor"),
    ("program", AG + "Program"),
    ("incident", AG + "Incident"),
    ("relation", AG + "Relation"),
    ("source", AG + "Source"),
)


class Terms:
    """Labels and the class hierarchy of the ontology graph, from `queries/tracing/terms.rq`."""

    def __init__(self, rows: Iterable[tuple[str, str, str | None, str | None]]) -> None:
        labels: dict[str, tuple[int, str]] = {}
        parents: dict[str, set[str]] = defaultdict(set)
        for term, label, language, parent in rows:
            # Prefer English, then untagged, then any other language.
            rank = 0 if language == "en" else 1 if not language else 2
            if term not in labels or rank < labels[term][0]:
                labels[term] = (rank, label)
            if parent is not None:
                parents[term].add(parent)
        self._labels = {term: label for term, (_, label) in labels.items()}
        self._parents = dict(parents)
        self._children: dict[str, set[str]] = defaultdict(set)
        for child, ups in self._parents.items():
            for parent in ups:
                self._children[parent].add(child)
        self._ancestors: dict[str, frozenset[str]] = {}
        self._descendants: dict[str, frozenset[str]] = {}
        self._by_name: dict[str, str] = {}
        for term in set(self._labels) | set(self._parents):
            self._by_name.setdefault(local_name(term).casefold(), term)
        for term, label in self._labels.items():
            self._by_name.setdefault(normalize(label), term)

    def label(self, iri: str) -> str:
        """The English label of a term, or its local name when it has none."""
        return self._labels.get(iri) or local_name(iri)

    def ancestors(self, iri: str) -> frozenset[str]:
        """The class and all its superclasses (rdfs:subClassOf*)."""
        return self._closure(iri, self._parents, self._ancestors)

    def descendants(self, iri: str) -> frozenset[str]:
        """The class and all its subclasses."""
        return self._closure(iri, self._children, self._descendants)

    @staticmethod
    def _closure(iri: str, links: dict[str, set[str]], cache: dict[str, frozenset[str]]) -> frozenset[str]:
        found = cache.get(iri)
        if found is None:
            seen, todo = {iri}, [iri]
            while todo:
                for nxt in links.get(todo.pop(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
            found = cache[iri] = frozenset(seen)
        return found

    def knows(self, iri: str) -> bool:
        """True for terms of the ontology (labelled, or placed in the class hierarchy)."""
        return iri in self._labels or iri in self._parents or iri in self._children

    def is_a(self, cls: str, top: str) -> bool:
        return top in self.ancestors(cls)

    def kind(self, types: Iterable[str]) -> str:
        """actor, program, incident, relation, source, or other: what a node is, for views."""
        for kind, top in TOP_KINDS:
            if any(self.is_a(cls, top) for cls in types):
                return kind
        return "other"

    def most_specific(self, classes: Iterable[str], within: str | None = None) -> list[str]:
        """The classes that no other of them specializes (optionally only those below `within`)."""
        pool = [c for c in dict.fromkeys(classes) if within is None or self.is_a(c, within)]
        return [c for c in pool if not any(o != c and c in self.ancestors(o) for o in pool)]

    def resolve_class(self, name: str) -> str | None:
        """A class named by IRI, by short name (MilitaryUnit) or by label ("military unit")."""
        name = name.strip()
        if name.startswith("ag:"):
            name = AG + name[3:]
        if "://" in name:
            return name if self.knows(name) else None
        return self._by_name.get(name.casefold()) or self._by_name.get(normalize(name))
