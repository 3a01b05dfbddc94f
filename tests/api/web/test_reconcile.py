"""/reconcile, the W3C Reconciliation Service API (v0.2): every answer is validated against the
API's published JSON schemas (copied, with their licence, in reconciliation_schemas/), requests
are sent in the shapes OpenRefine sends, and restricted names reach only analysts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from fastapi.testclient import TestClient
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.ingest import setup
from graph.ingest.importers.sfm import importer as sfm
from graph.store import EmbeddedStore, open_store
from tests.graph.ingest.test_sfm_importer import U_HIDDEN, fictional_export, write_export
from tests.support.server import cli, served

SCHEMAS = Path(__file__).with_name("reconciliation_schemas")
HIDDEN_NAME = "Unidad Reservada Ficticia"  # a unit of the fictional SFM export that only a restricted source names


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def validate(instance: Any, name: str) -> None:
    """Validate against one of the API's schemas; `type.json` is resolved locally, never fetched."""
    resources = [(schema(n)["$id"], Resource.from_contents(schema(n), default_specification=DRAFT7)) for n in ("type", "manifest")]
    registry: Registry[Any] = Registry().with_resources(resources)
    jsonschema.Draft7Validator(schema(name), registry=registry).validate(instance)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    made = open_store(None)
    setup.init_store(made, demo=True)
    folder = write_export(tmp_path_factory.mktemp("sfm") / "export", fictional_export())
    sfm.import_export(made, folder, date_of_export=date(2021, 6, 25))
    return made


@pytest.fixture(scope="module")
def client(store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=store))


@pytest.fixture(scope="module")
def analyst(store: EmbeddedStore) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys.create_key(store, 'analyst', 'analyst').token}"}


def batch(client: TestClient, queries: dict[str, Any], headers: dict[str, str] | None = None) -> dict[str, Any]:
    """POST a batch as OpenRefine does (form-encoded `queries`), after checking it is a valid batch."""
    validate(queries, "reconciliation-query-batch")
    answer = client.post("/reconcile", data={"queries": json.dumps(queries)}, headers=headers or {})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    validate(body, "reconciliation-result-batch")
    assert set(body) == set(queries)
    return body


def test_manifest_is_valid_and_names_actorgraph_classes(client: TestClient) -> None:
    manifest = client.get("/reconcile").json()
    validate(manifest, "manifest")
    assert manifest["versions"] == ["0.2"]
    assert {"Person", "MilitaryUnit"} <= {t["id"] for t in manifest["defaultTypes"]}
    assert manifest["view"]["url"].endswith("/pages/actors/{{id}}")


def test_openrefine_form_batch_confident_match_and_view(client: TestClient) -> None:
    # OpenRefine 3.x sends type_strict and a limit with each query
    body = batch(client, {
        "q0": {"query": "7 Mtn Bde", "type": "MilitaryUnit", "type_strict": "should", "limit": 3},
        "q1": {"query": "Tallavar, Oren", "type": "Person", "properties": [{"pid": "country", "v": "Veldoria"}]},
    })  # fmt: skip
    first = body["q0"]["result"]
    assert first[0]["name"] == "7th Mountain Brigade (Veldoria)" and first[0]["match"] is True
    assert 1 <= len(first) <= 3 and not any(c["match"] for c in first[1:])
    assert first[0]["type"] == [{"id": "MilitaryUnit", "name": "Military unit"}]
    assert all(0 <= c["score"] <= 100 for c in first)
    assert body["q1"]["result"][0]["name"] == "Oren Tállavar" and body["q1"]["result"][0]["match"] is True
    manifest = client.get("/reconcile").json()
    view = manifest["view"]["url"].replace("{{id}}", first[0]["id"]).removeprefix("http://testserver")
    assert client.get(view).status_code == 200
    preview = client.get(manifest["preview"]["url"].replace("{{id}}", first[0]["id"]).removeprefix("http://testserver"))
    assert preview.status_code == 200 and "7th Mountain Brigade (Veldoria)" in preview.text and "Military unit" in preview.text


