"""The SPARQL 1.1 Service Description that `GET /sparql` without a query returns, so clients can
discover the endpoint: its languages, result formats, and the dataset the caller sees.

The dataset is the caller's own: the named graphs listed are those this caller may read, so a
reader's description does not reveal that restricted graphs exist.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from api.web import results
from graph.store import rdf

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = rdf.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DESCRIPTION_PREFIXES = {"sd": SD, "formats": FORMATS}

# The W3C format IRIs (https://www.w3.org/ns/formats/) of what api.web.results writes.
_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}


def _sd(name: str) -> rdf.NamedNode:
    return rdf.NamedNode(SD + name)


def description(query_endpoint: str, update_endpoint: str, graphs: Sequence[rdf.NamedNode]) -> list[rdf.Triple]:
    """The triples describing the query endpoint, the update endpoint, and the default dataset:
    a default graph that is the union of `graphs`, each of which is also a named graph."""
    return list(_triples(query_endpoint, update_endpoint, graphs))


def _triples(query_endpoint: str, update_endpoint: str, graphs: Sequence[rdf.NamedNode]) -> Iterator[rdf.Triple]:
    query, update = rdf.NamedNode(query_endpoint), rdf.NamedNode(update_endpoint)
    dataset, default = rdf.BlankNode(), rdf.BlankNode()
    for service, language in ((query, "SPARQL11Query"), (update, "SPARQL11Update")):
        yield rdf.Triple(service, RDF_TYPE, _sd("Service"))
        yield rdf.Triple(service, _sd("endpoint"), service)
        yield rdf.Triple(service, _sd("supportedLanguage"), _sd(language))
        yield rdf.Triple(service, _sd("feature"), _sd("UnionDefaultGraph"))
    for name in list(results.SOLUTION_FORMATS) + list(results.GRAPH_FORMATS):
        yield rdf.Triple(query, _sd("resultFormat"), rdf.NamedNode(FORMATS + _FORMAT_IRIS[name]))
    yield rdf.Triple(query, _sd("defaultDataset"), dataset)
    yield rdf.Triple(dataset, RDF_TYPE, _sd("Dataset"))
    yield rdf.Triple(dataset, _sd("defaultGraph"), default)
    yield rdf.Triple(default, RDF_TYPE, _sd("Graph"))
    for graph in graphs:
        named = rdf.BlankNode()
        yield rdf.Triple(dataset, _sd("namedGraph"), named)
        yield rdf.Triple(named, RDF_TYPE, _sd("NamedGraph"))
        yield rdf.Triple(named, _sd("name"), graph)
