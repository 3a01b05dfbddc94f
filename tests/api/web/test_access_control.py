"""Access control: API keys and roles, restricted graphs by every route, SERVICE and LOAD.

A restricted graph holds a copy of the fictional sample whose labels carry a marker. Readers (with
a key or anonymous) must never see the marker, whatever the route or query trick; analysts must
(the positive control that keeps these tests from passing vacuously). Nobody, not even an admin,
reads the keys or meta graphs through a query.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.guards.outbound import verdict
from graph.ingest import derivation, loader, setup
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource
from graph.store import GraphStore, open_store
from ontology.namespaces import FICTIONAL, GRAPH, META_GRAPH
from queries import catalog
from tests.conftest import FIXTURES
from tests.engines.engines import clear

MARKER = "SECRET-MARKER"
SECRET_GRAPH = GRAPH + "secret"
SECRET_UNIT = FICTIONAL + "hidden-unit-north-division"
SECRET_BRIGADE = FICTIONAL + "hidden-unit-first-brigade"
KEYS_GRAPH = GRAPH + "keys"
AG = "https://w3id.org/actorgraph/ontology#"


def secret_turtle() -> bytes:
    """The fictional sample under other IRIs, with the marker in every label."""
    text = (FIXTURES / "valid_relation.ttl").read_text(encoding="utf-8")
    return text.replace("fictional/id/", "fictional/id/hidden-").replace("(fictional)", f"({MARKER})").encode()


def build_store(store: GraphStore | None = None) -> GraphStore:
    store = open_store(None) if store is None else store
    setup.load_ontology(store)
    loader.load_file(store, FIXTURES / "valid_relation.ttl", graph="sample")
    loader.load_sources(
        store, [RdfSource.from_bytes("secret.ttl", secret_turtle(), format_named("turtle"))], graph="secret", restricted=True
    )
    derivation.reason(store)
    return store


@pytest.fixture(scope="module", params=["embedded", "oxigraph-server"])
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """The same battery on the embedded store and on each engine this machine runs."""
    if request.param == "embedded":
        yield build_store()
        return
    location = request.getfixturevalue("oxigraph_engine").location
    clear(location)
    engine = build_store(open_store(location, recover=False))
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def tokens(store: GraphStore) -> dict[str, str]:
    made = {role: keys.create_key(store, role, f"{role} key").token for role in keys.ROLES}
    revoked = keys.create_key(store, "admin", "revoked admin key")
    keys.revoke_key(store, revoked.key.key_id)
    made["revoked"] = revoked.token
    return made


@pytest.fixture(scope="module")
def client(store: GraphStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=store))


@pytest.fixture(scope="module")
def closed_client(store: GraphStore) -> TestClient:
    return TestClient(create_app(Settings(store=None, anonymous_access=False), store=store))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def ask(client: TestClient, query: str, headers: dict[str, str] | None = None, **params: str | list[str]) -> str:
    response = client.get("/sparql", params={"query": query, **params}, headers={"Accept": "application/n-triples, text/csv", **(headers or {})})
    assert response.status_code == 200, response.text
    return response.text


# --- keys and roles ---------------------------------------------------------------------------


def test_anonymous_callers_are_readers(client: TestClient) -> None:
    assert "North Division (fictional)" in ask(client, "SELECT ?o WHERE { ?s ?p ?o }")
    refused = client.post("/update", content="CLEAR SILENT GRAPH <urn:x>", headers={"Content-Type": "application/sparql-update"})
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")  # no key: send one
    assert "editor role" in refused.json()["detail"] and "anonymous (reader)" in refused.json()["detail"]


def test_a_key_whose_role_is_too_low_is_403(client: TestClient, tokens: dict[str, str]) -> None:
    refused = client.post("/update", content="CLEAR SILENT GRAPH <urn:x>", headers={"Content-Type": "application/sparql-update", **bearer(tokens["reader"])})
    assert refused.status_code == 403 and "www-authenticate" not in refused.headers
    assert "editor role" in refused.json()["detail"]


def test_unknown_key_is_401_with_a_clear_message(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers=bearer("ag_0123456789ab_" + "x" * 43))
    assert response.status_code == 401
    assert "unknown API key" in response.json()["detail"]
    assert response.headers["www-authenticate"].startswith("Bearer")
    garbage = client.get("/sparql", params={"query": "ASK {}"}, headers=bearer("not-a-key"))
    assert garbage.status_code == 401


def test_a_key_one_character_off_is_refused(client: TestClient, tokens: dict[str, str]) -> None:
    token = tokens["admin"]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get("/sparql", params={"query": "ASK {}"}, headers=bearer(tampered)).status_code == 401


def test_other_authorization_schemes_are_refused(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_revoked_key_is_401_saying_so(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers=bearer(tokens["revoked"]))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_anonymous_off_needs_a_key(closed_client: TestClient, tokens: dict[str, str]) -> None:
    response = closed_client.get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 401
    assert "needs an API key" in response.json()["detail"]
    assert closed_client.get("/sparql", params={"query": "ASK {}"}, headers=bearer(tokens["reader"])).status_code == 200
    assert closed_client.get("/graph-store", params={"graph": "sample"}).status_code == 401


def test_keys_are_stored_hashed(store: GraphStore, tokens: dict[str, str]) -> None:
    stored = " ".join(str(q) for q in store.quads(ox.NamedNode(KEYS_GRAPH)))
    for token in tokens.values():
        secret = token.split("_", 2)[2]
        assert secret not in stored
    assert f"{AG}keyHash" in stored


def test_roles_come_from_the_key(client: TestClient, tokens: dict[str, str]) -> None:
    body = "INSERT DATA { GRAPH <https://w3id.org/actorgraph/graph/roles-check> { <urn:a> <urn:b> <urn:c> } }"
    headers = {"Content-Type": "application/sparql-update"}
    for role in ("reader", "analyst"):
        refused = client.post("/update", content=body, headers={**headers, **bearer(tokens[role])})
        assert refused.status_code == 403, role
        assert f"({role})" in refused.json()["detail"]


# --- restricted graphs through /sparql ----------------------------------------------------------

LEAKY_QUERIES = {
    "default graph": "SELECT ?o WHERE { ?s ?p ?o }",
    "FROM": f"SELECT ?o FROM <{SECRET_GRAPH}> WHERE {{ ?s ?p ?o }}",
    "FROM NAMED + GRAPH <iri>": f"SELECT ?o FROM NAMED <{SECRET_GRAPH}> WHERE {{ GRAPH <{SECRET_GRAPH}> {{ ?s ?p ?o }} }}",
    "GRAPH ?g": "SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
    "GRAPH <iri>": f"SELECT ?o WHERE {{ GRAPH <{SECRET_GRAPH}> {{ ?s ?p ?o }} }}",
    "FROM + FROM NAMED": f"SELECT ?o FROM <{SECRET_GRAPH}> FROM NAMED <{SECRET_GRAPH}> WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}",
    "DESCRIBE": f"DESCRIBE <{SECRET_UNIT}>",
    "DESCRIBE FROM": f"DESCRIBE <{SECRET_UNIT}> FROM <{SECRET_GRAPH}>",
    "CONSTRUCT GRAPH ?g": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "subquery": "SELECT ?o WHERE { { SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } } } }",
    "EXISTS": f"SELECT ?x WHERE {{ BIND(\"{MARKER}\" AS ?x) FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), \"SECRET-\")) }} }} }}",
}


@pytest.mark.parametrize("name", sorted(LEAKY_QUERIES))
def test_readers_never_see_restricted_graphs(client: TestClient, tokens: dict[str, str], name: str) -> None:
    query = LEAKY_QUERIES[name]
    assert MARKER not in ask(client, query), "anonymous reader"
    assert MARKER not in ask(client, query, bearer(tokens["reader"])), "reader key"
    assert MARKER in ask(client, query, bearer(tokens["analyst"])), "the analyst control must see the marker"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_protocol_dataset_parameters_cannot_widen_the_dataset(client: TestClient, tokens: dict[str, str], method: str) -> None:
    cases = [
        ("SELECT ?o WHERE { ?s ?p ?o }", {"default-graph-uri": SECRET_GRAPH}),
        ("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"named-graph-uri": SECRET_GRAPH}),
        (f"SELECT ?o WHERE {{ GRAPH <{SECRET_GRAPH}> {{ ?s ?p ?o }} }}", {"named-graph-uri": SECRET_GRAPH, "default-graph-uri": SECRET_GRAPH}),
    ]
    for query, params in cases:
        for who, headers in (("reader", {}), ("analyst", bearer(tokens["analyst"]))):
            if method == "GET":
                response = client.get("/sparql", params={"query": query, **params}, headers={"Accept": "text/csv", **headers})
            else:
                response = client.post(
                    "/sparql", data={"query": query, **params}, headers={"Accept": "text/csv", **headers}
                )
            assert response.status_code == 200, response.text
            assert (MARKER in response.text) is (who == "analyst"), (who, query, params)


def test_ask_does_not_leak_existence(client: TestClient, tokens: dict[str, str]) -> None:
    for query in (f"ASK {{ GRAPH <{SECRET_GRAPH}> {{ ?s ?p ?o }} }}", f"ASK FROM <{SECRET_GRAPH}> {{ <{SECRET_UNIT}> ?p ?o }}"):
        assert client.get("/sparql", params={"query": query}).json()["boolean"] is False
        assert client.get("/sparql", params={"query": query}, headers=bearer(tokens["analyst"])).json()["boolean"] is True


def test_graph_names_and_derived_links_stay_hidden(client: TestClient, tokens: dict[str, str]) -> None:
    listing = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    reader_graphs = ask(client, listing)
    analyst_graphs = ask(client, listing, bearer(tokens["analyst"]))
    assert SECRET_GRAPH not in reader_graphs and GRAPH + "inferred-restricted" not in reader_graphs
    assert SECRET_GRAPH in analyst_graphs and GRAPH + "inferred-restricted" in analyst_graphs
    derived = f"SELECT ?parent WHERE {{ <{SECRET_BRIGADE}> <{AG}subOrganizationOf> ?parent }}"
    assert SECRET_UNIT not in ask(client, derived)
    assert SECRET_UNIT in ask(client, derived, bearer(tokens["analyst"]))


@pytest.mark.parametrize("graph", [KEYS_GRAPH, META_GRAPH])
def test_keys_and_meta_graphs_are_in_no_dataset(client: TestClient, tokens: dict[str, str], graph: str) -> None:
    queries = [
        f"SELECT ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
        f"SELECT ?p ?o FROM <{graph}> WHERE {{ ?s ?p ?o }}",
        f"SELECT ?p ?o FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        answer = ask(client, query, bearer(tokens["admin"]))
        assert "keyHash" not in answer and "graphRestricted" not in answer and "tripleCount" not in answer
        response = client.get("/sparql", params={"query": query, "default-graph-uri": graph}, headers=bearer(tokens["admin"]))
        assert "keyHash" not in response.text and "tripleCount" not in response.text


# --- restricted graphs through the other routes -------------------------------------------------


def test_graph_store_get_hides_restricted_graphs(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.get("/graph-store", params={"graph": SECRET_GRAPH}).status_code == 404
    assert client.get("/graph-store", params={"graph": "secret"}, headers=bearer(tokens["reader"])).status_code == 404
    shown = client.get("/graph-store", params={"graph": "secret"}, headers=bearer(tokens["analyst"]))
    assert shown.status_code == 200 and MARKER in shown.text
    for hidden in (KEYS_GRAPH, META_GRAPH):
        assert client.get("/graph-store", params={"graph": hidden}, headers=bearer(tokens["admin"])).status_code == 404


def _parameter_value(name: str, schema: dict[str, object]) -> str | None:
    """A plausible value for a route parameter, aimed at the restricted data."""
    lowered = name.lower()
    kinds = json.dumps(schema)
    if "integer" in kinds:
        return None  # let the default apply
    if lowered in {"q", "query", "search", "text"}:
        return "North Division"  # matches the public and the restricted unit
    if lowered in {"at", "date", "on"}:
        return "2012-01-01"
    if lowered in {"types", "type", "level", "sector", "country"}:
        return None
    return SECRET_UNIT


def _get_routes(client: TestClient) -> list[tuple[str, dict[str, str]]]:
    """Every GET route of the app, with parameters aimed at the restricted unit."""
    spec = client.app.openapi()  # type: ignore[attr-defined]
    calls: list[tuple[str, dict[str, str]]] = []
    library = [query.name.split("/", 1)[-1] for query in catalog.list_queries("library")]
    for path, operations in spec["paths"].items():
        operation = operations.get("get")
        if operation is None or path in {"/sparql", "/graph-store"}:
            continue
        params: dict[str, str] = {}
        url = path
        for parameter in operation.get("parameters", []):
            value = _parameter_value(parameter["name"], parameter.get("schema", {}))
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", quote(SECRET_UNIT, safe=""))
            elif value is not None:
                params[parameter["name"]] = value
        if "name" in params and path.endswith("query"):
            calls += [(url, {**params, "name": name}) for name in library]
        if "from" in params and "to" in params:
            params["from"], params["to"] = SECRET_BRIGADE, SECRET_UNIT
        calls.append((url, params))
        if "{" in path:  # also the kind/slug form of the id
            calls.append((path.split("{")[0] + "fictional/hidden-unit-north-division" + path.split("}")[-1], params))
    return calls


def test_no_get_route_shows_restricted_data_to_readers(client: TestClient, tokens: dict[str, str]) -> None:
    calls = _get_routes(client)
    assert len(calls) > 5
    analyst_saw = []
    for url, params in calls:
        for headers in ({}, bearer(tokens["reader"])):
            response = client.get(url, params=params, headers={"Accept": "text/html,application/json", **headers})
            assert MARKER not in response.text, f"GET {url} {params} leaked restricted data ({response.status_code})"
        analyst = client.get(url, params=params, headers={"Accept": "text/html,application/json", **bearer(tokens["analyst"])})
        analyst_saw.append(MARKER in analyst.text)
    assert any(analyst_saw), "no route showed the restricted data even to an analyst: the scan proves nothing"


# --- SERVICE and LOAD -----------------------------------------------------------------------------

REFUSED = {
    "SERVICE": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "lowercase service": "select * where { service <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "mixed case": "SELECT * WHERE { SeRvIcE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "no space before the IRI": "SELECT * WHERE { SERVICE<http://127.0.0.1:1/sparql>{ ?s ?p ?o } }",
    "variable endpoint": "SELECT * WHERE { BIND(<http://127.0.0.1:1/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "after a comment line": "SELECT * WHERE { # a comment\n SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "after a string with an escaped quote": 'SELECT * WHERE { BIND("a\\"b" AS ?x) SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }',
}
# pyoxigraph reads these as SERVICE (it matches keywords without a word boundary); the parse
# that decides does not, so they are refused as syntax errors rather than by name.
GLUED = {
    "glued to a prefixed name": "PREFIX ex: <http://127.0.0.1:1/> SELECT * WHERE { SERVICEex:sparql { ?s ?p ?o } }",
    "glued after true": "SELECT * WHERE { ?s ?p trueSERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
}
ALLOWED = {
    "in a string": 'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:1/sparql> { }" AS ?x) }',
    "in a long string": "SELECT ?x WHERE { BIND('''LOAD\nSERVICE''' AS ?x) }",
    "in an IRI": "SELECT ?o WHERE { <http://example.org/SERVICE/load> ?p ?o }",
    "in a comment": "SELECT ?o WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:1/> LOAD",
    "as a variable": "SELECT ?service ?load WHERE { ?service ?load ?o } LIMIT 1",
    "as a local name": "PREFIX ex: <http://example.org/> SELECT ?o WHERE { ?s ex:SERVICE ?o . ?s ex:load ?o }",
    "in a language tag": 'SELECT ?x WHERE { BIND("x"@load AS ?x) }',
    "as a blank node label": "SELECT ?o WHERE { _:service ?p ?o }",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_service_is_refused_below_admin(client: TestClient, tokens: dict[str, str], name: str) -> None:
    for headers in ({}, bearer(tokens["analyst"]), bearer(tokens["editor"])):
        response = client.get("/sparql", params={"query": REFUSED[name]}, headers=headers)
        assert response.status_code == 403, (name, response.text)
        assert "SERVICE" in response.text and "refused" in response.text and "outbound" in response.text


@pytest.mark.parametrize("name", sorted(GLUED))
def test_glued_keywords_are_refused_as_syntax_errors(client: TestClient, tokens: dict[str, str], name: str) -> None:
    for headers in ({}, bearer(tokens["editor"])):
        response = client.get("/sparql", params={"query": GLUED[name]}, headers=headers)
        assert response.status_code == 400, (name, response.text)
        assert "SPARQL syntax error" in response.text


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_keywords_in_strings_iris_and_names_do_not_trigger(client: TestClient, name: str) -> None:
    assert verdict(ALLOWED[name], update=False).uses == ()
    response = client.get("/sparql", params={"query": ALLOWED[name]})
    assert response.status_code == 200, response.text


def test_outbound_uses_name_their_target() -> None:
    [use] = verdict("SELECT *\nWHERE {\n  service <http://x/> { }\n}", update=False).uses
    assert str(use) == "SERVICE <http://x/>"


def test_admins_may_use_service(client: TestClient, tokens: dict[str, str]) -> None:
    query = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query}, headers=bearer(tokens["admin"]))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://127.0.0.1:1/data.ttl> INTO GRAPH <https://w3id.org/actorgraph/graph/loaded>",
        "load <http://127.0.0.1:1/data.ttl>",
        "LOAD<http://127.0.0.1:1/data.ttl>",
        "PREFIX ex: <http://127.0.0.1:1/> LOADex:data",
        "INSERT { GRAPH <https://w3id.org/actorgraph/graph/x> { ?s ?p ?o } } WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    ],
)
def test_load_and_service_in_updates_are_refused_below_admin(client: TestClient, tokens: dict[str, str], update: str) -> None:
    response = client.post("/update", content=update, headers={"Content-Type": "application/sparql-update", **bearer(tokens["editor"])})
    assert response.status_code in {400, 403}, response.text
    assert "outbound connections" in response.text or "SPARQL syntax error" in response.text


def test_load_inside_a_literal_is_data(client: TestClient, tokens: dict[str, str]) -> None:
    update = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> INSERT DATA { GRAPH <https://w3id.org/actorgraph/graph/sample> "
        "{ <https://w3id.org/actorgraph/fictional/id/unit-north-division> rdfs:comment \"LOAD <http://127.0.0.1:1/x> and SERVICE\" } }"
    )
    response = client.post("/update", content=update, headers={"Content-Type": "application/sparql-update", **bearer(tokens["editor"])})
    assert response.status_code == 200, response.text


# --- the command line ---------------------------------------------------------------------------

ACTORGRAPH = Path(sys.executable).with_name("actorgraph")


def cli(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ACTORGRAPH), *args, "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "ACTORGRAPH_STORE": ""},
        check=False,
    )


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("access") / "store"
    assert cli("init", store=path).returncode == 0
    secret = path.parent / "secret.ttl"
    secret.write_bytes(secret_turtle())
    loaded = cli("load", str(secret), "--graph", "secret", "--restricted", store=path)
    assert loaded.returncode == 0, loaded.stderr
    yield path


def test_cli_keys_and_restricted_graphs_work_end_to_end(disk_store: Path) -> None:
    created = cli("keys", "create", "--role", "analyst", "--name", "Field office", store=disk_store)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("ag_") and "cannot be shown again" in created.stderr
    key_id = token.split("_")[1]
    listing = cli("keys", "list", "--json", store=disk_store)
    [entry] = [k for k in json.loads(listing.stdout) if k["key_id"] == key_id]
    assert entry["role"] == "analyst" and entry["label"] == "Field office" and entry["revoked"] is False
    assert token.split("_", 2)[2] not in listing.stdout
    assert cli("keys", "create", "--role", "boss", store=disk_store).returncode == 1

    graphs = json.loads(cli("graphs", "list", "--json", store=disk_store).stdout)
    assert {g["name"]: g["restricted"] for g in graphs}["secret"] is True

    def marker_visible(headers: dict[str, str]) -> bool:
        store = open_store(disk_store)
        try:
            app = TestClient(create_app(Settings(store=None), store=store))
            response = app.get("/sparql", params={"query": "SELECT ?o WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv", **headers})
            assert response.status_code == 200, response.text
            return MARKER in response.text
        finally:
            store.close()

    assert marker_visible(bearer(token)) and not marker_visible({})
    assert cli("graphs", "unrestrict", "secret", store=disk_store).returncode == 0
    assert marker_visible({})
    assert cli("graphs", "restrict", "secret", store=disk_store).returncode == 0
    assert not marker_visible({})
    assert cli("graphs", "restrict", "no-such-graph", store=disk_store).returncode == 1

    revoked = cli("keys", "revoke", key_id, store=disk_store)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    store = open_store(disk_store)
    try:
        app = TestClient(create_app(Settings(store=None), store=store))
        response = app.get("/sparql", params={"query": "ASK {}"}, headers=bearer(token))
        assert response.status_code == 401 and "revoked" in response.json()["detail"]
    finally:
        store.close()


def test_home_page_shows_only_what_the_caller_may_read(client: TestClient) -> None:
    page = client.get("/", headers={"Accept": "text/html"}).text
    assert SECRET_GRAPH not in page and "inferred-restricted" not in page
