"""SPARQL 1.1 Protocol and Graph Store Protocol details: the query's own dataset within what the
caller may read, partial protocol datasets, the endpoint URL as base IRI, repeated parameters,
empty updates, POST to the bare graph store, multipart uploads, and `?default`."""

from __future__ import annotations

import json
from urllib.parse import urlencode, urljoin

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.store import EmbeddedStore
from ontology.namespaces import GRAPH, ONTOLOGY_GRAPH
from tests.api.web.test_access_control import SECRET_GRAPH, build_store

SAMPLE = GRAPH + "sample"
COUNT = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
GRAPHS = "SELECT DISTINCT ?g {} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
ENDPOINT = "http://testserver/sparql"


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return build_store()


@pytest.fixture(scope="module")
def tokens(store: EmbeddedStore) -> dict[str, str]:
    return {role: keys.create_key(store, role, role).token for role in keys.ROLES}


@pytest.fixture(scope="module")
def client(store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=store))


def auth(tokens: dict[str, str], role: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"} if role else {}


def size(store: EmbeddedStore, graph: str) -> int:
    return sum(1 for _ in store.quads(ox.NamedNode(graph)))


def rows(client: TestClient, query: str, headers: dict[str, str] | None = None, **params: str | list[str]) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query, **params}, headers=headers or {})
    assert response.status_code == 200, response.text
    return [{name: cell["value"] for name, cell in row.items()} for row in json.loads(response.content)["results"]["bindings"]]


def count(client: TestClient, dataset: str = "", headers: dict[str, str] | None = None, **params: str | list[str]) -> int:
    return int(rows(client, COUNT.format(dataset), headers, **params)[0]["n"])


def graphs(client: TestClient, dataset: str = "", headers: dict[str, str] | None = None, **params: str | list[str]) -> set[str]:
    return {row["g"] for row in rows(client, GRAPHS.format(dataset), headers, **params)}


# --- the query's dataset ----------------------------------------------------------------------


def test_from_narrows_the_default_graph_to_the_named_graph(client: TestClient, store: EmbeddedStore) -> None:
    everything = count(client)
    assert count(client, f"FROM <{SAMPLE}>") == size(store, SAMPLE) < everything
    assert count(client, f"FROM <{SAMPLE}> FROM <{ONTOLOGY_GRAPH}>") == size(store, SAMPLE) + size(store, ONTOLOGY_GRAPH)


def test_from_a_prefixed_name_and_a_relative_base(client: TestClient, store: EmbeddedStore) -> None:
    query = f"BASE <{GRAPH}> PREFIX g: <{GRAPH}> SELECT (COUNT(*) AS ?n) FROM g:sample FROM NAMED <ontology> WHERE {{ ?s ?p ?o }}"
    assert int(rows(client, query)[0]["n"]) == size(store, SAMPLE)
    named = f"BASE <{GRAPH}> SELECT DISTINCT ?g FROM <sample> FROM NAMED <ontology> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert {row["g"] for row in rows(client, named)} == {ONTOLOGY_GRAPH}


def test_from_named_alone_leaves_the_default_graph_empty(client: TestClient) -> None:
    assert count(client, f"FROM NAMED <{SAMPLE}>") == 0
    assert graphs(client, f"FROM NAMED <{SAMPLE}>") == {SAMPLE}
    assert graphs(client, f"FROM <{SAMPLE}>") == set()  # FROM alone: no named graphs


@pytest.mark.parametrize("role", [None, "reader"])
def test_from_a_graph_the_caller_may_not_read_contributes_nothing(client: TestClient, tokens: dict[str, str], role: str | None) -> None:
    headers = auth(tokens, role)
    assert count(client, f"FROM <{SECRET_GRAPH}>", headers) == 0
    assert count(client, f"FROM <{SECRET_GRAPH}> FROM <{SAMPLE}>", headers) == count(client, f"FROM <{SAMPLE}>", headers)
    assert graphs(client, f"FROM NAMED <{SECRET_GRAPH}>", headers) == set()
    assert graphs(client, "", headers, **{"named-graph-uri": SECRET_GRAPH}) == set()
    assert count(client, "", headers, **{"default-graph-uri": SECRET_GRAPH}) == 0


