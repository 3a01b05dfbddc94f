"""How IRIs and terms read in violations: prefixed where a prefix is known."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.ingest.validation.sparql_text import _sparql_string
from graph.store import rdf

_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_](?:[\w.-]*[\w-])?$")


class _Names:
    """Prefixed names for IRIs, so that paths and values read like the Turtle people write."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # Longest namespace first, so that code: wins over a shorter namespace it extends.
        pairs = ((namespace, prefix) for prefix, namespace in prefixes.items())
        self._by_namespace = sorted(pairs, key=lambda pair: -len(pair[0]))

    def compact(self, iri: str) -> str:
        """ag:confidence for an IRI in a known namespace, else <iri>."""
        for namespace, prefix in self._by_namespace:
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and _LOCAL_NAME.match(local):
                return prefix + ":" + local
        return "<" + iri + ">"

    def readable(self, term: rdf.Term) -> str:
        """A result term in Turtle-like form: ag:x, _:b0, "2013-13-45"^^xsd:date, "x"@en."""
        if isinstance(term, rdf.NamedNode):
            return self.compact(term.value)
        if isinstance(term, rdf.BlankNode):
            return "_:" + term.value
        if isinstance(term, rdf.Literal):
            return self._literal(term.value, term.language, term.datatype.value)
        return str(term)

    def node(self, node: Node) -> str:
        """A shapes-graph term in the same form (for default messages)."""
        if isinstance(node, URIRef):
            return self.compact(str(node))
        if isinstance(node, Literal):
            return self._literal(str(node), node.language, str(node.datatype or XSD.string))
        return "_:" + str(node)

    def _literal(self, text: str, language: str | None, datatype: str) -> str:
        if language:
            return _sparql_string(text) + "@" + language
        if datatype == str(XSD.string):
            return _sparql_string(text)
        return _sparql_string(text) + "^^" + self.compact(datatype)
