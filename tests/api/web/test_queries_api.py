"""The query library over HTTP (/queries) and on the command line (actorgraph queries).

The app serves the demo store through a real TestClient; the CLI runs as a real process against a
store on disk. Restricted graphs are checked with the app's own API keys: a reader's key and an
analyst's key, issued by graph.access.keys.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.ingest import derivation, loader, setup
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource
from graph.query import named_queries
from graph.store import EmbeddedStore, open_store
from ontology.namespaces import FICTIONAL
from tests.conftest import FIXTURES
from tests.graph.query.test_named_queries import INJECTIONS, SECRET_COMMAND, VALID

ACTORGRAPH = Path(sys.executable).with_name("actorgraph")
QUERIES = named_queries.list_queries()


@pytest.fixture(scope="module")
def client(demo_store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=demo_store))


def fingerprint(store: EmbeddedStore) -> str:
    return hashlib.sha256("\n".join(sorted(str(quad) for quad in store.quads())).encode()).hexdigest()


def relatives(response_json: dict[str, object], direction: str) -> list[str]:
    return [row["relative"] for row in response_json["rows"] if row["direction"] == direction]  # type: ignore[index,union-attr]


# --- listing ---------------------------------------------------------------------------------------


def test_the_list_describes_every_query(client: TestClient) -> None:
    response = client.get("/queries")
    assert response.status_code == 200
    listed = response.json()
    assert len(listed) >= 15
    assert [entry["name"] for entry in listed] == [query.short_name for query in QUERIES]
    chain = next(entry for entry in listed if entry["name"] == "chain_of_command")
    assert chain["title"] and chain["description"]
    assert chain["example"] == {"unit": "fictional/unit/bn-72", "at": "2018-04-14"}
    assert [(p["name"], p["type"], p["optional"]) for p in chain["params"]] == [
        ("unit", "iri", False), ("at", "date", True), ("levels", "integer", True)
    ]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.short_name)
def test_every_example_runs_over_http(client: TestClient, query) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/queries/{query.short_name}", params=query.example_params())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["query"] == query.short_name and body["count"] == len(body["rows"]) > 0
    assert set(body["rows"][0]) == set(body["variables"])


# --- answers, GET and POST ---------------------------------------------------------------------------


def test_chain_of_command_before_and_after_the_move(client: TestClient) -> None:
    before = client.get("/queries/chain_of_command", params={"unit": "fictional/unit/bn-72", "at": "2018-04-14"}).json()
    after = client.post("/queries/chain_of_command", json={"unit": "fictional/unit/bn-72", "at": "2019-06-01"}).json()
    assert relatives(before, "above") == [FICTIONAL + s for s in ("org/ministry-of-defence", "unit/vaf", "unit/div-1", "unit/bde-7")]
    assert relatives(after, "above") == [FICTIONAL + s for s in ("org/ministry-of-defence", "unit/vaf", "unit/div-2", "unit/bde-7")]
    assert before["bound"] == {"unit": FICTIONAL + "unit/bn-72", "at": "2018-04-14"}


def test_get_post_json_and_post_form_agree(client: TestClient) -> None:
    params = {"unit": "fictional/unit/bn-72", "at": "2018-04-14"}
    by_get = client.get("/queries/unit_commanders", params=params).json()["rows"]
    by_json = client.post("/queries/unit_commanders", json=params).json()["rows"]
    by_form = client.post("/queries/unit_commanders", data=params).json()["rows"]
    split = client.post("/queries/unit_commanders?at=2018-04-14", json={"unit": "fictional/unit/bn-72"}).json()["rows"]
    assert by_get == by_json == by_form == split
    assert [row["commanderName"] for row in by_get] == ["Oren Tállavar"]


# --- pagination --------------------------------------------------------------------------------------


def test_next_links_walk_the_whole_result(client: TestClient) -> None:
    whole = client.get("/queries/actors", params={"limit": named_queries.MAX_LIMIT}).json()
    assert whole["next"] is None and whole["total"] == whole["count"] > 100
    rows, url, params = [], "/queries/actors", {"limit": 60}
    pages = 0
    while url:
        response = client.get(url, params=params)
        body = response.json()
        assert body["total"] == whole["total"]
        assert response.headers["x-total-count"] == str(whole["total"])
        rows += body["rows"]
        url, params, pages = body["next"], None, pages + 1
        if url:
            assert response.headers["link"] == f'<{url}>; rel="next"'
    assert rows == whole["rows"] and pages == -(-whole["total"] // 60)


def test_pagination_with_parameters_keeps_them_in_the_next_link(client: TestClient) -> None:
    first = client.post("/queries/program_partners?limit=4", json={"program": "fictional/program/vsspp", "role": "target"}).json()
    assert first["count"] == 4 and first["total"] == 11
    second = client.get(first["next"]).json()
    assert second["offset"] == 4 and second["params"] == {"program": "fictional/program/vsspp", "role": "target"}
    assert {row["roleName"] for row in second["rows"]} == {"target"}
    assert not {row["actor"] for row in first["rows"]} & {row["actor"] for row in second["rows"]}
    in_body = client.post("/queries/program_partners", json={"program": "fictional/program/vsspp", "role": "target", "limit": 4, "offset": 4})
    assert in_body.json()["rows"] == second["rows"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": named_queries.MAX_LIMIT + 1}, {"offset": -1}, {"limit": "many"}])
def test_bad_paging_is_a_422_naming_it(client: TestClient, params: dict[str, object]) -> None:
    response = client.get("/queries/actors", params=params)
    assert response.status_code == 422
    assert next(iter(params)) in json.dumps(response.json())


# --- formats ---------------------------------------------------------------------------------------


def test_results_follow_the_accept_header(client: TestClient) -> None:
    params = {"unit": "fictional/unit/bn-72"}
    sparql_json = client.get("/queries/unit_commanders", params=params, headers={"Accept": "application/sparql-results+json"})
    assert sparql_json.headers["content-type"].startswith("application/sparql-results+json")
    bindings = sparql_json.json()["results"]["bindings"]
    assert [b["commanderName"]["value"] for b in bindings] == ["Oren Tállavar", "Mirela Quorrin"]
    assert bindings[0]["commander"]["type"] == "uri"

    as_csv = client.get("/queries/unit_commanders", params=params, headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [row["commanderName"] for row in table] == ["Oren Tállavar", "Mirela Quorrin"]

    tsv = client.get("/queries/unit_commanders", params=params, headers={"Accept": "text/tab-separated-values"})
    assert tsv.status_code == 200 and "Quorrin" in tsv.text
    xml = client.get("/queries/unit_commanders", params=params, headers={"Accept": "application/sparql-results+xml"})
    assert xml.status_code == 200 and "<sparql" in xml.text
    assert client.get("/queries/unit_commanders", params=params, headers={"Accept": "image/png"}).status_code == 406


def test_csv_pages_carry_the_next_link(client: TestClient) -> None:
    response = client.get("/queries/actors", params={"limit": 5}, headers={"Accept": "text/csv"})
    assert len(list(csv.DictReader(io.StringIO(response.text)))) == 5
    assert 'rel="next"' in response.headers["link"] and "offset=5" in response.headers["link"]


# --- errors ----------------------------------------------------------------------------------------


def test_unknown_query_is_a_404_naming_it(client: TestClient) -> None:
    for name in ("no_such_query", "..store.move_graph", "ACTORS"):
        for response in (client.get(f"/queries/{name}"), client.post(f"/queries/{name}", json={})):
            assert response.status_code == 404
            assert f"no query named {name!r}" in response.json()["detail"]
    # A path that leaves the library does not even reach the route.
    assert client.get("/queries/..%2Fstore%2Fmove_graph").status_code == 404


@pytest.mark.parametrize(
    ("method", "params", "param"),
    [
        ("get", {"unit": "fictional/unit/bn-72", "at": "2018-02-30"}, "at"),
        ("get", {"unit": "fictional/unit/bn-72", "at": "yesterday"}, "at"),
        ("get", {"unit": "fictional/unit/bn-72", "levels": "all"}, "levels"),
        ("get", {"unit": "fictional/unit/bn-72", "commander": "x"}, "commander"),
        ("get", {"at": "2018-04-14"}, "unit"),
        ("get", {"unit": "fictional/unit/not-there"}, "unit"),
        ("post", {"unit": "fictional/unit/bn-72", "levels": 2.5}, "levels"),
        ("post", {"unit": "fictional/unit/bn-72", "levels": True}, "levels"),
        ("post", {"unit": ["fictional/unit/bn-72"]}, "unit"),
    ],
)
def test_bad_parameter_is_a_422_naming_it(client: TestClient, method: str, params: dict[str, object], param: str) -> None:
    if method == "get":
        response = client.get("/queries/chain_of_command", params=params)
    else:
        response = client.post("/queries/chain_of_command", json=params)
    assert response.status_code == 422, response.text
    assert f"parameter '{param}'" in response.json()["detail"]


def test_repeated_or_doubled_parameters_are_refused(client: TestClient) -> None:
    repeated = client.get("/queries/unit_commanders?unit=fictional/unit/bn-72&at=2018-01-01&at=2019-01-01")
    assert repeated.status_code == 422 and "'at'" in repeated.json()["detail"]
    doubled = client.post("/queries/unit_commanders?unit=fictional/unit/bn-72", json={"unit": "fictional/unit/bde-7"})
    assert doubled.status_code == 422 and "'unit'" in doubled.json()["detail"]
    not_an_object = client.post("/queries/unit_commanders", json=["fictional/unit/bn-72"])
    assert not_an_object.status_code == 422
    broken = client.post("/queries/unit_commanders", content=b"{", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400


# --- injection -------------------------------------------------------------------------------------


def test_hostile_values_in_every_parameter_of_every_query(client: TestClient, demo_store: EmbeddedStore) -> None:
    before = fingerprint(demo_store)
    checked = 0
    for query in QUERIES:
        valid = {**{p.name: VALID[p.name] for p in query.params}, **query.example_params()}
        for param in query.params:
            for payload in INJECTIONS:
                params = {**valid, param.name: payload}
                for response in (
                    client.get(f"/queries/{query.short_name}", params=params),
                    client.post(f"/queries/{query.short_name}", json=params),
                ):
                    if param.type == "string":
                        assert response.status_code == 200, response.text
                        assert response.json()["rows"] == [], f"{query.short_name}.{param.name}={payload!r}"
                        assert response.json()["params"][param.name] == payload
                    else:
                        assert response.status_code == 422, f"{query.short_name}.{param.name}={payload!r}: {response.text}"
                        assert f"parameter '{param.name}'" in response.json()["detail"]
                    checked += 1
    assert checked == 2 * len(INJECTIONS) * sum(len(q.params) for q in QUERIES)
    assert fingerprint(demo_store) == before


# --- restricted graphs -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def restricted() -> tuple[TestClient, dict[str, str]]:
    store = open_store(None)
    setup.load_ontology(store)
    loader.load_file(store, FIXTURES / "valid_relation.ttl", graph="sample")
    loader.load_sources(
        store, [RdfSource.from_bytes("informant.ttl", SECRET_COMMAND, format_named("turtle"))], graph="informant", restricted=True
    )
    derivation.reason(store)
    tokens = {role: keys.create_key(store, role, f"{role} key").token for role in ("reader", "analyst")}
    return TestClient(create_app(Settings(store=None), store=store)), tokens


def test_restricted_graphs_follow_the_callers_role(restricted: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = restricted
    params = {"unit": "fictional/unit-first-brigade"}

    def commanders(headers: dict[str, str]) -> list[str]:
        response = client.get("/queries/unit_commanders", params=params, headers=headers)
        assert response.status_code == 200
        return [row["commanderName"] for row in response.json()["rows"]]

    assert commanders({}) == []
    assert commanders({"Authorization": f"Bearer {tokens['reader']}"}) == []
    assert commanders({"Authorization": f"Bearer {tokens['analyst']}"}) == ["Hidden Commander (fictional)"]
    hidden = client.get("/queries/person_positions", params={"person": "fictional/person-informant-commander"})
    assert hidden.status_code == 422 and "Hidden" not in hidden.text


# --- the command line --------------------------------------------------------------------------------


def cli(*args: str, store: Path | None = None, columns: int = 80) -> subprocess.CompletedProcess[str]:
    command = [str(ACTORGRAPH), "queries", *args] + (["--store", str(store)] if store else [])
    environment = {**os.environ, "ACTORGRAPH_STORE": "", "COLUMNS": str(columns)}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=environment, check=False)


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("queries") / "store"
    store = open_store(path)
    setup.init_store(store, demo=True)
    store.close()
    return path


def test_cli_lists_the_queries() -> None:
    listed = cli("list")
    assert listed.returncode == 0
    for query in QUERIES:
        assert query.short_name in listed.stdout
    as_json = json.loads(cli("list", "--format", "json").stdout)
    assert [entry["name"] for entry in as_json] == [query.short_name for query in QUERIES]


def test_cli_runs_a_query_in_every_format(disk_store: Path) -> None:
    args = ("run", "unit_commanders", "--param", "unit=fictional/unit/bn-72")
    table = cli(*args, store=disk_store, columns=400)  # wide enough for every value whole
    assert table.returncode == 0 and "Oren Tállavar" in table.stdout and "(2 rows)" in table.stdout
    rows = json.loads(cli(*args, "--format", "json", store=disk_store).stdout)
    assert [row["commanderName"] for row in rows] == ["Oren Tállavar", "Mirela Quorrin"]
    as_csv = list(csv.DictReader(io.StringIO(cli(*args, "--format", "csv", store=disk_store).stdout)))
    assert [row["start"] for row in as_csv] == ["2016-09-01", "2019-06-01"]
    page = cli(*args, "-p", "at=2019-06-01", "--format", "json", store=disk_store)
    assert [row["commanderName"] for row in json.loads(page.stdout)] == ["Mirela Quorrin"]
    first = cli(*args, "--limit", "1", "--format", "json", store=disk_store)
    assert len(json.loads(first.stdout)) == 1 and "--offset 1" in first.stderr


def test_cli_errors_name_the_query_or_parameter(disk_store: Path) -> None:
    missing = cli("run", "unit_commanders", store=disk_store)
    assert missing.returncode == 1 and "parameter 'unit'" in missing.stderr
    bad_date = cli("run", "unit_commanders", "-p", "unit=fictional/unit/bn-72", "-p", "at=2018-13-01", store=disk_store)
    assert bad_date.returncode == 1 and "parameter 'at'" in bad_date.stderr
    malformed = cli("run", "unit_commanders", "-p", "unit", store=disk_store)
    assert malformed.returncode == 1 and "NAME=VALUE" in malformed.stderr
    unknown = cli("run", "no_such_query", store=disk_store)
    assert unknown.returncode == 1 and "no_such_query" in unknown.stderr
