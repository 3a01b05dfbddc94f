"""`GET /sparql` without a query describes the service (SPARQL 1.1 Service Description): the
endpoints, languages, result formats and the named graphs this caller may read, by Accept."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.ingest import registry
from graph.store import EmbeddedStore
from tests.api.web.test_access_control import SECRET_GRAPH, build_store

SD = "http://www.w3.org/ns/sparql-service-description#"
ENDPOINT = "http://testserver/sparql"


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return build_store()


@pytest.fixture(scope="module")
def tokens(store: EmbeddedStore) -> dict[str, str]:
    return {role: keys.create_key(store, role, role).token for role in ("reader", "analyst")}


@pytest.fixture(scope="module")
def client(store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=store))


def described(client: TestClient, accept: str | None = None, token: str | None = None) -> ox.Store:
    headers = {"Accept": accept} if accept else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = client.get("/sparql", headers=headers)
    assert response.status_code == 200, response.text
    media = response.headers["content-type"].split(";")[0]
    parsed = ox.Store()
    parsed.load(response.content, format=ox.RdfFormat.from_media_type(media), base_iri=ENDPOINT)
    return parsed


def values(graph: ox.Store, query: str) -> set[str]:
    result = graph.query(f"PREFIX sd: <{SD}> {query}")
    assert isinstance(result, ox.QuerySolutions)
    return {solution[0].value for solution in result if solution[0] is not None}


def named_graphs(graph: ox.Store) -> set[str]:
    return values(graph, f"SELECT ?g WHERE {{ <{ENDPOINT}> sd:defaultDataset/sd:namedGraph/sd:name ?g }}")


def test_turtle_by_default_naming_the_endpoints_and_languages(client: TestClient) -> None:
    response = client.get("/sparql")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = described(client)
    assert values(graph, "SELECT ?e WHERE { ?s a sd:Service ; sd:endpoint ?e }") == {ENDPOINT, "http://testserver/update"}
    assert values(graph, f"SELECT ?l WHERE {{ <{ENDPOINT}> sd:supportedLanguage ?l }}") == {SD + "SPARQL11Query"}
    assert values(graph, "SELECT ?l WHERE { <http://testserver/update> sd:supportedLanguage ?l }") == {SD + "SPARQL11Update"}


def test_result_formats_are_those_the_endpoint_produces(client: TestClient) -> None:
    formats = values(described(client), f"SELECT ?f WHERE {{ <{ENDPOINT}> sd:resultFormat ?f }}")
    produced = set()
    for accept, query in [
        ("application/sparql-results+json", "SELECT * {}"),
        ("application/sparql-results+xml", "SELECT * {}"),
        ("text/csv", "SELECT * {}"),
        ("text/tab-separated-values", "SELECT * {}"),
        ("text/turtle", "CONSTRUCT {} WHERE {}"),
        ("application/n-triples", "CONSTRUCT {} WHERE {}"),
        ("application/ld+json", "CONSTRUCT {} WHERE {}"),
        ("application/rdf+xml", "CONSTRUCT {} WHERE {}"),
    ]:
        response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.headers["content-type"].startswith(accept)
        produced.add(accept)
    assert len(formats) == len(produced) == 8
    assert all(iri.startswith("http://www.w3.org/ns/formats/") for iri in formats)


@pytest.mark.parametrize("accept", ["application/n-triples", "application/ld+json", "application/rdf+xml"])
def test_other_rdf_formats_carry_the_same_description(client: TestClient, accept: str) -> None:
    assert named_graphs(described(client, accept)) == named_graphs(described(client))
    assert len(described(client, accept)) == len(described(client))


def test_named_graphs_are_those_the_caller_may_read(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    public = {graph.value for graph in registry.visible_graphs(store, include_restricted=False)}
    everything = {graph.value for graph in registry.visible_graphs(store, include_restricted=True)}
    assert SECRET_GRAPH in everything - public
    assert named_graphs(described(client)) == public
    assert named_graphs(described(client, token=tokens["reader"])) == public
    assert named_graphs(described(client, token=tokens["analyst"])) == everything


def test_unsatisfiable_accept_is_406(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "image/png"})
    assert response.status_code == 406 and "text/turtle" in response.text
