"""SERVICE and LOAD: nobody but an admin makes the server open a connection.

A Listener on 127.0.0.1 counts connections and must see none. Every generated payload is first
run on a bare pyoxigraph store (the control): there it does connect, so each payload really is a
working SERVICE or LOAD and the zero through the API means something.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.ingest import update as sparql_update
from graph.store import EmbeddedStore
from graph.store.embedded import netguard
from graph.store.limits import QueryFailed, QueryLimits
from ontology.namespaces import GRAPH
from tests.api.web.test_access_control import build_store
from tests.support import Listener, served

needs_guard = pytest.mark.skipif(not netguard.works(), reason="no seccomp network guard on this platform")

# What may stand before the keyword: every kind of literal, IRI, comment and escape that could
# make a scanner lose track of where the text is.
QUERY_CONTEXTS = [
    "BIND(\"!\" AS ?a) FILTER(?a<'>')",  # the issue's payload
    "BIND('\"' AS ?a)",
    "BIND(\"'\" AS ?a)",
    'BIND("""a " "" < { """ AS ?a)',
    "BIND('''a ' '' > } ''' AS ?a)",
    'BIND("\\"<" AS ?a)',
    "BIND('\\'>' AS ?a)",
    'BIND("\\\\" AS ?a)',
    'BIND("\\u0022<" AS ?a)',
    "BIND(<http://example.org/it's#x> AS ?i)",
    "BIND(<http://example.org/a?b=c&d=e> AS ?i)",
    "# a comment \" ' < {\n",
    "FILTER(?a < 3 || ?b > 4)",
    'BIND("x"@en AS ?l)',
    'BIND("1"^^<http://www.w3.org/2001/XMLSchema#integer> AS ?n)',
    "VALUES ?v { \"SERVICE\" 'LOAD' }",
]
LITERALS = ['"!"', "'>'", '"""a " < {"""', "'''x ' > }'''", '"\\"<"', "'\\'>'", '"\\\\"', '"\\u0022"', "<http://example.org/it's#x>", '"x"@en']
SPACES = [" ", "\t", "\n", "\r\n", " # comment\n", ""]


def _cased(keyword: str) -> list[str]:
    return [keyword, keyword.lower(), keyword.title(), "".join(c.lower() if i % 2 else c for i, c in enumerate(keyword))]


def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ {context} {keyword}{space}<{url}/sparql>{space}{{ ?x ?y ?z }} FILTER('x'!='y') }}"
        for context in QUERY_CONTEXTS
        for keyword in _cased("SERVICE")
        for space in SPACES
    ]


def load_updates(url: str) -> list[str]:
    target = f"<{GRAPH}loaded>"
    return [
        f"INSERT DATA {{ GRAPH <{GRAPH}x> {{ <urn:a> <urn:b> {literal} }} }} ;{space}{keyword}{space}SILENT{space}<{url}/t.ttl> INTO GRAPH {target}"
        for literal in LITERALS
        for keyword in _cased("LOAD")
        for space in SPACES
    ] + [
        f"INSERT {{ GRAPH <{GRAPH}x> {{ <urn:a> <urn:b> <urn:c> }} }} WHERE {{ {context} }} ;{space}{keyword}{space}SILENT <{url}/t.ttl> ;"
        f" INSERT DATA {{ GRAPH <{GRAPH}y> {{ <urn:a> <urn:b> 'y' }} }}"
        for context in QUERY_CONTEXTS
        for keyword in _cased("LOAD")
        for space in SPACES[:3]
    ] + [f"# {literal}\n{keyword} <{url}/t.ttl> INTO GRAPH {target}" for literal in LITERALS for keyword in _cased("LOAD")]


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return build_store()


@pytest.fixture(scope="module")
def tokens(store: EmbeddedStore) -> dict[str, str]:
    return {role: keys.create_key(store, role, f"{role} key").token for role in keys.ROLES}


@pytest.fixture(scope="module", params=["process", "thread"])
def client(request: pytest.FixtureRequest, store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None, query_isolation=request.param), store=store))