def test_get_batch_ambiguity_types_and_country(client: TestClient) -> None:
    queries = {
        "ambiguous": {"query": "Infantry Brigade"},
        "wrong_type": {"query": "7 Mtn Bde", "type": "Person"},
        "superclass": {"query": "7 Mtn Bde", "type": ["SecurityForceUnit"]},
        "other_country": {"query": "7 Mtn Bde", "properties": [{"pid": "country", "v": {"id": "state/kenya", "name": "Kenya"}}]},
        "no_name": {"properties": [{"pid": "country", "v": "Kenya"}]},
        "plain": {"query": "7 Mtn Bde"},
    }
    validate(queries, "reconciliation-query-batch")
    answer = client.get("/reconcile", params={"queries": json.dumps(queries)})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    validate(body, "reconciliation-result-batch")
    ambiguous = body["ambiguous"]["result"]
    assert len(ambiguous) >= 2 and ambiguous[0]["score"] - ambiguous[1]["score"] < 3 and not any(c["match"] for c in ambiguous)
    assert body["wrong_type"]["result"] == []
    assert body["superclass"]["result"][0]["match"] is True  # a military unit is a security-force unit
    plain, other = body["plain"]["result"][0], body["other_country"]["result"][0]
    assert other["id"] == plain["id"] and other["score"] == plain["score"] - 15 and other["match"] is False
    assert "country differs" in other["description"]
    assert body["no_name"]["result"] == []


def test_a_type_filter_never_lets_a_confident_match_of_another_class_through(client: TestClient) -> None:
    untyped = batch(client, {"q": {"query": "Veldoria Army"}})["q"]["result"]
    assert untyped[0]["match"] is True and {"id": "MilitaryUnit", "name": "Military unit"} not in untyped[0]["type"]
    typed = batch(client, {"q": {"query": "Veldoria Army", "type": "MilitaryUnit"}})["q"]["result"]
    assert untyped[0]["id"] not in {c["id"] for c in typed}
    assert not any(c["match"] and c["score"] < 88 for c in typed)


def test_suggest_entities_and_types(client: TestClient, analyst: dict[str, str]) -> None:
    manifest = client.get("/reconcile").json()
    entity_path, type_path = manifest["suggest"]["entity"]["service_path"], manifest["suggest"]["type"]["service_path"]
    found = client.get(entity_path, params={"prefix": "7th Mount"}).json()
    validate(found, "suggest-entities-response")
    assert found["result"][0]["name"] == "7th Mountain Brigade (Veldoria)"
    assert found["result"][0]["notable"] == [{"id": "MilitaryUnit", "name": "Military unit"}]
    assert found["result"][0]["id"] == batch(client, {"q": {"query": "7 Mtn Bde"}})["q"]["result"][0]["id"]
    page = client.get(entity_path, params={"prefix": "Brigade"}).json()["result"]
    later = client.get(entity_path, params={"prefix": "Brigade", "cursor": 1}).json()["result"]
    assert len(page) >= 2 and later[0] == page[1]
    assert HIDDEN_NAME not in {e["name"] for e in client.get(entity_path, params={"prefix": "Unidad Reservada"}).json()["result"]}
    assert HIDDEN_NAME in {e["name"] for e in client.get(entity_path, params={"prefix": "Unidad Reservada"}, headers=analyst).json()["result"]}
    types = client.get(type_path, params={"prefix": "milit"}).json()
    validate(types, "suggest-types-response")
    assert {"id": "MilitaryUnit", "name": "Military unit"} in types["result"]
    assert all("milit" in (t["id"] + t["name"]).lower() for t in types["result"])
    assert client.get(type_path, params={"prefix": "Spaceship"}).json() == {"result": []}


def test_restricted_names_reach_only_analysts(client: TestClient, analyst: dict[str, str]) -> None:
    public = batch(client, {"q": {"query": HIDDEN_NAME}})["q"]["result"]
    assert HIDDEN_NAME not in {c["name"] for c in public}
    seen = batch(client, {"q": {"query": HIDDEN_NAME}}, analyst)["q"]["result"]
    assert seen[0]["name"] == HIDDEN_NAME and seen[0]["match"] is True
    hidden_id = f"unit/sfm-{U_HIDDEN}"
    assert seen[0]["id"] == hidden_id
    assert client.get("/reconcile/preview", params={"id": hidden_id}).status_code == 404
    assert client.get("/reconcile/preview", params={"id": hidden_id}, headers=analyst).status_code == 200


