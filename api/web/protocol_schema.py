"""The SPARQL protocols' parameters and bodies, as OpenAPI declares them.

The protocol routes (/sparql, /update, /graph-store) read their parameters from the request
themselves, because the protocols allow them in the query string, a form or the body, repeated or
not, so FastAPI cannot derive them. These declarations let /docs and schema-driven clients (and the
fuzz run) send them.
"""

from __future__ import annotations

from typing import Any

from graph.ingest.formats import FORMATS

STRING: dict[str, Any] = {"type": "string"}
IRIS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}


def _parameter(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    array = schema.get("type") == "array"
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description, "explode": array}


DATASET = [
    _parameter("default-graph-uri", IRIS, "A graph of the query's default graph (repeatable); only graphs the caller may read count"),
    _parameter("named-graph-uri", IRIS, "A named graph of the query's dataset (repeatable)"),
]
RESTRICTED = _parameter("restricted", {"type": "boolean"}, "Register a graph the write creates as restricted (default false)")
REASON = _parameter("reason", {"type": "boolean"}, "Recompute the derived links afterwards (default true)")
GRAPH = _parameter("graph", STRING, "The graph: an IRI, or a short name under https://w3id.org/actorgraph/graph/")
# A write an editor may make on the demo data: one label, in a graph of its own.
EXAMPLE_UPDATE = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "INSERT DATA { GRAPH <https://w3id.org/actorgraph/graph/notes> { <https://w3id.org/actorgraph/id/note/example> rdfs:label \"A note\" } }"
)
EXAMPLE_TURTLE = '<https://w3id.org/actorgraph/id/note/example> <http://www.w3.org/2000/01/rdf-schema#label> "A note" .\n'

QUERY_GET: dict[str, Any] = {
    "parameters": [_parameter("query", STRING, "The SPARQL query; without it, the service description"), *DATASET],
}
QUERY_POST: dict[str, Any] = {
    "parameters": DATASET,
    "requestBody": {
        "required": True,
        "content": {
            "application/sparql-query": {"schema": STRING, "example": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"},
            "application/x-www-form-urlencoded": {"schema": {
                "type": "object", "required": ["query"],
                "properties": {"query": STRING, "default-graph-uri": IRIS, "named-graph-uri": IRIS},
            }},
        },
    },
}
UPDATE: dict[str, Any] = {
    "parameters": [RESTRICTED, REASON],
    "requestBody": {
        "required": True,
        "content": {
            "application/sparql-update": {"schema": STRING, "example": EXAMPLE_UPDATE},
            "application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["update"], "properties": {"update": STRING}}},
        },
    },
}
GRAPH_READ: dict[str, Any] = {"parameters": [GRAPH]}
GRAPH_DELETE: dict[str, Any] = {"parameters": [GRAPH, REASON]}
# The usual graph syntaxes (graph.ingest.formats reads more), and a multipart upload of several documents.
_RDF_BODIES: dict[str, dict[str, Any]] = {f.media_type: {"schema": STRING} for f in FORMATS if f.name in ("turtle", "ntriples", "jsonld", "rdfxml")}
_RDF_BODIES["text/turtle"] = {"schema": STRING, "example": EXAMPLE_TURTLE}
GRAPH_WRITE: dict[str, Any] = {
    "parameters": [GRAPH, RESTRICTED, REASON],
    "requestBody": {
        "required": True,
        "content": {
            **_RDF_BODIES,
            "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
        },
    },
}
