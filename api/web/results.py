"""Turning query results into the formats people and clients ask for.

SELECT and ASK results: SPARQL JSON, XML, CSV, TSV, or a plain-text table for terminals.
CONSTRUCT and DESCRIBE results: Turtle, N-Triples, JSON-LD or RDF/XML.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph.store import Boolean, QueryResult, Solutions, Triples, rdf


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str


SOLUTION_FORMATS: dict[str, tuple[rdf.QueryResultsFormat, str]] = {
    "json": (rdf.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (rdf.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (rdf.QueryResultsFormat.CSV, "text/csv"),
    "tsv": (rdf.QueryResultsFormat.TSV, "text/tab-separated-values"),
}
GRAPH_FORMATS: dict[str, tuple[rdf.RdfFormat, str]] = {
    "turtle": (rdf.RdfFormat.TURTLE, "text/turtle"),
    "ntriples": (rdf.RdfFormat.N_TRIPLES, "application/n-triples"),
    "jsonld": (rdf.RdfFormat.JSON_LD, "application/ld+json"),
    "rdfxml": (rdf.RdfFormat.RDF_XML, "application/rdf+xml"),
}


def graph_bytes(triples: Iterable[rdf.Triple], name: str, prefixes: Mapping[str, str] | None = None) -> tuple[bytes, str]:
    """Triples in the named graph format (Turtle with `prefixes`); returns the bytes and the media type."""
    rdf_format, media_type = GRAPH_FORMATS[name]
    chosen = dict(prefixes) if prefixes and rdf_format == rdf.RdfFormat.TURTLE else None
    return rdf.serialize(triples, format=rdf_format, prefixes=chosen) or b"", media_type


def is_graph_result(result: QueryResult) -> bool:
    return isinstance(result, Triples)


def serialize(result: QueryResult, name: str) -> tuple[bytes, str]:
    """Serialize a result in the named format; returns the bytes and the media type."""
    if isinstance(result, Triples):
        rdf_format, media_type = GRAPH_FORMATS[name]
        return result.serialize(rdf_format), media_type
    results_format, media_type = SOLUTION_FORMATS[name]
    return result.serialize(results_format), media_type


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, rdf.Literal):
        return term.value
    if isinstance(term, rdf.NamedNode):
        return term.value
    return str(term)


def rows(result: Solutions) -> tuple[list[str], list[list[str]]]:
    """Column names and plain-text cells of a SELECT result."""
    names = result.variables
    return names, [[_cell(solution[name]) for name in names] for solution in result]


def table(result: QueryResult) -> str:
    """A plain-text table for a terminal, or the boolean, or Turtle for graph results."""
    if isinstance(result, Boolean):
        return "true" if result.value else "false"
    if isinstance(result, Triples):
        return result.serialize(rdf.RdfFormat.TURTLE).decode("utf-8")
    names, body = rows(result)
    widths = [max([len(name), *(len(row[i]) for row in body)]) for i, name in enumerate(names)]
    line = "  ".join(name.ljust(width) for name, width in zip(names, widths))
    rule = "  ".join("-" * width for width in widths)
    lines = [line, rule] + ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines)


def json_rows(result: Solutions) -> str:
    """Plain JSON objects, one per row, for scripts that don't want SPARQL JSON."""
    names, body = rows(result)
    return json.dumps([dict(zip(names, row)) for row in body], ensure_ascii=False, indent=2)
