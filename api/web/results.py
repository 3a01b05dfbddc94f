"""Turning query results into the formats people and clients ask for.

SELECT and ASK results: SPARQL JSON, XML, CSV, TSV, or a plain-text table for terminals.
CONSTRUCT and DESCRIBE results: Turtle, N-Triples, JSON-LD or RDF/XML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from graph.store import QueryResult


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str


SOLUTION_FORMATS: dict[str, tuple[ox.QueryResultsFormat, str]] = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
}
GRAPH_FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
}


def is_graph_result(result: QueryResult) -> bool:
    return isinstance(result, ox.QueryTriples)


def serialize(result: QueryResult, name: str) -> tuple[bytes, str]:
    """Serialize a result in the named format; returns the bytes and the media type."""
    if isinstance(result, ox.QueryTriples):
        rdf_format, media_type = GRAPH_FORMATS[name]
        return result.serialize(format=rdf_format) or b"", media_type
    results_format, media_type = SOLUTION_FORMATS[name]
    return result.serialize(format=results_format) or b"", media_type


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def rows(result: ox.QuerySolutions) -> tuple[list[str], list[list[str]]]:
    """Column names and plain-text cells of a SELECT result."""
    names = [variable.value for variable in result.variables]
    return names, [[_cell(solution[name]) for name in names] for solution in result]


def table(result: QueryResult) -> str:
    """A plain-text table for a terminal, or the boolean, or Turtle for graph results."""
    if isinstance(result, ox.QueryBoolean):
        return "true" if bool(result) else "false"
    if isinstance(result, ox.QueryTriples):
        return (result.serialize(format=ox.RdfFormat.TURTLE) or b"").decode("utf-8")
    names, body = rows(result)
    widths = [max([len(name), *(len(row[i]) for row in body)]) for i, name in enumerate(names)]
    line = "  ".join(name.ljust(width) for name, width in zip(names, widths))
    rule = "  ".join("-" * width for width in widths)
    lines = [line, rule] + ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines)


def json_rows(result: ox.QuerySolutions) -> str:
    """Plain JSON objects, one per row, for scripts that don't want SPARQL JSON."""
    names, body = rows(result)
    return json.dumps([dict(zip(names, row)) for row in body], ensure_ascii=False, indent=2)
