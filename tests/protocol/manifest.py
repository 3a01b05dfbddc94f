"""The W3C protocol test manifests as plain data: each test a list of HTTP requests, each with the
response it expects (status, boolean, result format, Content-Type, RDF body).

Both manifests use the W3C HTTP vocabulary (ht:), so one reader serves the SPARQL Protocol and
the Graph Store Protocol suites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.term import Node

W3C = Path(__file__).resolve().parent / "w3c"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

# hts: status names used by the manifests, as codes; StatusCodeNxx are classes (N00-N99).
_STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}


@dataclass(frozen=True)
class Expected:
    statuses: tuple[str, ...]  # "200", or a class such as "2xx"
    boolean: bool | None = None
    result_format: str | None = None  # "boolean", "tabular" or "RDF"
    content_type: str | None = None
    body: str | None = None
    location_variable: str | None = None

    def status_matches(self, status: int) -> bool:
        return any(str(status) == want or (want.endswith("xx") and str(status)[0] == want[0]) for want in self.statuses)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    expected: Expected


@dataclass(frozen=True)
class W3cTest:
    name: str  # the entry's local name, e.g. bad_multiple_queries
    title: str
    requests: tuple[Request, ...]
    graph_data: tuple[tuple[str, Path], ...] = field(default=())  # (graph IRI, file)


def _status(node: Node) -> str:
    name = str(node).removeprefix(HTS)
    if name.startswith("StatusCode"):
        return name.removeprefix("StatusCode").lower()
    return str(_STATUS[name])


def _headers(graph: rdflib.Graph, node: Node | None) -> tuple[tuple[str, str], ...]:
    if node is None:
        return ()
    return tuple((str(graph.value(h, HT.fieldName)).lower(), str(graph.value(h, HT.fieldValue))) for h in Collection(graph, node))


def _body(graph: rdflib.Graph, node: Node | None) -> bytes | None:
    if node is None:
        return None
    encoding = str(graph.value(node, CNT.characterEncoding) or "UTF-8")
    return str(graph.value(node, CNT.chars)).encode(encoding)


def _node(graph: rdflib.Graph, subject: Node | None, predicate: rdflib.URIRef) -> Node:
    """The one object of a property the manifest must give; its absence is a broken manifest."""
    value = graph.value(subject, predicate)
    if value is None:
        raise ValueError(f"{subject} has no {predicate}")
    return value


def _expected(graph: rdflib.Graph, response: Node) -> Expected:
    headers = dict(_headers(graph, graph.value(response, HT.headers)))
    boolean = graph.value(response, MF.expectedBoolean)
    body = _body(graph, graph.value(response, HT.body))
    return Expected(
        statuses=tuple(sorted(_status(s) for s in graph.objects(response, MF.expectedStatus))),
        boolean=None if boolean is None else bool(boolean.toPython()),  # type: ignore[attr-defined]
        result_format=str(graph.value(response, MF.expectedFormat) or "") or None,
        content_type=headers.get("content-type"),
        body=body.decode() if body is not None else None,
        location_variable=str(graph.value(response, MF.expectedLocation) or "") or None,
    )


def load(relative: str) -> list[W3cTest]:
    """Every entry of the manifest at w3c/RELATIVE, in manifest order."""
    path = W3C / relative
    graph = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    manifest = next(graph.subjects(rdflib.RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(graph, _node(graph, manifest, MF.entries)):
        action = graph.value(entry, MF.action)
        requests = []
        for node in Collection(graph, _node(graph, action, HT.requests)):
            requests.append(
                Request(
                    method=str(graph.value(node, HT.methodName)),
                    path=str(graph.value(node, HT.absolutePath)),
                    headers=_headers(graph, graph.value(node, HT.headers)),
                    body=_body(graph, graph.value(node, HT.body)),
                    expected=_expected(graph, _node(graph, node, HT.resp)),
                )
            )
        data = tuple(
            (str(graph.value(item, rdflib.RDFS.label)), Path(rdflib.URIRef(str(graph.value(item, UT.graph))).removeprefix("file://")))
            for item in graph.objects(entry, UT.graphData)
        )
        name = str(entry).rsplit("#", 1)[-1]
        tests.append(W3cTest(name, str(graph.value(entry, MF.name)), tuple(requests), tuple(sorted(data))))
    return tests
