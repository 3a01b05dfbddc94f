"""Bad input is bounded: entity expansion, oversize bodies, malformed screening lists, empty files
and bodies, and empty Authorization headers. Each gets a clear 4xx (or a CLI error naming the
file) and leaves the store as it was. Real processes where users have them: the `actorgraph` CLI,
and `actorgraph serve` spoken to over raw sockets so that what is *not* sent can be controlled."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.store import EmbeddedStore
from tests.graph.guards.test_xml_guard import billion_laughs, nested_nodes
from tests.support import ACTORGRAPH, served
from tests.support.snapshots import without_version

LIMIT = 200_000
SETTING = "ACTORGRAPH_MAX_UPLOAD_BYTES"
LONG_LITERAL = "ASK { ?s ?p ?o FILTER(STRLEN(STR(?o)) > 10000) }"
PREFIXES_ONLY = b"@prefix ag: <https://w3id.org/actorgraph/ontology#> .\n# nothing else\n"


def cli(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ACTORGRAPH), *args, "--store", str(store)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "ACTORGRAPH_STORE": ""},
        check=False,
    )


def dumped(store: Path, tmp_path: Path) -> list[str]:
    target = tmp_path / f"dump-{time.monotonic_ns()}.nq"
    assert cli("dump", str(target), store=store).returncode == 0
    return [line.decode("utf-8") for line in without_version(target.read_bytes().splitlines())]


def new_key(store: Path, role: str) -> str:
    made = cli("keys", "create", "--role", role, "--name", f"{role} for bad input", store=store)
    assert made.returncode == 0, made.stderr
    return made.stdout.splitlines()[0].strip()


# --- the command line ------------------------------------------------------------------------------


@pytest.fixture
def cli_store(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    assert cli("init", store=store).returncode == 0
    return store


def test_cli_load_refuses_billion_laughs_and_writes_nothing(cli_store: Path, tmp_path: Path) -> None:
    laughs = tmp_path / "laughs.rdf"
    laughs.write_bytes(billion_laughs())
    before = dumped(cli_store, tmp_path)
    started = time.monotonic()
    loaded = cli("load", str(laughs), store=cli_store)
    assert loaded.returncode != 0
    assert f"{laughs}:7:1: entity 'l4' expands to over 10,000 bytes (entity expansion is bounded)" in loaded.stderr
    assert time.monotonic() - started < 60  # refused at once, never expanded
    assert dumped(cli_store, tmp_path) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty (0 bytes); nothing was loaded"),
     (PREFIXES_ONLY, "holds no triples (only prefixes, comments or blank space); nothing was loaded"),
     (b"\n\n   \n", "holds no triples")],
    ids=["zero-bytes", "prefixes-and-comments", "blank-lines"],
)
def test_cli_load_refuses_empty_files(cli_store: Path, tmp_path: Path, content: bytes, message: str) -> None:
    empty = tmp_path / "empty-notes.ttl"
    empty.write_bytes(content)
    before = dumped(cli_store, tmp_path)
    loaded = cli("load", str(empty), store=cli_store)
    assert loaded.returncode != 0 and f"{empty}: {message}" in loaded.stderr
    assert dumped(cli_store, tmp_path) == before
    assert "empty-notes" not in cli("graphs", "list", store=cli_store).stdout


# --- a real server ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    store = tmp_path_factory.mktemp("bad-input") / "store"
    assert cli("init", store=store).returncode == 0
    tokens = {role: new_key(store, role) for role in ("analyst", "editor")}
    with served(store, env={SETTING: str(LIMIT)}, log=store.parent / "server.log") as (base, _):
        yield base, tokens


def http(base: str, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def raw_exchange(base: str, head: str, body_parts: list[bytes], timeout: float = 10) -> tuple[bytes, float]:
    """Send a request head and some body parts (never the rest), then read the answer until the
    server closes. A server that waited for the whole body would time out here."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(head.encode("latin-1"))
        started = time.monotonic()
        for part in body_parts:
            connection.sendall(part)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer, time.monotonic() - started


def holds_a_long_literal(base: str, token: str) -> bool:
    """Whether any graph the analyst may read holds a literal longer than an entity may expand to."""
    status, text = http(base, "GET", "/sparql?" + urlencode({"query": LONG_LITERAL}), headers={"Authorization": f"Bearer {token}", "Accept": "application/sparql-results+json"})
    assert status == 200, text
    return bool(json.loads(text)["boolean"])