def test_from_a_restricted_graph_counts_for_an_analyst(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    headers = auth(tokens, "analyst")
    assert count(client, f"FROM <{SECRET_GRAPH}>", headers) == size(store, SECRET_GRAPH) > 0
    assert graphs(client, f"FROM NAMED <{SECRET_GRAPH}>", headers) == {SECRET_GRAPH}


def test_dataset_clauses_inside_strings_comments_and_subqueries_are_not_clauses(client: TestClient) -> None:
    everything = count(client)
    text = f'SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(?o != "FROM <{SAMPLE}>") }} # FROM <{SAMPLE}>'
    literal_rows = int(rows(client, f'SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p "FROM <{SAMPLE}>" }}')[0]["n"])
    assert int(rows(client, text)[0]["n"]) == everything - literal_rows


# --- the protocol's dataset parameters ---------------------------------------------------------


def test_named_graph_uri_alone_leaves_the_default_graph_empty(client: TestClient) -> None:
    assert count(client, "", None, **{"named-graph-uri": SAMPLE}) == 0
    assert graphs(client, "", None, **{"named-graph-uri": SAMPLE}) == {SAMPLE}


def test_default_graph_uri_alone_gives_no_named_graphs(client: TestClient, store: EmbeddedStore) -> None:
    assert count(client, "", None, **{"default-graph-uri": SAMPLE}) == size(store, SAMPLE)
    assert graphs(client, "", None, **{"default-graph-uri": SAMPLE}) == set()


def test_protocol_parameters_override_the_query_text(client: TestClient, store: EmbeddedStore) -> None:
    assert count(client, f"FROM <{SAMPLE}>", None, **{"default-graph-uri": ONTOLOGY_GRAPH}) == size(store, ONTOLOGY_GRAPH)
    form = urlencode({"query": COUNT.format(""), "default-graph-uri": SAMPLE})
    response = client.post("/sparql", content=form, headers=FORM)
    assert int(json.loads(response.content)["results"]["bindings"][0]["n"]["value"]) == size(store, SAMPLE)


# --- base IRI -------------------------------------------------------------------------------------


def test_relative_iris_in_a_query_resolve_against_the_endpoint(client: TestClient) -> None:
    found = rows(client, "SELECT ?x WHERE { BIND(<data/x> AS ?x) }")
    assert found == [{"x": urljoin(ENDPOINT, "data/x")}]
    own_base = rows(client, "BASE <http://example.org/a/> SELECT ?x WHERE { BIND(<b> AS ?x) }")
    assert own_base == [{"x": "http://example.org/a/b"}]
    construct = client.get("/sparql", params={"query": "CONSTRUCT { <s> <p> <o> } WHERE {}"}, headers={"Accept": "application/n-triples"})
    assert construct.status_code == 200
    assert construct.text.strip() == f"<{urljoin(ENDPOINT, 's')}> <{urljoin(ENDPOINT, 'p')}> <{urljoin(ENDPOINT, 'o')}> ."


def test_syntax_errors_name_the_line_of_the_callers_text(client: TestClient) -> None:
    text = "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o ==) }"
    with pytest.raises(SyntaxError) as direct:
        ox.Store().query(text)
    response = client.get("/sparql", params={"query": text})
    assert response.status_code == 400
    assert str(direct.value.args[0]) in response.text  # the parser's own position, not one shifted by the base


def test_relative_iris_in_an_update_resolve_against_the_endpoint(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    graph = GRAPH + "relative-test"
    text = f"INSERT DATA {{ GRAPH <{graph}> {{ <thing> <{GRAPH}p> <other> }} }}"
    response = client.post("/update", content=text, headers={"Content-Type": "application/sparql-update", **auth(tokens, "admin")})
    assert response.status_code == 200, response.text
    subjects = {str(quad.subject) for quad in store.quads(ox.NamedNode(graph))}
    assert subjects == {f"<{urljoin('http://testserver/update', 'thing')}>"}


# --- repeated and empty parameters ------------------------------------------------------------------


def test_two_queries_are_400(client: TestClient) -> None:
    query = "ASK {}"
    assert client.get("/sparql", params=[("query", query), ("query", query)]).status_code == 400
    form = urlencode([("query", query), ("query", query)])
    response = client.post("/sparql", content=form, headers=FORM)
    assert response.status_code == 400 and "2 times" in response.text


def test_two_updates_are_400_and_an_empty_update_is_valid(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    headers = auth(tokens, "editor")
    before = store.size()
    twice = client.post("/update", content=urlencode([("update", "CLEAR SILENT GRAPH <urn:x>")] * 2), headers={**FORM, **headers})
    assert twice.status_code == 400 and "2 times" in twice.text
    for content, content_type in [("", "application/sparql-update"), ("update=", FORM["Content-Type"]), ("# nothing", "application/sparql-update")]:
        response = client.post("/update", content=content, headers={"Content-Type": content_type, **headers})
        assert response.status_code == 200, response.text
        assert response.json()["changes"] == []
    missing = client.post("/update", content="other=1", headers={**FORM, **headers})
    assert missing.status_code == 400 and "missing" in missing.text
    assert store.size() == before


# --- Graph Store Protocol -------------------------------------------------------------------------

PERSON = b'@prefix ag: <https://w3id.org/actorgraph/ontology#> .\n<urn:example:p> <http://www.w3.org/2000/01/rdf-schema#label> "%s" .\n'


def test_post_to_the_bare_graph_store_creates_a_graph(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    headers = {"Content-Type": "text/turtle", **auth(tokens, "editor")}
    first = client.post("/graph-store", content=PERSON % b"one", headers=headers)
    second = client.post("/graph-store", content=PERSON % b"two", headers=headers)
    assert first.status_code == second.status_code == 201, first.text
    assert first.headers["location"] != second.headers["location"]
    fetched = client.get("/graph-store", params={"graph": first.headers["location"]}, headers={"Accept": "application/n-triples"})
    assert fetched.status_code == 200
    assert fetched.text.strip() == '<urn:example:p> <http://www.w3.org/2000/01/rdf-schema#label> "one" .'
    name = first.headers["location"]
    assert name == first.json()["changes"][0]["graph"]
    assert name.startswith(GRAPH + "uploads/") and size(store, name) == 1


def test_multipart_uploads_merge_every_part(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    graph = GRAPH + "multipart-test"
    files = [
        ("last.ttl", ("last.ttl", b'<urn:example:p> <http://xmlns.com/foaf/0.1/familyName> "Doe" .', "text/turtle; charset=utf-8")),
        ("first.nt", ("first.nt", b'<urn:example:p> <http://xmlns.com/foaf/0.1/givenName> "Jane" .\n', "application/n-triples")),
    ]
    response = client.post("/graph-store", params={"graph": graph}, files=files, headers=auth(tokens, "editor"))
    assert response.status_code == 201, response.text
    assert {str(quad.object) for quad in store.quads(ox.NamedNode(graph))} == {'"Doe"', '"Jane"'}
    bad = [("bad.ttl", ("bad.ttl", b"<urn:a> <urn:b> .", "text/turtle")), files[1]]
    refused = client.post("/graph-store", params={"graph": graph + "-bad"}, files=bad, headers=auth(tokens, "editor"))
    assert refused.status_code == 400 and "bad.ttl" in refused.text and "line 1" in refused.text
    assert size(store, graph + "-bad") == 0


@pytest.mark.parametrize("method", ["get", "put", "post", "delete"])
def test_the_default_graph_is_405(client: TestClient, tokens: dict[str, str], method: str) -> None:
    content = PERSON % b"x" if method in {"put", "post"} else None
    response = client.request(method, "/graph-store?default", content=content, headers={"Content-Type": "text/turtle", **auth(tokens, "editor")})
    assert response.status_code == 405 and "no default graph" in response.text
    assert response.headers["allow"] == ""


def test_an_admins_clear_all_leaves_every_key_working(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post("/update", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update", **auth(tokens, "admin")})
    assert response.status_code == 200, response.text
    for role in keys.ROLES:
        assert client.get("/sparql", params={"query": "ASK {}"}, headers=auth(tokens, role)).status_code == 200, role


@pytest.mark.parametrize(("path", "content_type"), [("/sparql", "application/sparql-query"), ("/update", "application/sparql-update")])
def test_a_body_in_another_charset_is_415(client: TestClient, tokens: dict[str, str], path: str, content_type: str) -> None:
    text = "ASK {}" if path == "/sparql" else ""
    refused = client.post(path, content=text.encode("utf-16"), headers={"Content-Type": f"{content_type}; charset=UTF-16", **auth(tokens, "editor")})
    assert refused.status_code == 415 and "UTF-8" in refused.text
    accepted = client.post(path, content=text.encode(), headers={"Content-Type": f"{content_type}; charset=utf-8", **auth(tokens, "editor")})
    assert accepted.status_code == 200, accepted.text