@pytest.fixture
def listener() -> Iterator[Listener]:
    with Listener() as running:
        yield running


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- the controls: every payload is a working SERVICE or LOAD ---------------------------------------


def test_every_generated_payload_connects_on_a_bare_engine(listener: Listener) -> None:
    queries, updates = service_queries(listener.url), load_updates(listener.url)
    for query in queries:
        list(ox.Store().query(query))  # type: ignore[arg-type]
    assert listener.connections >= len(queries)
    before = listener.connections
    for update in updates:
        ox.Store().update(update)
    assert listener.connections - before >= len(updates)


# --- through the API: refused, and no connection ----------------------------------------------------


def test_generated_service_queries_never_connect(client: TestClient, tokens: dict[str, str], listener: Listener) -> None:
    for query in service_queries(listener.url):
        # rdflib fails on SERVICE after an IRI holding '#' on the same line (its search for the
        # SERVICE text reads the '#' as a comment): a 400 there, a 403 by name everywhere else.
        expected = {400, 403} if "#x>" in query or "#integer>" in query else {403}
        for headers in ({}, bearer(tokens["analyst"]), bearer(tokens["editor"])):
            response = client.get("/sparql", params={"query": query}, headers=headers)
            assert response.status_code in expected, (query, response.text)
    view = client.post("/view/query", data={"query": service_queries(listener.url)[0]}, headers={"Accept": "text/html"})
    assert view.status_code == 403 and "SERVICE" in view.text
    assert listener.connections == 0


def test_generated_load_updates_never_connect(client: TestClient, tokens: dict[str, str], listener: Listener) -> None:
    for update in load_updates(listener.url):
        response = client.post("/update", content=update, headers={"Content-Type": "application/sparql-update", **bearer(tokens["editor"])})
        assert response.status_code in {400, 403}, (update, response.text)
    assert listener.connections == 0


def test_the_refusal_names_the_operation(client: TestClient, tokens: dict[str, str], listener: Listener) -> None:
    [query] = [q for q in service_queries(listener.url) if q.startswith('SELECT * WHERE { BIND("!"')][:1]
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403
    assert "SERVICE refused" in response.text and f"found SERVICE <{listener.url}/sparql>" in response.text
    assert "anonymous (reader)" in response.text
    update = f"LOAD SILENT <{listener.url}/t.ttl>"
    refused = client.post("/update", content=update, headers={"Content-Type": "application/sparql-update", **bearer(tokens["editor"])})
    assert refused.status_code == 403 and "LOAD" in refused.text and "outbound connections" in refused.text
    assert listener.connections == 0


def test_an_escape_that_splits_the_parsers_hides_nothing(client: TestClient, listener: Listener) -> None:
    """rdflib reads `\\u0022` as a quote before parsing; pyoxigraph reads it as a character inside
    the string. Here rdflib's own parseQuery sees no SERVICE, and pyoxigraph runs one."""
    from rdflib.plugins.sparql.parser import parseQuery

    query = f'SELECT * WHERE {{ BIND("\\u0022 AS ?a) BIND(" AS ?b) SERVICE <{listener.url}/x> {{ ?x ?y ?z }} #" AS ?c)\n }}'
    assert "ServiceGraphPattern" not in str(parseQuery(query))
    list(ox.Store().query(query))  # type: ignore[arg-type]
    assert listener.connections == 1  # the control: the engine does connect
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403 and "SERVICE" in response.text
    assert listener.connections == 1


def test_an_admin_may_use_service_and_load(client: TestClient, tokens: dict[str, str], listener: Listener) -> None:
    query = f"SELECT ?x WHERE {{ SERVICE <{listener.url}/sparql> {{ ?x ?y ?z }} }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv", **bearer(tokens["admin"])})
    assert response.status_code == 200, response.text
    assert "from-listener" in response.text
    assert listener.connections == 1
    update = f"LOAD <{listener.url}/t.ttl> INTO GRAPH <{GRAPH}from-listener-{id(client)}>"
    loaded = client.post("/update", content=update, headers={"Content-Type": "application/sparql-update", **bearer(tokens["admin"])})
    assert loaded.status_code == 200, loaded.text
    assert listener.connections == 2


