"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol test suites, run against a live server.

Every entry of both manifests runs as written, with two adaptations that the README ("W3C
protocol tests") explains: the manifests' `/sparql/` and `/gsp` paths become `/sparql` (or
`/update` for update requests) and `/graph-store`; and the graph IRIs they write to, which lie
outside ActorGraph's graph namespace, are renamed into it, everywhere they occur (paths, bodies,
data, expected results), so the graph-name rule does not hide what the tests check. The cases
ActorGraph refuses by policy are expected to fail, strictly: if one starts to pass, the policy
changed and the README must say so.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from ontology.namespaces import GRAPH
from tests.protocol import manifest
from tests.protocol.conftest import Served

PROTOCOL = manifest.load("protocol/manifest.ttl")
GRAPH_STORE = manifest.load("graph-store-protocol/manifest-indirect.ttl")
W3C_GRAPHS = GRAPH + "w3c/"

# Refused by documented policy (README, "W3C protocol tests"), with the reason.
USING_PARAMETERS = "using-graph-uri / using-named-graph-uri are refused: honouring them would mean rewriting the update text"
REFUSED = {
    "update_dataset_default_graph": USING_PARAMETERS,
    "update_dataset_default_graphs": USING_PARAMETERS,
    "update_dataset_named_graphs": USING_PARAMETERS,
    "update_dataset_full": USING_PARAMETERS,
    "put_get_default": "ActorGraph stores no default graph: ?default is a 405",
    "put_get_uri_pct_encoded_twice": "a graph name holding '%' is outside ActorGraph's graph-name rule (400)",
}

# The manifests' graph IRIs, renamed under ActorGraph's graph namespace; each rule also applies
# to the percent-encoded form of the IRI, as it appears in request paths and form bodies.
_RENAMES = [
    (r"http://kasei\.us/2009/09/sparql/data/", W3C_GRAPHS + "kasei/"),
    (r"http://example\.org/(protocol-[a-z-]+)/", W3C_GRAPHS + r"\1"),
    (r"http://www\.example/gsp/", W3C_GRAPHS + "gsp/"),
]
_ENCODED_RENAMES = [
    (r"http%3A%2F%2Fkasei\.us%2F2009%2F09%2Fsparql%2Fdata%2F", quote(W3C_GRAPHS + "kasei/", safe="")),
    (r"http%3A%2F%2Fexample\.org%2F(protocol-[a-z-]+)%2F", quote(W3C_GRAPHS, safe="") + r"\1"),
    (r"http%3A%2F%2Fwww\.example%2Fgsp%2F", quote(W3C_GRAPHS + "gsp/", safe="")),
]


def renamed(text: str) -> str:
    for pattern, target in _RENAMES + _ENCODED_RENAMES:
        text = re.sub(pattern, target, text)
    return text


RDF_MEDIA = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt", "text/plain": "nt"}
RESULT_MEDIA = {"application/sparql-results+xml", "application/sparql-results+json", "text/csv", "text/tab-separated-values"}


