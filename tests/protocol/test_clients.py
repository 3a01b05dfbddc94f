"""Real SPARQL clients, unmodified, read and write through the endpoints of a live server:
SPARQLWrapper, and rdflib's SPARQLStore and SPARQLUpdateStore. Only the API key is configured,
as a header, the way a researcher would."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from rdflib.query import Result, ResultRow
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

from ontology.namespaces import GRAPH, ONTOLOGY_GRAPH
from tests.protocol.conftest import Served

AG = "https://w3id.org/actorgraph/ontology#"


def wrapper(server: Served, *, update: bool = False) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{server.base}/sparql", updateEndpoint=f"{server.base}/update")
    client.addCustomHttpHeader("Authorization", f"Bearer {server.editor_key}")
    if update:
        client.setMethod(POST)
    return client


def count(result: Result) -> int:
    """The one number a COUNT query answers."""
    row = next(iter(result))
    assert isinstance(row, ResultRow)
    return int(row[0])


def labels_in(server: Served, graph: str) -> set[str]:
    """What the graph holds, read through the Graph Store Protocol (not through the client under test)."""
    response = server.editor.get("/graph-store", params={"graph": graph}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    return {str(o) for o in Graph().parse(data=response.text, format="turtle").objects(None, RDFS.label)}


def test_sparqlwrapper_selects_constructs_and_updates(server: Served) -> None:
    graph = GRAPH + "clients/sparqlwrapper"
    writer = wrapper(server, update=True)
    writer.setQuery(f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:example:a> <{RDFS.label}> "written by SPARQLWrapper" }} }}')
    writer.query()
    assert labels_in(server, graph) == {"written by SPARQLWrapper"}

    reader = wrapper(server)
    reader.setQuery(f"SELECT ?label FROM <{graph}> WHERE {{ ?s <{RDFS.label}> ?label }}")
    reader.setReturnFormat(JSON)
    converted = reader.query().convert()
    assert isinstance(converted, dict)
    assert [row["label"]["value"] for row in converted["results"]["bindings"]] == ["written by SPARQLWrapper"]

    reader.setQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    reader.setReturnFormat(TURTLE)
    turtle = reader.query().convert()
    assert isinstance(turtle, bytes)
    constructed = Graph().parse(data=turtle, format="turtle")
    assert set(constructed) == {(URIRef("urn:example:a"), RDFS.label, Literal("written by SPARQLWrapper"))}


def test_sparqlwrapper_sees_a_bad_query_as_a_client_error(server: Served) -> None:
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    reader = wrapper(server)
    reader.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed):
        reader.query()


def test_rdflib_sparqlstore_reads_the_ontology(server: Served) -> None:
    store = SPARQLStore(f"{server.base}/sparql", headers={"Authorization": f"Bearer {server.editor_key}"})
    ontology = Graph(store, identifier=URIRef(ONTOLOGY_GRAPH))
    classes = {str(s) for s in ontology.subjects(RDFS.subClassOf, URIRef(AG + "Organization"))}
    direct = server.editor.get("/graph-store", params={"graph": ONTOLOGY_GRAPH}, headers={"Accept": "text/turtle"})
    expected = {str(s) for s in Graph().parse(data=direct.text, format="turtle").subjects(RDFS.subClassOf, URIRef(AG + "Organization"))}
    assert classes == expected and classes
    size = len(Graph().parse(data=direct.text, format="turtle"))
    # A graph's query goes out with default-graph-uri set to that graph.
    assert count(ontology.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")) == size
    # A union Dataset sends no dataset parameters: every readable graph is there by name.
    union = Dataset(store, default_union=True)
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
    assert count(union.query(query)) == size


def test_rdflib_sparqlupdatestore_writes_and_reads_back(server: Served) -> None:
    graph = GRAPH + "clients/rdflib"
    store = SPARQLUpdateStore(
        f"{server.base}/sparql", f"{server.base}/update", headers={"Authorization": f"Bearer {server.editor_key}"}, autocommit=True
    )
    named = Graph(store, identifier=URIRef(graph))
    named.add((URIRef("urn:example:b"), RDFS.label, Literal("written by rdflib")))
    named.add((URIRef("urn:example:c"), RDFS.label, Literal("and another")))
    assert labels_in(server, graph) == {"written by rdflib", "and another"}
    assert {str(o) for o in named.objects(None, RDFS.label)} == {"written by rdflib", "and another"}
    named.remove((URIRef("urn:example:c"), None, None))
    assert labels_in(server, graph) == {"written by rdflib"}
    assert len(named) == 1