@pytest.mark.parametrize(
    ("queries", "status", "words"),
    [
        ("{not json", 400, ["queries: not JSON"]),
        ('{"q0": {"query": "x", "type": "Spaceship"}}', 422, ["query 'q0'", "'type'", "Spaceship"]),
        ('{"q0": {"query": "x", "type": "Incident"}}', 422, ["query 'q0'", "not an ActorGraph actor class"]),
        ('{"q0": {"query": "x", "properties": [{"pid": "P17", "v": "Kenya"}]}}', 422, ["properties[0].pid", "'P17'", "country"]),
        ('{"q0": {"query": "x", "limit": 0}}', 422, ["query 'q0'", "'limit'"]),
        ('{"q0": "7 Mtn Bde"}', 422, ["query 'q0'"]),
        ("[]", 422, ["queries: must be a JSON object"]),
        ("[" * 5_000, 400, ["deep"]),
    ],
)
def test_bad_batches_name_the_query_and_field(client: TestClient, queries: str, status: int, words: list[str]) -> None:
    for answer in (client.get("/reconcile", params={"queries": queries}), client.post("/reconcile", data={"queries": queries})):
        assert answer.status_code == status, answer.text
        assert all(word in answer.text for word in words), answer.text


def test_post_without_queries_and_unknown_preview(client: TestClient) -> None:
    answer = client.post("/reconcile", data={"query": "7 Mtn Bde"})
    assert answer.status_code == 400 and "form field 'queries'" in answer.text
    assert client.get("/reconcile/preview", params={"id": "unit/no-such-unit"}).status_code == 404


def test_cross_origin_access_on_every_reconcile_endpoint_only(client: TestClient, analyst: dict[str, str]) -> None:
    """The API requires CORS on all its endpoints, errors too; it is anonymous-only, and other routes stay same-origin."""
    origin = {"Origin": "https://tools.example.org"}
    for path, params in (("/reconcile", {}), ("/reconcile/suggest/type", {"prefix": "mil"}), ("/reconcile", {"queries": "{"}),
                         ("/reconcile/preview", {"id": "unit/no-such-unit"})):  # fmt: skip
        assert client.get(path, params=params, headers=origin).headers["access-control-allow-origin"] == "*"
    posted = client.post("/reconcile", data={"queries": json.dumps({"q": {"query": "7 Mtn Bde"}})}, headers=origin)
    assert posted.headers["access-control-allow-origin"] == "*"
    preflight = client.options("/reconcile", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204 and "POST" in preflight.headers["access-control-allow-methods"]
    assert "authorization" not in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers
    assert "access-control-allow-origin" not in client.get("/actors", params={"q": "Brigade"}, headers=origin).headers
    assert "access-control-allow-origin" not in client.get("/reconciled", headers=origin).headers


def test_over_a_real_server_as_openrefine_calls_it(tmp_path: Path) -> None:
    """The manifest, then a form-encoded batch, over HTTP to `actorgraph serve`."""
    store = tmp_path / "store"
    cli("init", "--demo", store=store)
    with served(store) as (base, _process), httpx.Client(base_url=base, timeout=60) as http:
        manifest = http.get("/reconcile").json()
        validate(manifest, "manifest")
        queries = {"q0": {"query": "7 Mtn Bde", "type": "MilitaryUnit", "type_strict": "should"}}
        answer = http.post("/reconcile", data={"queries": json.dumps(queries)})  # application/x-www-form-urlencoded
        assert answer.status_code == 200, answer.text
        assert answer.request.headers["content-type"] == "application/x-www-form-urlencoded"
        body = answer.json()
        validate(body, "reconciliation-result-batch")
        assert body["q0"]["result"][0]["name"] == "7th Mountain Brigade (Veldoria)" and body["q0"]["result"][0]["match"] is True


def test_the_schemas_catch_what_the_api_forbids() -> None:
    """The validation above can fail: a candidate without a score, a manifest without versions."""
    with pytest.raises(jsonschema.ValidationError, match="'score' is a required property"):
        validate({"q0": {"result": [{"id": "unit/x", "name": "X"}]}}, "reconciliation-result-batch")
    with pytest.raises(jsonschema.ValidationError):
        validate({"name": "ActorGraph", "identifierSpace": "a", "schemaSpace": "b", "defaultTypes": [{"name": "no id"}]}, "manifest")
