"""No request may kill the server: texts that overflow pyoxigraph's parser, on a real uvicorn process.

The server runs queries in threads (ACTORGRAPH_QUERY_ISOLATION=thread), where a parser crash
would take the whole process with it, and admin updates always run in the server's process. Each
hostile request must get a 400 naming the problem, and the same process must answer afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.guards.nesting import MAX_NESTING
from graph.store import EmbeddedStore
from graph.store.limits import DEFAULT_WORKERS
from tests.support import served

ACTORGRAPH = Path(sys.executable).with_name("actorgraph")

DEEP_BRACES = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
DEEP_UPDATE = "INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{" * 5000 + "}" * 5000
# No bracket at all, so no nesting count sees them; both overflow the parser's stack.
BANGS = "ASK { FILTER(" + "!" * 100_000 + "true) }"
QUOTED_TRIPLES = "INSERT DATA { GRAPH <https://w3id.org/actorgraph/graph/x> { " + "<< " * 100_000 + "<urn:a> <urn:b> <urn:c>" + " >>" * 100_000 + " <urn:p> <urn:o> } }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.Popen[bytes], str]]:
    """The demo store on disk, an admin key, and `actorgraph serve` with thread isolation."""
    store = tmp_path_factory.mktemp("crash") / "store"
    env = {**os.environ, "ACTORGRAPH_STORE": "", "ACTORGRAPH_QUERY_ISOLATION": "thread"}
    subprocess.run([str(ACTORGRAPH), "init", "--demo", "--store", str(store)], check=True, capture_output=True, env=env, timeout=300)
    created = subprocess.run(
        [str(ACTORGRAPH), "keys", "create", "--store", str(store), "--role", "admin", "--name", "crash tests"],
        check=True, capture_output=True, text=True, env=env, timeout=60,
    )
    token = created.stdout.split()[0]
    with served(store, env=env, log=store.parent / "server.log") as (base, process):
        yield base, process, token


def call(base: str, path: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(base + path, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def assert_still_serving(base: str, process: subprocess.Popen[bytes]) -> None:
    assert process.poll() is None, f"the server died (exit status {process.returncode})"
    status, body = call(base, "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}), headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize(
    "form",
    ["get", "post-form", "post-sparql-query"],
)
def test_deep_nesting_in_an_anonymous_query_is_a_400(server: tuple[str, subprocess.Popen[bytes], str], form: str) -> None:
    base, process, _ = server
    if form == "get":
        status, body = call(base, "/sparql?" + urlencode({"query": DEEP_BRACES}))
    elif form == "post-form":
        status, body = call(base, "/sparql", data=urlencode({"query": DEEP_BRACES}).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        status, body = call(base, "/sparql", data=DEEP_BRACES.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 400, body
    assert f"more than {MAX_NESTING} deep" in body and "at character" in body
    assert_still_serving(base, process)


def test_a_parser_crash_without_brackets_is_a_400(server: tuple[str, subprocess.Popen[bytes], str]) -> None:
    base, process, _ = server
    status, body = call(base, "/sparql", data=BANGS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 400, body
    assert "parser crashed" in body
    assert_still_serving(base, process)


@pytest.mark.parametrize("text", [DEEP_UPDATE, QUOTED_TRIPLES], ids=["5000-braces", "quoted-triples"])
def test_an_admin_update_that_would_crash_the_parser_is_a_400(server: tuple[str, subprocess.Popen[bytes], str], text: str) -> None:
    base, process, token = server
    status, body = call(
        base, "/update", data=text.encode(), headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"}
    )
    assert status == 400, body
    assert "deep" in body or "parser crashed" in body
    assert_still_serving(base, process)


def test_an_admin_update_that_parses_still_runs(server: tuple[str, subprocess.Popen[bytes], str]) -> None:
    base, _process, token = server
    graph = "https://w3id.org/actorgraph/graph/crash-check"
    update = f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:a> <urn:x:b> <urn:x:c> }} }}"
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"}
    status, body = call(base, "/update?reason=false", data=update.encode(), headers=headers)
    assert status == 200, body
    ask = "ASK { GRAPH ?g { <urn:x:a> <urn:x:b> <urn:x:c> } }"
    status, body = call(base, "/sparql?" + urlencode({"query": ask}), headers={"Accept": "application/sparql-results+json", "Authorization": f"Bearer {token}"})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_deep_nesting_in_a_posted_view_query_is_a_400(server: tuple[str, subprocess.Popen[bytes], str]) -> None:
    base, process, _ = server
    query = "CONSTRUCT { ?s ?p ?o } WHERE " + "{" * 5000 + "}" * 5000
    status, body = call(base, "/view/query", data=urlencode({"query": query}).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400, body
    assert f"more than {MAX_NESTING} deep" in body
    bangs = BANGS.replace("!" * 100_000, "!" * 40_000)  # the form takes at most 50,000 characters
    status, body = call(base, "/view/query", data=urlencode({"query": bangs}).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and "parser crashed" in body, body
    assert_still_serving(base, process)


def test_deep_json_on_a_real_server_is_a_400(server: tuple[str, subprocess.Popen[bytes], str]) -> None:
    base, process, _ = server
    status, body = call(base, "/queries/unit_commanders", data=b"[" * 100_000 + b"]" * 100_000, headers={"Content-Type": "application/json"})
    assert status == 400, body
    assert "nests arrays or objects more than" in json.loads(body)["detail"]
    assert_still_serving(base, process)


@pytest.mark.parametrize("text", [DEEP_BRACES, BANGS], ids=["braces", "bangs"])
def test_the_command_line_refuses_instead_of_crashing(tmp_path: Path, text: str) -> None:
    store = tmp_path / "store"
    env = {**os.environ, "ACTORGRAPH_STORE": ""}
    subprocess.run([str(ACTORGRAPH), "init", "--store", str(store)], check=True, capture_output=True, env=env, timeout=300)
    done = subprocess.run([str(ACTORGRAPH), "query", text, "--store", str(store)], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])
    assert "deep" in done.stderr or "parser crashed" in done.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="process isolation needs os.fork")
def test_under_process_isolation_a_parser_crash_is_a_400_not_a_500(demo_store: EmbeddedStore) -> None:
    """The forked worker would contain the crash anyway; the check turns its 500 into the 400."""
    client = TestClient(create_app(Settings(store=None, query_isolation="process"), store=demo_store))
    response = client.post("/sparql", content=BANGS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400, response.text
    assert "parser crashed" in response.text
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"}).json()["boolean"] is True


def test_under_pool_isolation_a_parser_crash_is_a_400_from_the_worker(tmp_path: Path) -> None:
    """The pool's worker parses apart, so no helper checks the text first: its death while parsing
    is the 400, and the next query gets a new worker."""
    store = EmbeddedStore(tmp_path / "store")
    try:
        client = TestClient(create_app(Settings(store=None, query_isolation="pool"), store=store))
        with client:
            pool = store.query_pool  # started with the app
            assert pool is not None
            workers: set[int] = set()
            for attempt in range(2):  # the second, right after the first, is stopped by the helper
                deadline = time.monotonic() + 60
                while len(pool.worker_pids()) < DEFAULT_WORKERS and time.monotonic() < deadline:
                    time.sleep(0.1)  # starting, or replacing the worker the first text killed
                if attempt:
                    workers = pool.worker_pids()  # the pool made whole again after the first crash
                response = client.post("/sparql", content=BANGS.encode(), headers={"Content-Type": "application/sparql-query"})
                assert response.status_code == 400, response.text
                assert "parser crashed" in response.text
                ask = client.get("/sparql", params={"query": "ASK { FILTER(true) }"}, headers={"Accept": "application/sparql-results+json"})
                assert ask.json()["boolean"] is True
                if attempt:
                    assert pool.worker_pids() == workers  # no second worker was lost
    finally:
        store.close()