# --- the guard underneath: a worker has no network, whatever the parse said --------------------------


@needs_guard
@pytest.mark.parametrize("isolation", ["process", "thread"])
def test_query_workers_cannot_connect_even_past_the_parse(store: EmbeddedStore, listener: Listener, isolation: str) -> None:
    limits = QueryLimits(timeout=10, isolation=isolation)  # type: ignore[arg-type]
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?x ?y ?z }} }}"
    with pytest.raises(QueryFailed, match="not permitted"):
        store.evaluate(query, limits=limits, default_graph=[], named_graphs=[])
    assert listener.connections == 0
    rows = store.evaluate(query, limits=limits, default_graph=[], named_graphs=[], network=True)
    assert [str(row["x"].value) for row in rows] == ["from-listener"]  # type: ignore[union-attr]
    assert listener.connections == 1


@needs_guard
@pytest.mark.parametrize("isolation", ["process", "thread"])
def test_sandboxed_updates_cannot_load_even_past_the_parse(listener: Listener, isolation: str) -> None:
    store = build_store()
    limits = QueryLimits(timeout=10, isolation=isolation)  # type: ignore[arg-type]
    with pytest.raises(QueryFailed, match="not permitted"):
        sparql_update.sandboxed_update(store, f"LOAD <{listener.url}/t.ttl> INTO GRAPH <{GRAPH}g>", readable=[], limits=limits)
    assert listener.connections == 0


@needs_guard
def test_the_guard_leaves_other_threads_alone(listener: Listener) -> None:
    import socket

    outcome: list[str] = []

    def guarded_thread() -> None:
        netguard.forbid_network()
        try:
            socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()
            outcome.append("connected")
        except PermissionError:
            outcome.append("refused")
        left, right = socket.socketpair()  # Unix sockets stay allowed
        left.close()
        right.close()

    thread = threading.Thread(target=guarded_thread)
    thread.start()
    thread.join()
    assert outcome == ["refused"]
    socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()  # this thread still may


# --- the issue's repro on a real server ---------------------------------------------------------------

ACTORGRAPH = Path(sys.executable).with_name("actorgraph")