def test_graph_store_refuses_billion_laughs_and_writes_nothing(server: tuple[str, dict[str, str]]) -> None:
    base, tokens = server
    status, text = http(
        base, "PUT", "/graph-store?graph=laughs", billion_laughs(),
        {"Authorization": f"Bearer {tokens['editor']}", "Content-Type": "application/rdf+xml"},
    )
    assert status == 400
    assert "line 7, column 1: entity 'l4' expands to over 10,000 bytes (entity expansion is bounded)" in text
    assert http(base, "GET", "/graph-store?graph=laughs", headers={"Authorization": f"Bearer {tokens['analyst']}"})[0] == 404
    assert holds_a_long_literal(base, tokens["analyst"]) is False


def test_graph_store_refuses_deep_rdfxml(server: tuple[str, dict[str, str]]) -> None:
    base, tokens = server
    editor = {"Authorization": f"Bearer {tokens['editor']}", "Content-Type": "application/rdf+xml"}
    body = nested_nodes(2_000)  # within the 200 kB limit; each doubling of the depth costs pyoxigraph 3-8x
    assert len(body) < LIMIT
    status, text = http(base, "PUT", "/graph-store?graph=deep", body, editor)
    assert status == 400 and "elements nest over 256 deep (nesting is bounded)" in text
    assert http(base, "GET", "/graph-store?graph=deep", headers=editor)[0] == 404


@pytest.mark.parametrize(
    ("method", "body", "message"),
    [("PUT", b"", "the request body is empty"), ("POST", b"", "the request body is empty"),
     ("PUT", PREFIXES_ONLY, "request body (turtle): holds no triples")],
    ids=["put-empty", "post-empty", "put-prefixes-only"],
)
def test_graph_store_refuses_empty_bodies(server: tuple[str, dict[str, str]], method: str, body: bytes, message: str) -> None:
    base, tokens = server
    editor = {"Authorization": f"Bearer {tokens['editor']}", "Content-Type": "text/turtle"}
    status, text = http(base, method, "/graph-store?graph=empty-upload", body, editor)
    assert status == 400 and message in text
    assert http(base, "GET", "/graph-store?graph=empty-upload", headers=editor)[0] == 404


def test_an_oversize_declared_upload_is_413_before_the_body_is_read(server: tuple[str, dict[str, str]]) -> None:
    base, tokens = server
    head = (
        "POST /vetting/screen HTTP/1.1\r\nHost: test\r\n"
        f"Authorization: Bearer {tokens['analyst']}\r\nContent-Type: text/csv\r\nContent-Length: 100000000\r\n\r\n"
    )
    first_part = b"name,type,country\n" + b"Oren Tallavar,person,XV\n" * 2_000  # 50 KB of the 100 MB announced
    answer, elapsed = raw_exchange(base, head, [first_part])
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"the request body is 100,000,000 bytes; the limit is 200,000 bytes (ACTORGRAPH_MAX_UPLOAD_BYTES)" in answer
    assert elapsed < 5


def test_an_oversize_chunked_upload_is_413_once_it_crosses_the_limit(server: tuple[str, dict[str, str]]) -> None:
    base, tokens = server
    head = (
        "POST /vetting/screen HTTP/1.1\r\nHost: test\r\n"
        f"Authorization: Bearer {tokens['analyst']}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    rows = b"Oren Tallavar,person,XV\n" * 1_000
    chunk = b"%x\r\n%s\r\n" % (len(rows), rows)
    # 9 chunks of 24,000 bytes: the last crosses the 200,000-byte limit, and the final empty chunk
    # never comes. Nothing is sent past the crossing: bytes the server never reads would make its
    # kernel reset the connection when it closes, which may drop the answer it has just written.
    crossing = 200_000 // len(rows) + 1  # the fewest chunks over the limit
    answer, elapsed = raw_exchange(base, head, [chunk] * crossing)
    assert answer.startswith(b"HTTP/1.1 413 ") and b"over the limit; the limit is 200,000 bytes" in answer
    assert elapsed < 5
    assert http(base, "GET", "/openapi.json")[0] == 200  # and the server answers on


@pytest.mark.parametrize("value", ["", "   "], ids=["empty", "blank"])
def test_an_empty_authorization_header_is_401_over_real_http(server: tuple[str, dict[str, str]], value: str) -> None:
    base, _ = server
    head = f"GET /sparql?query={quote('ASK {}')} HTTP/1.1\r\nHost: test\r\nAuthorization:{value}\r\nConnection: close\r\n\r\n"
    answer, _ = raw_exchange(base, head, [])
    assert answer.startswith(b"HTTP/1.1 401 ") and b'www-authenticate: Bearer realm="actorgraph"' in answer
    assert b"the Authorization header is empty" in answer
    without, _ = raw_exchange(base, f"GET /sparql?query={quote('ASK {}')} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", [])
    assert without.startswith(b"HTTP/1.1 200 ")  # no header at all: an anonymous reader


# --- every route, in process -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_store() -> EmbeddedStore:
    from tests.api.web.test_access_control import build_store

    return build_store()


@pytest.fixture(scope="module")
def client(app_store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None, max_upload_bytes=LIMIT), store=app_store))


