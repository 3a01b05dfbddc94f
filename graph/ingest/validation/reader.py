"""Reading a shapes graph for the compiler: the scope of a check and the shape's own values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from graph.ingest.validation.checks import _VIOLATION, UnsupportedShapeError
from graph.ingest.validation.names import _Names
from graph.ingest.validation.sparql_text import _compile_path, _Path, _sparql_term, _sparql_variable
from graph.ingest.validation.vocabulary import _PROPERTY_ONLY, _SEVERITIES, _qname


@dataclass(frozen=True)
class _Scope:
    """Where a top-level constraint applies: a shape, its focus pattern, and its path if any."""

    shape: str
    focus: str
    path: _Path | None
    message: str | None
    severity: str


class _ShapeReader:
    """Reading one shapes graph: single values, lists, flags, messages, fresh variable names."""

    def __init__(self, shapes: Graph, names: _Names, max_rows: int) -> None:
        self.shapes = shapes
        self.names = names
        self.limit = str(int(max_rows))
        self._variables = count(1)

    def _id(self, node: Node) -> str:
        """How a shape is named in results: its IRI, else its sh:name, else its blank-node id."""
        if isinstance(node, URIRef):
            return str(node)
        names = sorted(self.shapes.objects(node, SH.name), key=str)
        return str(names[0]) if names else "_:" + str(node)

    def _path(self, prop: Node, where: str) -> _Path:
        path = self._single(prop, SH.path)
        if path is None:
            raise UnsupportedShapeError(where + ": a property shape needs exactly one sh:path")
        return _compile_path(self.shapes, path, self.names, where)

    def _property_iri(self, node: Node, where: str, parameter: Node) -> str:
        if not isinstance(node, URIRef):
            raise UnsupportedShapeError(where + ": " + _qname(parameter) + " needs a property IRI")
        return _sparql_term(node, where)

    def _refuse_property_only(self, shape: Node, where: str) -> None:
        self._refuse(shape, _PROPERTY_ONLY, where, "needs a property shape (sh:path)")

    def _refuse(self, shape: Node, parameters: Sequence[URIRef], where: str, reason: str) -> None:
        """Raise for the first of `parameters` that the shape uses: it cannot be honoured here."""
        for parameter in parameters:
            if (shape, parameter, None) in self.shapes:
                raise UnsupportedShapeError(where + ": " + _qname(parameter) + " " + reason)

    def _single(self, node: Node, predicate: URIRef) -> Node | None:
        values = list(self.shapes.objects(node, predicate))
        if len(values) > 1:
            raise UnsupportedShapeError(self._id(node) + ": more than one " + _qname(predicate))
        return values[0] if values else None

    def _list(self, node: Node, where: str) -> list[Node]:
        if node != RDF.nil and (node, RDF.first, None) not in self.shapes:
            raise UnsupportedShapeError(where + " needs an RDF list")
        return list(Collection(self.shapes, node))

    def _flag(self, node: Node, predicate: URIRef) -> bool:
        value = self._single(node, predicate)
        return isinstance(value, Literal) and value.toPython() is True

    def _deactivated(self, node: Node) -> bool:
        return self._flag(node, SH.deactivated)

    def _message(self, node: Node) -> str | None:
        """sh:message: English first, then untagged, then any language."""
        messages = sorted((m for m in self.shapes.objects(node, SH.message) if isinstance(m, Literal)), key=str)

        def rank(message: Literal) -> int:
            language = (message.language or "").lower()
            return 0 if language == "en" or language.startswith("en-") else 1 if not language else 2

        return str(min(messages, key=rank)) if messages else None

    def _severity(self, node: Node) -> str:
        severity = self._single(node, SH.severity)
        if severity is None:
            return _VIOLATION
        if severity not in _SEVERITIES:
            raise UnsupportedShapeError(self._id(node) + ": unknown sh:severity " + _qname(severity))
        return _SEVERITIES[severity]  # type: ignore[index]

    def _fresh(self, stem: str) -> str:
        """A new variable for nested patterns, so an inner EXISTS never captures an outer variable."""
        return _sparql_variable(stem + str(next(self._variables)))