def _cli(*args: str, store: Path) -> str:
    done = subprocess.run(
        [str(ACTORGRAPH), *args, "--store", str(store)], capture_output=True, text=True, timeout=300, env={**os.environ, "ACTORGRAPH_STORE": ""},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("outbound") / "store"
    _cli("init", store=path)
    made = {role: _cli("keys", "create", "--role", role, "--name", role, store=path) for role in ("editor", "admin")}
    return path, made


@pytest.mark.parametrize("isolation", ["pool", "process", "thread"])
def test_the_issue_repro_on_a_served_store(disk_store: tuple[Path, dict[str, str]], isolation: str, tmp_path: Path) -> None:
    import urllib.error
    import urllib.parse
    import urllib.request

    path, made = disk_store

    def call(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    with Listener() as listener, served(path, env={"ACTORGRAPH_QUERY_ISOLATION": isolation}, log=tmp_path / "log") as (base, _):
        query = f"SELECT * WHERE {{ BIND(\"!\" AS ?a) FILTER(?a<'>') SERVICE <{listener.url}/x> {{?x ?y ?z}} FILTER('x'!='y') }}"
        status, body = call(base + "/sparql?" + urllib.parse.urlencode({"query": query}))
        assert status == 403 and "SERVICE" in body, body
        status, body = call(base + "/view/query", urllib.parse.urlencode({"query": query}).encode(), {"Accept": "text/html"})
        assert status == 403, body
        editor = {"Authorization": f"Bearer {made['editor']}", "Content-Type": "application/sparql-update"}
        update = (
            f"INSERT {{ GRAPH <{GRAPH}x> {{ <urn:a> <urn:b> ?a }} }} WHERE {{ BIND(\"!\" AS ?a) FILTER(?a<'>') }} ; "
            f"LOAD SILENT <{listener.url}/t.ttl> ; INSERT DATA {{ GRAPH <{GRAPH}y> {{ <urn:a> <urn:b> 'y' }} }}"
        )
        status, body = call(base + "/update", update.encode(), editor)
        assert status == 403 and "LOAD" in body, body
        assert listener.connections == 0
        admin = {"Authorization": f"Bearer {made['admin']}", "Accept": "application/sparql-results+json"}
        status, body = call(base + "/sparql?" + urllib.parse.urlencode({"query": query}), headers=admin)
        assert status == 200, body
        assert json.loads(body)["results"]["bindings"][0]["x"]["value"] == "from-listener"
        assert listener.connections == 1


# --- the parse's edges ----------------------------------------------------------------------------------


def test_texts_without_the_keywords_letters_are_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.guards import outbound

    def refuse(*_: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(outbound, "_parse", refuse)
    assert outbound.verdict("SELECT * WHERE { ?s ?p ?o }", update=False).uses == ()
    assert outbound.verdict("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 1 } }", update=True).uses == ()
    with pytest.raises(AssertionError, match="parsed"):  # any case, anywhere (even in a comment)
        outbound.verdict(f"SELECT * WHERE {{ ?s ?p ?o }} # sErViCe {id(refuse)}", update=False)  # unique: not cached
    with pytest.raises(AssertionError, match="parsed"):
        outbound.verdict(f"CLEAR ALL # {id(refuse)}", update=True)


def test_the_engine_reads_keywords_only_from_their_letters(listener: Listener) -> None:
    """The premise of skipping the parse: no escape or look-alike spells SERVICE or LOAD."""
    disguised = [
        f"SELECT * WHERE {{ SERVIC\\u0045 <{listener.url}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{listener.url}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \u017fervice <{listener.url}/x> {{ ?s ?p ?o }} }}",  # long s
    ]
    for query in disguised:
        with pytest.raises(SyntaxError):
            ox.Store().query(query)
    for update in (f"LOA\\u0044 <{listener.url}/t.ttl>", f"\uff2cOAD <{listener.url}/t.ttl>"):  # fullwidth L
        with pytest.raises(SyntaxError):
            ox.Store().update(update)
    assert listener.connections == 0


def test_depth_beyond_the_checking_parser_is_a_400_and_beyond_the_limit_too(client: TestClient) -> None:
    from graph.guards.nesting import MAX_NESTING

    def nested(depth: int, word: str) -> str:
        return f'SELECT * WHERE {{ BIND("{word}" AS ?w) FILTER({"(" * depth}true{")" * depth}) }}'

    deep = 40  # deeper than rdflib's recursion reaches, within the documented limit
    assert deep < MAX_NESTING
    checked = client.get("/sparql", params={"query": nested(deep, "service")})
    assert checked.status_code == 400 and "nested too deeply" in checked.text
    plain = client.get("/sparql", params={"query": nested(deep, "plain")}, headers={"Accept": "text/csv"})
    assert plain.status_code == 200, plain.text  # no keyword letters: no parse, the engine runs it
    too_deep = client.get("/sparql", params={"query": nested(MAX_NESTING + 1, "service")})
    assert too_deep.status_code == 400 and str(MAX_NESTING) in too_deep.text


def test_unparsable_text_with_a_keyword_is_a_400_with_the_position(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p } }"})
    assert response.status_code == 400
    assert "SPARQL syntax error" in response.text and "line 1, column" in response.text


def test_deep_nesting_is_a_400_for_admins_too(client: TestClient, tokens: dict[str, str]) -> None:
    from graph.guards.nesting import MAX_NESTING

    deep = "{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1)
    query = client.get("/sparql", params={"query": f"SELECT * WHERE {deep}"}, headers=bearer(tokens["admin"]))
    assert query.status_code == 400 and str(MAX_NESTING) in query.text
    headers = {"Content-Type": "application/sparql-update", **bearer(tokens["admin"])}
    update = client.post("/update", content=f"INSERT {{ GRAPH <{GRAPH}x> {{ <urn:a> <urn:b> <urn:c> }} }} WHERE {deep}", headers=headers)
    assert update.status_code == 400 and str(MAX_NESTING) in update.text
