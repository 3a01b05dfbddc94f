"""RDF terms and syntaxes: the one place outside the embedded backend that names pyoxigraph.

Every caller builds and inspects terms (named nodes, literals, blank nodes, triples, quads), and
parses or writes RDF and SPARQL result files, through this module. pyoxigraph's term classes are
the representation because any backend can produce them: the embedded engine returns them, and a
remote one gets them by parsing its SPARQL results with `parse_query_results`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TypeAlias

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolution,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    Variable,
    parse,
    parse_query_results,
    serialize,
)

__all__ = [
    "XSD_BOOLEAN",
    "XSD_DATE",
    "XSD_DATE_TIME",
    "XSD_DECIMAL",
    "XSD_DOUBLE",
    "XSD_INTEGER",
    "XSD_STRING",
    "BlankNode",
    "DefaultGraph",
    "GraphName",
    "Literal",
    "NamedNode",
    "Quad",
    "QueryResultsFormat",
    "QueryTriples",
    "RdfFormat",
    "Row",
    "SolutionStream",
    "Subject",
    "Term",
    "Triple",
    "Variable",
    "boolean_bytes",
    "parse",
    "parse_query_results",
    "quad",
    "serialize",
    "triple_of",
    "triples_bytes",
]

Term: TypeAlias = NamedNode | BlankNode | Literal | Triple
Subject: TypeAlias = NamedNode | BlankNode | Triple
GraphName: TypeAlias = NamedNode | BlankNode | DefaultGraph
Row: TypeAlias = QuerySolution  # one SELECT solution: row["name"], row[0], or unpacked in order
SolutionStream: TypeAlias = QuerySolutions  # what a backend parses a SELECT result into

_XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = NamedNode(_XSD + "string")
XSD_BOOLEAN = NamedNode(_XSD + "boolean")
XSD_INTEGER = NamedNode(_XSD + "integer")
XSD_DECIMAL = NamedNode(_XSD + "decimal")
XSD_DOUBLE = NamedNode(_XSD + "double")
XSD_DATE = NamedNode(_XSD + "date")
XSD_DATE_TIME = NamedNode(_XSD + "dateTime")


def quad(triple: Triple, graph: NamedNode | BlankNode | DefaultGraph) -> Quad:
    """A triple placed in a graph."""
    return Quad(triple.subject, triple.predicate, triple.object, graph)


def triple_of(q: Quad) -> Triple:
    """A quad without its graph name."""
    return Triple(q.subject, q.predicate, q.object)


def triples_bytes(triples: Iterable[Triple], rdf_format: RdfFormat = RdfFormat.N_TRIPLES, output: IO[bytes] | None = None) -> bytes:
    """Serialize triples; into `output` when given (then returns b"")."""
    return serialize(triples, output, rdf_format) or b""


def boolean_bytes(value: bool, results_format: QueryResultsFormat) -> bytes:
    """An ASK answer in a SPARQL results format (pyoxigraph builds booleans only by parsing)."""
    parsed = parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if value else b"false"), QueryResultsFormat.JSON)
    assert isinstance(parsed, QueryBoolean)
    return parsed.serialize(format=results_format) or b""
