"""The /sparql endpoint speaks the SPARQL 1.1 Protocol: three request forms, negotiation, errors."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.ingest import loader
from graph.store import EmbeddedStore
from ontology.namespaces import GRAPH
from tests.conftest import FIXTURES

UNITS = """PREFIX ag: <https://w3id.org/actorgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?unit ?label WHERE { ?unit a ag:MilitaryUnit ; rdfs:label ?label } ORDER BY ?label"""
CONSTRUCT = """PREFIX ag: <https://w3id.org/actorgraph/ontology#>
CONSTRUCT { ?child ag:under ?parent } WHERE { ?r ag:childUnit ?child ; ag:parentUnit ?parent }"""


@pytest.fixture
def client(ontology_store: EmbeddedStore) -> TestClient:
    loader.load_file(ontology_store, FIXTURES / "valid_relation.ttl", graph="sample")
    return TestClient(create_app(Settings(store=None), store=ontology_store))


def labels_from_json(body: bytes) -> list[str]:
    return [row["label"]["value"] for row in json.loads(body)["results"]["bindings"]]


def test_get_returns_sparql_json_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": UNITS})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert labels_from_json(response.content) == ["First Brigade (fictional)", "North Division (fictional)"]


def test_post_form_encoded(client: TestClient) -> None:
    response = client.post(
        "/sparql",
        content=urlencode({"query": UNITS}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    assert len(labels_from_json(response.content)) == 2


def test_post_sparql_query_body(client: TestClient) -> None:
    response = client.post("/sparql", content=UNITS, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 200
    assert len(labels_from_json(response.content)) == 2


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/html;q=0.9, text/csv;q=0.8", "text/csv"),
    ],
)
def test_select_results_follow_accept(client: TestClient, accept: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": UNITS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert b"North Division (fictional)" in response.content


def test_csv_parses_as_csv(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": UNITS}, headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["label"] for row in rows] == ["First Brigade (fictional)", "North Division (fictional)"]


def test_ask(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK { ?s a <https://w3id.org/actorgraph/ontology#Subordination> }"})
    assert response.json()["boolean"] is True


@pytest.mark.parametrize(
    ("accept", "media_type", "rdf_format"),
    [
        ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_results_follow_accept(client: TestClient, accept: str, media_type: str, rdf_format: ox.RdfFormat) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    triples = list(ox.parse(response.content, rdf_format))
    assert len(triples) == 1
    assert triples[0].subject.value.endswith("unit-first-brigade")


def test_describe(client: TestClient) -> None:
    query = "DESCRIBE <https://w3id.org/actorgraph/fictional/id/unit-north-division>"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert b"North Division (fictional)" in response.content


def test_syntax_error_is_400_with_parser_message(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELEC ?x WHERE { ?x ?p ?o }"})
    assert response.status_code == 400
    assert "SPARQL syntax error" in response.text
    assert "1:1" in response.text or "line 1" in response.text


def test_missing_query_is_400(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": " "})
    assert response.status_code == 400
    assert "query" in response.text
    posted = client.post("/sparql", content="other=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert posted.status_code == 400 and "query" in posted.text


def test_wrong_content_type_is_415(client: TestClient) -> None:
    response = client.post("/sparql", content=UNITS, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


def test_unsatisfiable_accept_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": UNITS}, headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_default_graph_uri_narrows_the_dataset(client: TestClient) -> None:
    ontology_only = client.get(
        "/sparql", params={"query": UNITS, "default-graph-uri": GRAPH + "ontology"}
    )
    assert labels_from_json(ontology_only.content) == []
    sample = client.get("/sparql", params={"query": UNITS, "default-graph-uri": GRAPH + "sample"})
    assert len(labels_from_json(sample.content)) == 2


def test_graph_keyword_sees_named_graphs(client: TestClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    graphs = [row["g"]["value"] for row in client.get("/sparql", params={"query": query}).json()["results"]["bindings"]]
    assert GRAPH + "sample" in graphs
    assert GRAPH + "ontology" in graphs
    # The meta graph holds import records (file paths); it is not part of the queryable dataset.
    assert GRAPH + "meta" not in graphs


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert "/sparql" in paths


def test_home_page_shows_counts(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Military unit" in response.text
    assert "Example queries" in response.text
