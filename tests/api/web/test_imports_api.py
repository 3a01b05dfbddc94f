"""POST /import/{kind}: the importers for editors over HTTP, on the real UN list in ../shared/data:
roles, the report, idempotence, errors by place with nothing written, and the graph-name rule."""

from __future__ import annotations

import io

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.ingest import setup
from graph.store import EmbeddedStore, open_store
from ontology.namespaces import GRAPH
from tests.conftest import shared_data

LIST = "unsc/unsc_consolidated_generated_2018-10-29.xml"


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    made = open_store(None)
    setup.load_ontology(made)
    return made


@pytest.fixture(scope="module")
def tokens(store: EmbeddedStore) -> dict[str, str]:
    return {role: keys.create_key(store, role, role).token for role in keys.ROLES}


@pytest.fixture(scope="module")
def client(store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=store))


def post(client: TestClient, token: str, kind: str, files: list[tuple[str, bytes]], **params: str) -> httpx.Response:
    return client.post(f"/import/{kind}", params=params, files=[("file", (name, io.BytesIO(data))) for name, data in files],
                       headers={"Authorization": f"Bearer {token}"})  # fmt: skip


def dump(store: EmbeddedStore) -> list[bytes]:
    out = io.BytesIO()
    store.dump(out)
    return sorted(out.getvalue().splitlines())


def test_an_editor_imports_the_un_list_and_the_same_file_changes_nothing(
    client: TestClient, tokens: dict[str, str], store: EmbeddedStore
) -> None:
    path = shared_data(LIST)
    data = path.read_bytes()
    refused = post(client, tokens["reader"], "unsc", [(path.name, data)])
    assert refused.status_code == 403
    first = post(client, tokens["editor"], "unsc", [(path.name, data)], reason="false")
    assert first.status_code == 200, first.text
    body = first.json()
    individuals = next(f for f in body["files"] if f["file"].endswith("INDIVIDUAL"))
    assert individuals["rows_read"] == individuals["rows_imported"] == data.count(b"<INDIVIDUAL>")
    assert body["graphs"][0]["name"] == "unsc" and body["graphs"][0]["action"] == "created"
    before = dump(store)
    again = post(client, tokens["editor"], "unsc", [(path.name, data)], reason="false")
    assert again.json()["graphs"][0]["action"] == "unchanged" and dump(store) == before


def test_bad_files_and_names_are_refused_and_nothing_is_written(client: TestClient, tokens: dict[str, str], store: EmbeddedStore) -> None:
    path = shared_data(LIST)
    broken = path.read_bytes().replace(b"<LISTED_ON>2016-11-30</LISTED_ON>", b"<LISTED_ON>30/11/2016</LISTED_ON>", 1)
    before = dump(store)
    answer = post(client, tokens["editor"], "unsc", [("broken.xml", broken)], graph="unsc-broken")
    assert answer.status_code == 422 and "LISTED_ON" in answer.text and "30/11/2016" in answer.text
    assert post(client, tokens["editor"], "unsc", [(path.name, b"<x/>")], graph="demo").status_code == 400
    assert post(client, tokens["editor"], "nope", [(path.name, b"<x/>")]).status_code == 404
    assert post(client, tokens["editor"], "unsc", [("../../etc/passwd", b"<x/>")]).status_code in (400, 422)
    assert dump(store) == before
    assert not [q for q in store.quads(ox.NamedNode(GRAPH + "unsc-broken"))]


def test_an_editor_imports_own_tables_and_a_dangling_reference_is_a_422(
    client: TestClient, tokens: dict[str, str], store: EmbeddedStore
) -> None:
    from graph.ingest.importers.csv.importer import TEMPLATES

    files = [(path.name, path.read_bytes()) for path in sorted(TEMPLATES.glob("*.csv"))]
    before = dump(store)
    # The example relation points at a unit of the fictional scenario, which this store lacks.
    answer = post(client, tokens["editor"], "csv", files, reason="false")
    assert answer.status_code == 422 and "relations.csv" in answer.text and "row 2" in answer.text and "object" in answer.text
    assert dump(store) == before
    without = [(name, data) for name, data in files if name != "relations.csv"]
    first = post(client, tokens["editor"], "csv", without, reason="false")
    assert first.status_code == 200, first.text
    assert first.json()["counts"] == {"sources": 1, "actors": 1, "relations": 0, "incidents": 1, "perpetrations": 1}
    again = post(client, tokens["editor"], "csv", without, reason="false")
    assert [g["action"] for g in again.json()["graphs"]] == ["unchanged"]