@pytest.fixture(scope="module")
def tokens(app_store: EmbeddedStore) -> dict[str, str]:
    return {role: keys.create_key(app_store, role, role).token for role in ("analyst", "editor")}


OVERSIZE = b"#" * (LIMIT + 1)
ROUTES = {
    "screen (CSV body)": ("POST", "/vetting/screen", "text/csv", "analyst"),
    "query library (JSON)": ("POST", "/queries/unit_commanders", "application/json", None),
    "query view (form)": ("POST", "/view/query", "application/x-www-form-urlencoded", None),
    "graph store": ("PUT", "/graph-store?graph=big", "text/turtle", "editor"),
    "update": ("POST", "/update", "application/sparql-update", "editor"),
    "sparql": ("POST", "/sparql", "application/sparql-query", None),
}


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
@pytest.mark.parametrize("route", ROUTES, ids=list(ROUTES))
def test_every_body_is_bounded_by_one_setting(client: TestClient, tokens: dict[str, str], route: str, chunked: bool) -> None:
    method, path, content_type, role = ROUTES[route]
    headers = {"Content-Type": content_type, **({"Authorization": f"Bearer {tokens[role]}"} if role else {})}
    content = iter([OVERSIZE[:LIMIT // 2], OVERSIZE[LIMIT // 2:]]) if chunked else OVERSIZE
    response = client.request(method, path, content=content, headers=headers)
    assert response.status_code == 413, response.text
    assert SETTING in response.json()["detail"] and f"{LIMIT:,} bytes" in response.json()["detail"]


def test_a_multipart_screening_upload_is_bounded(client: TestClient, tokens: dict[str, str]) -> None:
    files = {"file": ("names.csv", b"name,type,country\n" + b"x,person,XV\n" * (LIMIT // 12), "text/csv")}
    response = client.post("/vetting/screen", files=files, headers={"Authorization": f"Bearer {tokens['analyst']}"})
    assert response.status_code == 413 and SETTING in response.json()["detail"]


MALFORMED_LISTS = {
    "unbalanced quote": (b'name,type,country\nOren Tallavar,person,XV\n"RIPU,unit,XV\nKasimir,person,XV\n', "row 3: a quoted field opened in this row is never closed"),
    "NUL byte": (b"name,type,country\nOren Tallavar,person,XV\nRI\x00PU,unit,XV\n", "row 3, column 1: a NUL byte"),
    "NUL byte in the header": (b"name,type,coun\x00try\nRIPU,unit,XV\n", "row 1, column 3: a NUL byte"),
    "text after a closing quote": (b'name,type,country\n"RIPU" police,unit,XV\n', "row 2: ',' expected after '\"'"),
}


@pytest.mark.parametrize("case", MALFORMED_LISTS, ids=list(MALFORMED_LISTS))
@pytest.mark.parametrize("multipart", [False, True], ids=["csv-body", "multipart"])
def test_malformed_screening_lists_are_422_naming_the_row(client: TestClient, tokens: dict[str, str], case: str, multipart: bool) -> None:
    data, message = MALFORMED_LISTS[case]
    headers = {"Authorization": f"Bearer {tokens['analyst']}"}
    if multipart:
        response = client.post("/vetting/screen", files={"file": ("names.csv", data, "text/csv")}, headers=headers)
    else:
        response = client.post("/vetting/screen", content=data, headers={**headers, "Content-Type": "text/csv"})
    assert response.status_code == 422 and response.json()["detail"].startswith(message)


def test_an_empty_authorization_header_is_401_not_anonymous(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Authorization": ""})
    assert response.status_code == 401 and response.headers["www-authenticate"] == 'Bearer realm="actorgraph"'
    assert response.json()["detail"].startswith("the Authorization header is empty")
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # no header: anonymous reader


def test_an_empty_authorization_header_is_401_with_anonymous_access_off(app_store: EmbeddedStore) -> None:
    closed = TestClient(create_app(Settings(store=None, anonymous_access=False), store=app_store))
    response = closed.get("/sparql", params={"query": "ASK {}"}, headers={"Authorization": ""})
    assert response.status_code == 401
    assert response.json()["detail"] == "the Authorization header is empty: send 'Authorization: Bearer KEY'"


@pytest.mark.parametrize("value", [" ", "\t", "Bearer", "Bearer ", "bearer", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Token abc"])
def test_other_malformed_authorization_headers_stay_401(client: TestClient, value: str) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Authorization": value})
    assert response.status_code == 401 and response.headers["www-authenticate"] == 'Bearer realm="actorgraph"'
    assert "'Authorization: Bearer KEY'" in response.json()["detail"]
