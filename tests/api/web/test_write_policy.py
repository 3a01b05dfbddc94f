"""What writes may do: restricted data stays restricted, graph names stay in ActorGraph's
namespace, and the system graphs (meta, keys, audit, vetting cases) change only through their
own commands, for every role.

The store holds a public `demo` graph and a restricted `secret` graph whose labels carry a marker
and whose IRIs contain "hidden-". After every refused write, an anonymous caller must find
neither; the allowed forms are the positive controls.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.guards import write_policy
from graph.ingest import loader, registry
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource
from graph.store import EmbeddedStore
from ontology.namespaces import AUDIT_GRAPH, GRAPH, INFERRED_RESTRICTED_GRAPH, KEYS_GRAPH, META_GRAPH, VETTING_CASES_GRAPH
from tests.api.web.test_access_control import MARKER, SECRET_GRAPH, SECRET_UNIT, build_store
from tests.api.web.test_update_gsp import renamed_sample

AG = "https://w3id.org/actorgraph/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DEMO = GRAPH + "demo"
PUBLIC_COPY = GRAPH + "public-copy"
UPDATE = {"Content-Type": "application/sparql-update"}
TURTLE = {"Content-Type": "text/turtle"}
ROLES = ["editor", "admin"]


@pytest.fixture
def store() -> EmbeddedStore:
    store = build_store()
    loader.load_sources(store, [RdfSource.from_bytes("demo.ttl", renamed_sample("demo"), format_named("turtle"))], graph="demo")
    # A record in the audit and vetting-case graphs, so that "untouched" means something.
    store.add([ox.Quad(ox.NamedNode("urn:run"), ox.NamedNode(AG + "note"), ox.Literal("audit"), ox.NamedNode(AUDIT_GRAPH))])
    store.add([ox.Quad(ox.NamedNode("urn:case"), ox.NamedNode(AG + "note"), ox.Literal("case"), ox.NamedNode(VETTING_CASES_GRAPH))])
    return store


@pytest.fixture
def tokens(store: EmbeddedStore) -> dict[str, str]:
    made = {role: keys.create_key(store, role, role).token for role in keys.ROLES}
    revoked = keys.create_key(store, "admin", "revoked admin")
    keys.revoke_key(store, revoked.key.key_id)
    made["revoked"] = revoked.token
    return made


@pytest.fixture(params=["process", "thread"])
def client(request: pytest.FixtureRequest, store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None, query_isolation=request.param), store=store))


def auth(tokens: dict[str, str], role: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}", **(extra or {})}


def update(client: TestClient, tokens: dict[str, str], text: str, role: str = "editor", **params: str):  # type: ignore[no-untyped-def]
    return client.post("/update", params=params, content=text, headers=auth(tokens, role, UPDATE))


def anonymous_view(client: TestClient) -> str:
    """Everything an anonymous caller can read, by query and by the Graph Store Protocol."""
    everything = client.get("/sparql", params={"query": "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"}, headers={"Accept": "text/csv"})
    assert everything.status_code == 200
    store: EmbeddedStore = client.app.state.store  # type: ignore[attr-defined]
    graphs = [info.graph.value for info in registry.registered_graphs(store) if not info.restricted]
    dumps = [client.get("/graph-store", params={"graph": g}).text for g in graphs]
    return str(everything.text) + "".join(dumps)


def assert_no_leak(client: TestClient) -> None:
    seen = anonymous_view(client)
    assert MARKER not in seen and "hidden-" not in seen


def quads(store: EmbeddedStore, graph: str) -> set[str]:
    return {str(q) for q in store.quads(ox.NamedNode(graph))}


# --- information flow: the seven forms and more ---------------------------------------------------

LAUNDERING = {
    "INSERT WHERE GRAPH <restricted>": f"INSERT {{ GRAPH <{PUBLIC_COPY}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{SECRET_GRAPH}> {{ ?s ?p ?o }} }}",
    "USING <restricted>": f"INSERT {{ GRAPH <{PUBLIC_COPY}> {{ ?s ?p ?o }} }} USING <{SECRET_GRAPH}> WHERE {{ ?s ?p ?o }}",
    "WITH <restricted>": f"WITH <{SECRET_GRAPH}> INSERT {{ GRAPH <{PUBLIC_COPY}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}",
    "copying inferred-restricted": (
        f"INSERT {{ GRAPH <{PUBLIC_COPY}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{INFERRED_RESTRICTED_GRAPH}> {{ ?s ?p ?o }} }}"
    ),
    "appending to demo": f"INSERT {{ GRAPH <{DEMO}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{SECRET_GRAPH}> {{ ?s ?p ?o }} }}",
    "USING NAMED and GRAPH ?g": f"INSERT {{ GRAPH <{PUBLIC_COPY}> {{ ?s ?p ?o }} }} USING NAMED <{SECRET_GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "COPY": f"COPY <{SECRET_GRAPH}> TO <{PUBLIC_COPY}>",
    "ADD into demo": f"ADD <{SECRET_GRAPH}> TO <{DEMO}>",
    "a value derived from restricted data": (
        f'INSERT {{ GRAPH <{DEMO}> {{ ?s <{RDFS}comment> ?c }} }} '
        f'WHERE {{ GRAPH <{SECRET_GRAPH}> {{ ?x <{RDFS}label> ?l }} GRAPH <{DEMO}> {{ ?s a ?t }} BIND(CONCAT("was: ", ?l) AS ?c) }}'
    ),
    "through the default graph, cleared after": (
        f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{SECRET_GRAPH}> {{ ?s ?p ?o }} }} ; "
        f"INSERT {{ GRAPH <{PUBLIC_COPY}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }} ; CLEAR DEFAULT"
    ),
    "pasted into INSERT DATA": f'INSERT DATA {{ GRAPH <{DEMO}> {{ <{SECRET_UNIT}> <{RDFS}label> "North Division ({MARKER})" }} }}',
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("form", sorted(LAUNDERING))
def test_restricted_data_cannot_be_written_into_public_graphs(
    client: TestClient, store: EmbeddedStore, tokens: dict[str, str], form: str, role: str
) -> None:
    demo_before = quads(store, DEMO)
    response = update(client, tokens, LAUNDERING[form], role)
    assert response.status_code == 403, response.text
    assert "restricted" in response.text
    assert quads(store, DEMO) == demo_before
    assert PUBLIC_COPY not in {info.graph.value for info in registry.registered_graphs(store)}
    assert_no_leak(client)


@pytest.mark.parametrize("media_type", ["text/turtle", "application/n-triples"])
def test_graph_store_get_then_put_into_a_public_graph_is_refused(
    client: TestClient, store: EmbeddedStore, tokens: dict[str, str], media_type: str
) -> None:
    copied = client.get("/graph-store", params={"graph": SECRET_GRAPH}, headers=auth(tokens, "editor", {"Accept": media_type}))
    assert copied.status_code == 200 and MARKER in copied.text
    headers = auth(tokens, "editor", {"Content-Type": media_type})
    put = client.put("/graph-store", params={"graph": PUBLIC_COPY}, content=copied.content, headers=headers)
    assert put.status_code == 403, put.text
    assert "only restricted graphs hold" in put.text
    demo_before = quads(store, DEMO)
    post = client.post("/graph-store", params={"graph": DEMO}, content=copied.content, headers=headers)
    assert post.status_code == 403, post.text
    assert quads(store, DEMO) == demo_before
    assert_no_leak(client)
    # The same body may land in a restricted graph: a new one, or the secret graph itself.
    fresh = client.put("/graph-store", params={"graph": GRAPH + "secret-copy", "restricted": "true"}, content=copied.content, headers=headers)
    assert fresh.status_code == 201, fresh.text
    again = client.put("/graph-store", params={"graph": SECRET_GRAPH}, content=copied.content, headers=headers)
    assert again.status_code == 200, again.text
    assert_no_leak(client)


def test_allowed_flows_still_work(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    restricted_copy = GRAPH + "secret-notes"
    text = f"INSERT {{ GRAPH <{restricted_copy}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{SECRET_GRAPH}> {{ ?s ?p ?o }} }}"
    assert update(client, tokens, text, restricted="true").status_code == 200  # restricted -> new restricted
    assert registry.is_registered(store, ox.NamedNode(restricted_copy))
    assert {i.graph.value: i.restricted for i in registry.registered_graphs(store)}[restricted_copy]
    within = f'WITH <{SECRET_GRAPH}> INSERT {{ ?s <{RDFS}comment> "{MARKER} reviewed" }} WHERE {{ ?s a <{AG}MilitaryUnit> }}'
    assert update(client, tokens, within).status_code == 200  # restricted -> the same restricted graph
    into_restricted = f"INSERT {{ GRAPH <{SECRET_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{DEMO}> {{ ?s ?p ?o }} }}"
    assert update(client, tokens, into_restricted).status_code == 200  # public -> restricted
    public = f"INSERT {{ GRAPH <{PUBLIC_COPY}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{DEMO}> {{ ?s ?p ?o }} }}"
    response = update(client, tokens, public)  # public -> public
    assert response.status_code == 200, response.text
    assert_no_leak(client)
    analyst = client.get("/sparql", params={"query": f"SELECT ?c WHERE {{ ?s <{RDFS}comment> ?c }}"}, headers=auth(tokens, "analyst", {"Accept": "text/csv"}))
    assert f"{MARKER} reviewed" in analyst.text


def test_public_triples_held_in_restricted_graphs_too_are_not_copies(client: TestClient, store: EmbeddedStore, tokens: dict[str, str]) -> None:
    """inferred-restricted holds the links derived from public data as well; rewriting the
    public graph with them must not count as copying restricted data."""
    body = client.get("/graph-store", params={"graph": DEMO}, headers={"Accept": "text/turtle"}).content
    response = client.put("/graph-store", params={"graph": DEMO}, content=body, headers=auth(tokens, "editor", TURTLE))
    assert response.status_code == 200, response.text
    fictional = "https://w3id.org/actorgraph/fictional/id/"
    link = f"<{fictional}demo-unit-first-brigade> <{AG}subOrganizationOf> <{fictional}demo-unit-north-division>"
    assert any(f"{q.subject} {q.predicate} {q.object}" == link for q in store.quads(ox.NamedNode(INFERRED_RESTRICTED_GRAPH)))
    pasted = f"INSERT DATA {{ GRAPH <{PUBLIC_COPY}> {{ {link} }} }}"
    assert update(client, tokens, pasted).status_code == 200


# --- graph names --------------------------------------------------------------------------------------

FOREIGN_NAMES = ["http://evil.example/g", "file:///etc/passwd", "urn:x:y", "mailto:a@b.c", "a/../meta", "x/./y", f"{GRAPH}a/../meta", "a//b", "ünï"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", FOREIGN_NAMES)
def test_graph_names_outside_the_namespace_are_refused(client: TestClient, store: EmbeddedStore, tokens: dict[str, str], name: str, role: str) -> None:
    before = set(store.named_graphs())
    put = client.put("/graph-store", params={"graph": name}, content=renamed_sample("n"), headers=auth(tokens, role, TURTLE))
    assert put.status_code == 400, put.text
    assert "graph" in put.text and ("namespace" in put.text or "not a valid graph name" in put.text)
    if "://" in name or name.startswith(("urn:", "mailto:")):
        text = f'INSERT DATA {{ GRAPH <{name}> {{ <urn:a> <{RDFS}label> "x" }} }}'
        response = update(client, tokens, text, role)
        assert response.status_code == 400, response.text
        assert "outside ActorGraph's graph namespace" in response.text or "not a valid graph name" in response.text
    assert set(store.named_graphs()) == before


def test_the_naming_rule() -> None:
    assert write_policy.graph_for_write("notes").value == GRAPH + "notes"
    assert write_policy.graph_for_write("field/2024-01.v2").value == GRAPH + "field/2024-01.v2"
    assert write_policy.graph_for_write(GRAPH + "notes").value == GRAPH + "notes"
    for bad in ("", "/", "a/", "..", GRAPH, "https://w3id.org/actorgraph/id/x", "a b", "a#b"):
        with pytest.raises(write_policy.BadWrite):
            write_policy.graph_for_write(bad)


def test_names_inside_the_namespace_still_work(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.put("/graph-store", params={"graph": "field/office-2"}, content=renamed_sample("fo"), headers=auth(tokens, "editor", TURTLE))
    assert response.status_code == 201, response.text


# --- system graphs: unreachable for every role ------------------------------------------------------


def key_hashes(store: EmbeddedStore) -> set[str]:
    hashes = {str(q.object.value) for q in store.quads(ox.NamedNode(KEYS_GRAPH)) if q.predicate.value == AG + "keyHash" and isinstance(q.object, ox.Literal)}
    assert hashes
    return hashes


def system_state(store: EmbeddedStore) -> dict[str, set[str]]:
    return {graph: quads(store, graph) for graph in (META_GRAPH, KEYS_GRAPH, AUDIT_GRAPH, VETTING_CASES_GRAPH)}


SYSTEM_ATTACKS = {
    "copy keys to a public graph": f"INSERT {{ GRAPH <{PUBLIC_COPY}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{KEYS_GRAPH}> {{ ?s ?p ?o }} }}",
    "flip revoked back to false": (
        f"DELETE {{ GRAPH <{KEYS_GRAPH}> {{ ?k <{AG}revoked> true }} }} INSERT {{ GRAPH <{KEYS_GRAPH}> {{ ?k <{AG}revoked> false }} }} "
        f"WHERE {{ GRAPH <{KEYS_GRAPH}> {{ ?k <{AG}revoked> true }} }}"
    ),
    "DROP GRAPH meta": f"DROP GRAPH <{META_GRAPH}>",
    "DROP SILENT GRAPH meta": f"DROP SILENT GRAPH <{META_GRAPH}>",
    "CLEAR the audit trail": f"CLEAR GRAPH <{AUDIT_GRAPH}>",
    "write a vetting case": f'INSERT DATA {{ GRAPH <{VETTING_CASES_GRAPH}> {{ <urn:case> <{AG}note> "forged" }} }}',
    "unrestrict the secret graph": f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{SECRET_GRAPH}> <{AG}graphRestricted> ?r }} }}",
}
# Forms that never name a system graph: they must find nothing to read or change.
SYSTEM_BLIND = {
    "GRAPH ?g over key hashes": f"INSERT {{ GRAPH <{PUBLIC_COPY}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s <{AG}keyHash> ?o BIND(<{AG}keyHash> AS ?p) }} }}",
    "GRAPH ?g flips revoked": (
        f"DELETE {{ GRAPH ?g {{ ?k <{AG}revoked> true }} }} INSERT {{ GRAPH ?g {{ ?k <{AG}revoked> false }} }} WHERE {{ GRAPH ?g {{ ?k <{AG}revoked> true }} }}"
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("attack", sorted(SYSTEM_ATTACKS))
def test_system_graphs_are_unreachable_from_update(client: TestClient, store: EmbeddedStore, tokens: dict[str, str], attack: str, role: str) -> None:
    before = system_state(store)
    response = update(client, tokens, SYSTEM_ATTACKS[attack], role)
    assert response.status_code == 403, response.text
    assert "system graphs" in response.text and "whatever the role" in response.text
    assert system_state(store) == before
    revoked = client.get("/sparql", params={"query": "ASK {}"}, headers=auth(tokens, "revoked"))
    assert revoked.status_code == 401
    seen = anonymous_view(client)
    assert not any(secret in seen for secret in key_hashes(store))
    assert client.get("/graph-store", params={"graph": DEMO}).status_code == 200  # meta still registers it


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("attack", sorted(SYSTEM_BLIND))
def test_updates_that_do_not_name_system_graphs_cannot_see_them(
    client: TestClient, store: EmbeddedStore, tokens: dict[str, str], attack: str, role: str
) -> None:
    before = system_state(store)
    response = update(client, tokens, SYSTEM_BLIND[attack], role)
    assert response.status_code == 200, response.text
    assert response.json()["changes"] == []
    assert system_state(store) == before
    assert client.get("/sparql", params={"query": "ASK {}"}, headers=auth(tokens, "revoked")).status_code == 401
    seen = anonymous_view(client)
    assert not any(secret in seen for secret in key_hashes(store))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", ["CLEAR ALL", "DROP ALL", "CLEAR NAMED", "DROP SILENT NAMED"])
def test_clear_and_drop_all_mean_the_data_graphs(client: TestClient, store: EmbeddedStore, tokens: dict[str, str], operation: str, role: str) -> None:
    before = system_state(store)
    ontology_before = quads(store, GRAPH + "ontology")
    response = update(client, tokens, operation, role)
    assert response.status_code == 200, response.text
    changed = {change["graph"] for change in response.json()["changes"]}
    assert changed == {DEMO, GRAPH + "sample", SECRET_GRAPH}
    assert not quads(store, DEMO) and not quads(store, SECRET_GRAPH)
    assert quads(store, GRAPH + "ontology") == ontology_before
    after = system_state(store)
    assert after[KEYS_GRAPH] == before[KEYS_GRAPH] and after[AUDIT_GRAPH] == before[AUDIT_GRAPH]
    assert after[VETTING_CASES_GRAPH] == before[VETTING_CASES_GRAPH]
    assert client.get("/sparql", params={"query": "ASK {}"}, headers=auth(tokens, "admin")).status_code == 200  # keys kept


@pytest.mark.parametrize("graph", [META_GRAPH, KEYS_GRAPH, AUDIT_GRAPH, VETTING_CASES_GRAPH])
@pytest.mark.parametrize("role", ROLES)
def test_graph_store_cannot_reach_system_graphs(client: TestClient, store: EmbeddedStore, tokens: dict[str, str], graph: str, role: str) -> None:
    before = system_state(store)
    for method in ("put", "post"):
        response = getattr(client, method)("/graph-store", params={"graph": graph}, content=renamed_sample("s"), headers=auth(tokens, role, TURTLE))
        assert response.status_code == 403, response.text
        assert "whatever the role" in response.text
    deleted = client.delete("/graph-store", params={"graph": graph}, headers=auth(tokens, role))
    assert deleted.status_code == 403, deleted.text
    assert system_state(store) == before
