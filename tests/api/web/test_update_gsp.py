"""SPARQL Update at /update and the Graph Store Protocol at /graph-store: roles, visibility after
a write, validation, atomicity, system graphs, and bad input."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.ingest import registry
from graph.store import EmbeddedStore
from ontology.namespaces import GRAPH, INFERRED_GRAPH, META_GRAPH, ONTOLOGY_GRAPH
from tests.api.web.test_access_control import MARKER, SECRET_GRAPH, build_store
from tests.conftest import FIXTURES

AG = "https://w3id.org/actorgraph/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
F = "https://w3id.org/actorgraph/fictional/id/"
SAMPLE = GRAPH + "sample"
KEYS_GRAPH = GRAPH + "keys"
UPDATE = {"Content-Type": "application/sparql-update"}
TURTLE = {"Content-Type": "text/turtle"}


@pytest.fixture
def store() -> EmbeddedStore:
    return build_store()


@pytest.fixture
def tokens(store: EmbeddedStore) -> dict[str, str]:
    return {role: keys.create_key(store, role, role).token for role in keys.ROLES}


@pytest.fixture
def client(store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None, max_upload_bytes=20_000), store=store))


def auth(tokens: dict[str, str], role: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}", **(extra or {})}


def renamed_sample(prefix: str) -> bytes:
    """The valid fictional sample under other IRIs, so it can land beside the original."""
    text = (FIXTURES / "valid_relation.ttl").read_text(encoding="utf-8")
    return text.replace("fictional/id/", f"fictional/id/{prefix}-").encode()


def labels(client: TestClient, headers: dict[str, str] | None = None) -> str:
    query = f"SELECT ?l WHERE {{ ?s <{RDFS}label> ?l }}"
    return client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv", **(headers or {})}).text


def graph_quads(store: EmbeddedStore, graph: str) -> set[str]:
    return {str(q) for q in store.quads(ox.NamedNode(graph))}


def registered(store: EmbeddedStore) -> dict[str, registry.GraphInfo]:
    return {info.graph.value: info for info in registry.registered_graphs(store)}


# --- Graph Store Protocol -------------------------------------------------------------------------


def test_put_creates_a_visible_validated_graph(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    response = client.put("/graph-store", params={"graph": GRAPH + "field"}, content=renamed_sample("field"), headers=auth(tokens, "editor", TURTLE))
    assert response.status_code == 201, response.text
    assert response.json()["changes"] == [{"graph": GRAPH + "field", "name": "field", "change": "created", "triples": 19}]
    info = registered(store)[GRAPH + "field"]
    assert info.validated and info.importer == "graph-store" and not info.restricted
    assert client.get("/graph-store", params={"graph": "field"}).status_code == 200  # anonymous readers see it
    derived = f"ASK {{ <{F}field-unit-first-brigade> <{AG}subOrganizationOf> <{F}field-unit-north-division> }}"
    assert client.get("/sparql", params={"query": derived}).json()["boolean"] is True  # links recomputed


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        (None, ox.RdfFormat.TURTLE),
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_get_negotiates_the_format(client: TestClient, store: EmbeddedStore, accept: str | None, rdf_format: ox.RdfFormat) -> None:
    response = client.get("/graph-store", params={"graph": SAMPLE}, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    parsed = {str(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(SAMPLE))) for t in ox.parse(response.content, rdf_format)}
    assert parsed == graph_quads(store, SAMPLE)


def test_get_refuses_unknown_accept_missing_graphs_and_default(client: TestClient) -> None:
    assert client.get("/graph-store", params={"graph": SAMPLE}, headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/graph-store", params={"graph": GRAPH + "nothing"}).status_code == 404
    default = client.get("/graph-store", params={"default": ""})
    assert default.status_code == 405 and "no default graph" in default.text
    assert client.get("/graph-store").status_code == 400
    assert client.head("/graph-store", params={"graph": SAMPLE}).status_code == 200


def test_put_restricted_graph_is_hidden_from_readers(client: TestClient, tokens: dict[str, str]) -> None:
    body = renamed_sample("closed").replace(b"(fictional)", f"({MARKER})".encode())
    response = client.put("/graph-store", params={"graph": "closed", "restricted": "true"}, content=body, headers=auth(tokens, "editor", TURTLE))
    assert response.status_code == 201
    assert client.get("/graph-store", params={"graph": "closed"}).status_code == 404
    assert MARKER not in labels(client)
    assert MARKER in labels(client, auth(tokens, "analyst"))


def test_put_replaces_and_keeps_the_restricted_flag(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    body = renamed_sample("again").replace(b"(fictional)", f"({MARKER} again)".encode())
    response = client.put("/graph-store", params={"graph": SECRET_GRAPH}, content=body, headers=auth(tokens, "editor", TURTLE))
    assert response.status_code == 200, response.text
    assert registered(store)[SECRET_GRAPH].restricted
    assert f"{MARKER} again" in labels(client, auth(tokens, "analyst"))
    assert MARKER not in labels(client)
    assert all("again-" in quad for quad in graph_quads(store, SECRET_GRAPH))  # replaced, not merged


def test_put_with_shape_violations_is_422_and_changes_nothing(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    before = graph_quads(store, SAMPLE)
    body = (FIXTURES / "relation_without_source.ttl").read_bytes()
    response = client.put("/graph-store", params={"graph": SAMPLE}, content=body, headers=auth(tokens, "editor", TURTLE))
    assert response.status_code == 422
    assert any("relation-unsourced" in violation for violation in response.json()["violations"])
    assert graph_quads(store, SAMPLE) == before


def test_malformed_rdf_is_400_with_line_and_column(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    before = graph_quads(store, SAMPLE)
    body = b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e .\n"
    response = client.put("/graph-store", params={"graph": SAMPLE}, content=body, headers=auth(tokens, "editor", TURTLE))
    assert response.status_code == 400
    assert "line 3, column" in response.text
    assert graph_quads(store, SAMPLE) == before


def test_unknown_content_type_is_415(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.put("/graph-store", params={"graph": "x"}, content=b"a,b\n", headers=auth(tokens, "editor", {"Content-Type": "text/csv"}))
    assert response.status_code == 415


def test_oversize_uploads_are_413(client: TestClient, tokens: dict[str, str]) -> None:
    big = b"<urn:a> <urn:b> " + b'"' + b"x" * 30_000 + b'" .\n'
    response = client.put("/graph-store", params={"graph": "big"}, content=big, headers=auth(tokens, "editor", {"Content-Type": "application/n-triples"}))
    assert response.status_code == 413 and "limit" in response.text

    def chunks():  # no Content-Length: the limit is enforced while reading
        for _ in range(30):
            yield b"# " + b"y" * 1000 + b"\n"

    streamed = client.post("/graph-store", params={"graph": "big"}, content=chunks(), headers=auth(tokens, "editor", TURTLE))
    assert streamed.status_code == 413
    update = client.post("/update", content="# " + "z" * 30_000, headers=auth(tokens, "editor", UPDATE))
    assert update.status_code == 413


def test_post_merges_atomically(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    before = graph_quads(store, SAMPLE)
    extra = f'<{F}unit-north-division> <{RDFS}comment> "merged" .\n'.encode()
    response = client.post("/graph-store", params={"graph": SAMPLE}, content=extra, headers=auth(tokens, "editor", {"Content-Type": "application/n-triples"}))
    assert response.status_code == 200, response.text
    after = graph_quads(store, SAMPLE)
    assert before < after and len(after) == len(before) + 1
    # A merge whose result breaks a shape is refused whole.
    bad = (FIXTURES / "relation_without_source.ttl").read_bytes()
    refused = client.post("/graph-store", params={"graph": SAMPLE}, content=bad, headers=auth(tokens, "editor", TURTLE))
    assert refused.status_code == 422
    assert graph_quads(store, SAMPLE) == after
    created = client.post("/graph-store", params={"graph": "fresh"}, content=renamed_sample("fresh"), headers=auth(tokens, "editor", TURTLE))
    assert created.status_code == 201


def test_delete_drops_and_unregisters(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    response = client.delete("/graph-store", params={"graph": SAMPLE}, headers=auth(tokens, "editor"))
    assert response.status_code == 200 and response.json()["changes"][0]["change"] == "dropped"
    assert SAMPLE not in registered(store) and not store.has_graph(ox.NamedNode(SAMPLE))
    assert client.get("/graph-store", params={"graph": SAMPLE}).status_code == 404
    assert client.delete("/graph-store", params={"graph": SAMPLE}, headers=auth(tokens, "editor")).status_code == 404


@pytest.mark.parametrize("role", [None, "reader", "analyst"])
def test_gsp_writes_need_the_editor_role(client: TestClient, tokens: dict[str, str], role: str | None) -> None:
    headers = auth(tokens, role, TURTLE) if role else TURTLE
    refused = 403 if role else 401  # a key whose role is too low, or no key at all
    assert client.put("/graph-store", params={"graph": "x"}, content=renamed_sample("x"), headers=headers).status_code == refused
    assert client.post("/graph-store", params={"graph": "x"}, content=renamed_sample("x"), headers=headers).status_code == refused
    assert client.delete("/graph-store", params={"graph": SAMPLE}, headers=headers).status_code == refused


@pytest.mark.parametrize("graph", [ONTOLOGY_GRAPH, INFERRED_GRAPH, META_GRAPH, KEYS_GRAPH])
def test_gsp_refuses_system_graphs(client: TestClient, store: EmbeddedStore, tokens: dict[str, str], graph: str) -> None:
    before = graph_quads(store, graph)
    body = renamed_sample("sys")
    for method in ("put", "post"):
        response = getattr(client, method)("/graph-store", params={"graph": graph}, content=body, headers=auth(tokens, "editor", TURTLE))
        assert response.status_code == 403, response.text
    assert client.delete("/graph-store", params={"graph": graph}, headers=auth(tokens, "editor")).status_code in {403, 404}
    if graph in {META_GRAPH, KEYS_GRAPH}:  # not even an admin writes the bookkeeping through the API
        response = client.put("/graph-store", params={"graph": graph}, content=body, headers=auth(tokens, "admin", TURTLE))
        assert response.status_code == 403
    assert graph_quads(store, graph) == before


# --- SPARQL Update --------------------------------------------------------------------------------


def update(client: TestClient, tokens: dict[str, str], text: str, role: str = "editor", **params: str):
    return client.post("/update", params=params, content=text, headers=auth(tokens, role, UPDATE))


def test_insert_into_a_new_graph_registers_it(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    text = (
        f"PREFIX ag: <{AG}> PREFIX rdfs: <{RDFS}> PREFIX prov: <http://www.w3.org/ns/prov#> "
        f"INSERT DATA {{ GRAPH <{GRAPH}notes> {{ <{F}unit-x> a ag:MilitaryUnit ; rdfs:label \"Unit X (fictional)\" ; "
        f"prov:wasDerivedFrom <{F}source-gazette> }} }}"
    )
    response = update(client, tokens, text)
    assert response.status_code == 200, response.text
    assert response.json()["changes"] == [{"graph": GRAPH + "notes", "name": "notes", "change": "created", "triples": 3}]
    info = registered(store)[GRAPH + "notes"]
    assert info.importer == "sparql-update" and info.validated and not info.restricted
    assert "Unit X (fictional)" in labels(client)


def test_new_graphs_can_be_restricted(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    text = f'INSERT DATA {{ GRAPH <{GRAPH}hushed> {{ <{F}unit-north-division> <{RDFS}comment> "{MARKER} note" }} }}'
    assert update(client, tokens, text, restricted="true").status_code == 200
    assert registered(store)[GRAPH + "hushed"].restricted
    query = f"SELECT ?c WHERE {{ ?s <{RDFS}comment> ?c }}"
    assert MARKER not in client.get("/sparql", params={"query": query}).text
    assert MARKER in client.get("/sparql", params={"query": query}, headers=auth(tokens, "analyst")).text


def test_form_encoded_update_modifies_a_named_graph(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    text = (
        f"PREFIX rdfs: <{RDFS}> WITH <{SAMPLE}> DELETE {{ ?u rdfs:label ?l }} INSERT {{ ?u rdfs:label \"Renamed (fictional)\" }} "
        f"WHERE {{ ?u rdfs:label ?l FILTER(?l = \"North Division (fictional)\") }}"
    )
    response = client.post("/update", data={"update": text}, headers=auth(tokens, "editor"))
    assert response.status_code == 200, response.text
    assert response.json()["changes"][0]["change"] == "modified"
    assert "Renamed (fictional)" in labels(client) and "North Division (fictional)" not in labels(client)


def test_graph_variable_ranges_over_the_named_graphs_only(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    text = f'INSERT {{ GRAPH ?g {{ ?s <{RDFS}comment> "seen" }} }} USING NAMED <{SAMPLE}> WHERE {{ GRAPH ?g {{ ?s <{RDFS}label> ?l }} }}'
    secret_before = graph_quads(store, SECRET_GRAPH)
    response = update(client, tokens, text)
    assert response.status_code == 200, response.text
    assert [c["graph"] for c in response.json()["changes"]] == [SAMPLE]
    assert graph_quads(store, SECRET_GRAPH) == secret_before


def test_updates_that_break_shapes_are_422_and_change_nothing(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    before = graph_quads(store, SAMPLE)
    source = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
    text = (
        f"DELETE {{ GRAPH <{SAMPLE}> {{ ?r {source} ?s }} }} "
        f"WHERE {{ GRAPH <{SAMPLE}> {{ ?r a <{AG}Subordination> ; {source} ?s }} }}"
    )
    response = update(client, tokens, text)
    assert response.status_code == 422, response.text
    assert response.json()["violations"]
    assert graph_quads(store, SAMPLE) == before


def test_clear_keeps_an_empty_graph_and_drop_unregisters(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    cleared = update(client, tokens, f"CLEAR GRAPH <{SAMPLE}>")
    assert cleared.status_code == 200 and cleared.json()["changes"][0]["change"] == "emptied"
    assert registered(store)[SAMPLE].triples == 0 and not graph_quads(store, SAMPLE)
    dropped = update(client, tokens, f"DROP GRAPH <{SECRET_GRAPH}>")
    assert dropped.status_code == 200 and dropped.json()["changes"][0]["change"] == "dropped"
    assert SECRET_GRAPH not in registered(store)


@pytest.mark.parametrize(
    "text",
    [
        f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}",
        f"DELETE DATA {{ GRAPH <{META_GRAPH}> {{ <{SECRET_GRAPH}> <{AG}graphRestricted> true }} }}",
        f"INSERT DATA {{ GRAPH <{KEYS_GRAPH}> {{ <urn:key> <{AG}keyRole> \"admin\" }} }}",
        f"INSERT DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}",
        f"CLEAR GRAPH <{INFERRED_GRAPH}>",
        f"DROP GRAPH <{ONTOLOGY_GRAPH}>",
        # graph names built at run time, prefixes and BASE: judged by what the update did
        f'INSERT {{ GRAPH ?g {{ <urn:a> <urn:b> <urn:c> }} }} WHERE {{ BIND(IRI(CONCAT("{GRAPH}", "me", "ta")) AS ?g) }}',
        f"PREFIX g: <{GRAPH}> INSERT DATA {{ GRAPH g:keys {{ <urn:a> <urn:b> <urn:c> }} }}",
        "BASE <https://w3id.org/actorgraph/graph/x/> INSERT DATA { GRAPH <../meta> { <urn:a> <urn:b> <urn:c> } }",
        "INSERTDATA{GRAPH<https://w3id.org/actorgraph/graph/meta>{<urn:a><urn:b><urn:c>}}",
    ],
)
def test_editors_cannot_touch_system_graphs(client: TestClient, store: EmbeddedStore, tokens: dict[str, str], text: str) -> None:
    protected = [META_GRAPH, KEYS_GRAPH, ONTOLOGY_GRAPH, INFERRED_GRAPH]
    before = {graph: graph_quads(store, graph) for graph in protected}
    response = update(client, tokens, text)
    assert response.status_code in {400, 403}, response.text
    reasons = ("system graph", "bookkeeping", "default graph", "SPARQL syntax error")  # glued keywords do not parse
    assert any(reason in response.text for reason in reasons), response.text
    assert {graph: graph_quads(store, graph) for graph in protected} == before
    assert registered(store)[SECRET_GRAPH].restricted


def test_updates_cannot_read_the_keys_graph(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    text = f"INSERT {{ GRAPH <{GRAPH}leak> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{KEYS_GRAPH}> {{ ?s ?p ?o }} }}"
    response = update(client, tokens, text)
    assert response.status_code == 403 and "system graphs" in response.text
    laundered = f"INSERT {{ GRAPH <{GRAPH}leak> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s <{AG}keyHash> ?o }} BIND(?g AS ?p) }}"
    assert update(client, tokens, laundered).json()["changes"] == []  # ?g ranges over named graphs only
    assert GRAPH + "leak" not in registered(store) and not graph_quads(store, GRAPH + "leak")


def test_writes_to_unnamed_existing_graphs_are_refused(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    before = graph_quads(store, SAMPLE)
    text = f'INSERT {{ GRAPH ?g {{ <urn:a> <urn:b> <urn:c> }} }} WHERE {{ BIND(IRI(CONCAT("{GRAPH}", "sam", "ple")) AS ?g) }}'
    response = update(client, tokens, text)
    assert response.status_code == 400 and "name the graphs you write" in response.text
    assert graph_quads(store, SAMPLE) == before


def test_default_graph_writes_syntax_errors_and_dataset_parameters_are_400(client: TestClient, tokens: dict[str, str]) -> None:
    default = update(client, tokens, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert default.status_code == 400 and "GRAPH <iri>" in default.text
    syntax = update(client, tokens, "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> }")
    assert syntax.status_code == 400 and "SPARQL syntax error" in syntax.text
    using = client.post("/update", params={"using-graph-uri": SAMPLE}, content="CLEAR SILENT GRAPH <urn:x>", headers=auth(tokens, "editor", UPDATE))
    assert using.status_code == 400 and "USING" in using.text
    assert client.get("/update").status_code == 405
    wrong = client.post("/update", content="x", headers=auth(tokens, "editor", {"Content-Type": "text/plain"}))
    assert wrong.status_code == 415


def test_admin_updates_run_on_the_store_and_reconcile_the_registry(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    text = f'INSERT DATA {{ GRAPH <{GRAPH}admin-notes> {{ <urn:a> <{RDFS}label> "admin note" }} }}'
    response = update(client, tokens, text, role="admin")
    assert response.status_code == 200, response.text
    info = registered(store)[GRAPH + "admin-notes"]
    assert not info.validated and info.importer == "sparql-update"
    assert "admin note" in labels(client)
    dropped = update(client, tokens, f"DROP GRAPH <{GRAPH}admin-notes>", role="admin")
    assert json.loads(dropped.text)["changes"] == [{"graph": GRAPH + "admin-notes", "name": "admin-notes", "change": "dropped", "triples": 0}]
    assert GRAPH + "admin-notes" not in registered(store)