def _reset(admin: httpx.Client, test: manifest.W3cTest) -> None:
    """Drop every graph an earlier test left under w3c/, then load this test's data."""
    described = rdflib.Graph().parse(data=admin.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
    names = described.objects(None, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#name"))
    for name in {str(n) for n in names if str(n).startswith(W3C_GRAPHS)}:
        assert admin.delete("/graph-store", params={"graph": name}).status_code == 200
    for label, path in test.graph_data:
        data = renamed(Path(path).read_text(encoding="utf-8")).encode()
        put = admin.put("/graph-store", params={"graph": renamed(label)}, content=data, headers={"Content-Type": "application/n-triples"})
        assert put.status_code in {200, 201}, put.text


def _route(request: manifest.Request) -> str:
    """The manifest's path on this server: /sparql/ -> /sparql or /update, /gsp -> /graph-store."""
    path = renamed(request.path)
    if path.startswith("/gsp"):
        return "/graph-store" + path.removeprefix("/gsp")
    rest = path.removeprefix("/sparql/").removeprefix("/sparql")
    content_type = dict(request.headers).get("content-type", "")
    body = request.body or b""
    is_update = content_type.startswith("application/sparql-update") or body.startswith(b"update=") or re.search(r"(^|[?&])update=", rest)
    return ("/update" if is_update else "/sparql") + rest


def _boolean(response: httpx.Response) -> bool:
    media = response.headers.get("content-type", "").split(";")[0]
    if "json" in media:
        return bool(json.loads(response.content)["boolean"])
    root = ET.fromstring(response.content)
    element = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert element is not None, response.text
    return (element.text or "").strip() == "true"


def _check(request: manifest.Request, response: httpx.Response) -> None:
    expected, media = request.expected, response.headers.get("content-type", "").split(";")[0].strip()
    where = f"{request.method} {request.path[:80]} -> {response.status_code} {response.text[:300]!r}"
    assert expected.status_matches(response.status_code), f"status not in {expected.statuses}: {where}"
    if expected.result_format == "boolean":
        assert media in RESULT_MEDIA, where
        if expected.boolean is not None:
            assert _boolean(response) is expected.boolean, where
    elif expected.result_format == "tabular":
        assert media in RESULT_MEDIA, where
    elif expected.result_format == "RDF":
        assert media in RDF_MEDIA, where
    if expected.content_type:
        assert media == expected.content_type.split(";")[0].strip(), where
    if expected.body is not None:
        want = rdflib.Graph().parse(data=renamed(expected.body), format="turtle")
        got = rdflib.Graph().parse(data=response.text, format=RDF_MEDIA[media])
        assert isomorphic(want, got), f"{where}\nexpected:\n{want.serialize(format='nt')}\ngot:\n{got.serialize(format='nt')}"


def _content(request: manifest.Request) -> bytes | None:
    """The body to send: renamed when it is UTF-8 text, as the manifest encodes it otherwise."""
    if request.body is None:
        return None
    try:
        return renamed(request.body.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        return request.body


def run(test: manifest.W3cTest, editor: httpx.Client, admin: httpx.Client) -> None:
    _reset(admin, test)
    variables: dict[str, str] = {}
    for request in test.requests:
        path, content = _route(request), _content(request)
        for name, value in variables.items():
            path = path.replace(name, value)
            content = content.replace(name.encode(), value.encode()) if content is not None else None
        response = editor.request(request.method, path, content=content, headers=dict(request.headers))
        _check(request, response)
        if request.expected.location_variable:
            variables[request.expected.location_variable] = response.headers["location"]


def _cases(tests: list[manifest.W3cTest]) -> list[object]:
    return [
        pytest.param(test, id=test.name, marks=[pytest.mark.xfail(reason=REFUSED[test.name], strict=True, raises=AssertionError)] if test.name in REFUSED else [])
        for test in tests
    ]


@pytest.mark.parametrize("test", _cases(PROTOCOL))
def test_sparql_protocol(server: Served, test: manifest.W3cTest) -> None:
    run(test, server.editor, server.admin)


@pytest.mark.parametrize("test", _cases(GRAPH_STORE))
def test_graph_store_protocol(server: Served, test: manifest.W3cTest) -> None:
    run(test, server.editor, server.admin)


def test_every_refusal_names_a_manifest_entry() -> None:
    names = {test.name for test in PROTOCOL + GRAPH_STORE}
    assert set(REFUSED) <= names
    assert len(PROTOCOL) == 34 and len(GRAPH_STORE) == 9


def test_renaming_covers_both_spellings() -> None:
    raw, encoded = "http://kasei.us/2009/09/sparql/data/data1.rdf", "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
    assert renamed(raw) == W3C_GRAPHS + "kasei/data1.rdf"
    assert renamed(encoded) == quote(W3C_GRAPHS + "kasei/data1.rdf", safe="")
    assert renamed("<http://example.org/protocol-base-test/>") == f"<{W3C_GRAPHS}protocol-base-test>"
    assert renamed("http://example.org/other/") == "http://example.org/other/"
