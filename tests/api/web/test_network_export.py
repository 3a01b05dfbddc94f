"""Networks, paths and program views as GraphML, GEXF and CSV, over HTTP through the real app and
the demo store: each file is read back (networkx, csv, zipfile) and compared with the JSON the
same route gives, so the file says what the API says."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
import zipfile
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.settings import Settings
from api.web.app import create_app
from graph.store import EmbeddedStore
from graph.tracing.export import FORMATS, Exported
from graph.tracing.refs import EdgeView, NodeRef
from ontology.namespaces import FICTIONAL

F = FICTIONAL
SUB_BDE_7_DIV_1 = F + "relation/sub-bde-7-div-1"  # the brigade under the 1st division, 2010-01-01 .. 2019-02-28
NETWORK = "/actors/unit/bde-7/network"


@pytest.fixture(scope="module")
def client(demo_store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=demo_store))


def fetch(client: TestClient, url: str, *, accept: str | None = None, status: int = 200, **params: Any) -> Response:
    response = client.get(url, params=params or None, headers={"Accept": accept} if accept else {})
    assert response.status_code == status, response.text
    return response


def graphml(response: Response) -> nx.MultiDiGraph:
    return nx.read_graphml(io.BytesIO(response.content), force_multigraph=True)


def gexf(response: Response) -> nx.MultiDiGraph:
    return nx.read_gexf(io.BytesIO(response.content))


def edge_keys(graph: nx.MultiDiGraph) -> set[str]:
    return {key for _, _, key in graph.edges(keys=True)}


@pytest.mark.parametrize("params", [{"depth": 1}, {"depth": 2}, {"depth": 2, "at": "2018-04-14"}, {"depth": 3, "at": "2021-01-01"}])
def test_graphml_holds_the_nodes_edges_and_attributes_of_the_json(client: TestClient, params: dict[str, Any]) -> None:
    body = fetch(client, NETWORK, **params).json()
    response = fetch(client, NETWORK, format="graphml", **params)
    assert response.headers["content-type"].startswith("application/graphml+xml")
    assert "attachment" in response.headers["content-disposition"] and ".graphml" in response.headers["content-disposition"]
    graph = graphml(response)
    assert set(graph.nodes) == {n["id"] for n in body["nodes"]}
    assert edge_keys(graph) == {e["id"] for e in body["edges"]}
    attributes = {key: data for _, _, key, data in graph.edges(keys=True, data=True)}
    for edge in body["edges"]:
        written = attributes[edge["id"]]
        assert written["type"] == edge["type"]
        assert written["sources"] == edge["sources"]
        assert written.get("start") == edge["start"] and written.get("end") == edge["end"]
        assert written.get("confidence") == edge["confidence"]
    labels = {n["id"]: n["label"] for n in body["nodes"]}
    assert {node: data["label"] for node, data in graph.nodes(data=True)} == labels


GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def test_graphml_keys_are_unique_and_every_value_names_a_key_of_its_domain(client: TestClient) -> None:
    """The GraphML schema makes key ids unique in a document (xs:key on key/@id): nodes' and edges'
    "label" are two keys with two ids, each named "label", and each value points at its own."""
    body = fetch(client, NETWORK, depth=2).json()
    response = fetch(client, NETWORK, format="graphml", depth=2)
    root = ET.fromstring(response.content)
    keys = root.findall(f"{GRAPHML}key")
    ids = [key.get("id") for key in keys]
    assert len(ids) == len(set(ids)), ids
    domain = {key.get("id"): key.get("for") for key in keys}
    named = {(key.get("for"), key.get("attr.name")) for key in keys}
    assert {("node", "label"), ("edge", "label"), ("edge", "type"), ("graph", "name")} <= named
    graph = root.find(f"{GRAPHML}graph")
    assert graph is not None
    nodes, edges = graph.findall(f"{GRAPHML}node"), graph.findall(f"{GRAPHML}edge")
    assert nodes and edges
    for scope, elements in (("graph", [graph]), ("node", nodes), ("edge", edges)):
        for element in elements:
            values = element.findall(f"{GRAPHML}data")
            assert values or scope == "graph"
            for value in values:
                assert domain.get(value.get("key")) in (scope, "all"), (scope, value.get("key"), domain.get(value.get("key")))
    read = graphml(response)
    assert read.number_of_nodes() == len(nodes) == len(body["nodes"])
    assert read.number_of_edges() == len(edges) == len(body["edges"])
    assert {node: data["label"] for node, data in read.nodes(data=True)} == {n["id"]: n["label"] for n in body["nodes"]}
    assert {key: data["label"] for _, _, key, data in read.edges(keys=True, data=True)} == {e["id"]: e["label"] for e in body["edges"]}


def test_a_relation_ending_on_the_day_is_in_the_file_and_gone_the_day_after(client: TestClient) -> None:
    on_the_day = graphml(fetch(client, NETWORK, format="graphml", at="2019-02-28"))
    day_after = graphml(fetch(client, NETWORK, format="graphml", at="2019-03-01"))
    assert SUB_BDE_7_DIV_1 in edge_keys(on_the_day)
    assert SUB_BDE_7_DIV_1 not in edge_keys(day_after)
    assert edge_keys(day_after) == {e["id"] for e in fetch(client, NETWORK, at="2019-03-01").json()["edges"]}


def test_gexf_has_the_same_counts_and_says_which_edges_are_directed(client: TestClient) -> None:
    body = fetch(client, NETWORK, depth=2).json()
    graph = gexf(fetch(client, NETWORK, format="gexf", depth=2))
    assert graph.number_of_nodes() == len(body["nodes"])
    assert graph.number_of_edges() == len(body["edges"])
    by_id = {data["id"]: data for _, _, data in graph.edges(data=True)}
    for edge in body["edges"]:
        assert by_id[edge["id"]]["relation_type"] == edge["type"]
        assert by_id[edge["id"]]["directed"] == edge["directed"]


def test_csv_is_a_zip_of_a_node_list_and_an_edge_list(client: TestClient) -> None:
    body = fetch(client, NETWORK, depth=2).json()
    response = fetch(client, NETWORK, format="csv", depth=2)
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = sorted(archive.namelist())
        assert [n.rsplit(".", 2)[-2:] for n in names] == [["edges", "csv"], ["nodes", "csv"]]
        edges = list(csv.DictReader(io.StringIO(archive.read(names[0]).decode())))
        nodes = list(csv.DictReader(io.StringIO(archive.read(names[1]).decode())))
    assert {row["id"] for row in nodes} == {n["id"] for n in body["nodes"]}
    assert {row["id"] for row in edges} == {e["id"] for e in body["edges"]}
    labels = {n["id"]: n["label"] for n in body["nodes"]}
    for row in edges:
        assert row["source_label"] == labels[row["source"]] and row["target_label"] == labels[row["target"]]


def test_accept_header_chooses_a_file_and_the_usual_headers_keep_json(client: TestClient) -> None:
    assert graphml(fetch(client, NETWORK, accept="application/graphml+xml")).number_of_nodes() > 1
    assert fetch(client, NETWORK, accept="application/gexf+xml").headers["content-type"].startswith("application/gexf+xml")
    edges_csv = fetch(client, NETWORK, accept="text/csv")
    assert edges_csv.text.splitlines()[0].startswith("id,source,target,")
    for accept in ("*/*", "application/json", "text/html,application/xhtml+xml,*/*;q=0.8"):
        assert "nodes" in fetch(client, NETWORK, accept=accept).json()
    assert "nodes" in fetch(client, NETWORK, accept="application/graphml+xml", format="json").json()  # ?format= wins


@pytest.mark.parametrize("url", [NETWORK, "/paths?from=unit/bde-7&to=person/severin-aldquist", "/view/actors/unit/bde-7", "/view/programs/program/vsspp"])
def test_an_unknown_format_is_a_406_that_lists_the_formats(client: TestClient, url: str) -> None:
    response = fetch(client, url + ("&" if "?" in url else "?") + "format=pdf", status=406)
    message = response.text
    assert "'pdf'" in message
    for name in FORMATS:
        assert name in message


def test_paths_export_every_node_and_relation_on_the_paths(client: TestClient) -> None:
    params = {"from": "unit/bn-72", "to": "person/severin-aldquist"}
    body = fetch(client, "/paths", **params).json()
    assert body["paths"], "the scenario links the battalion to the general"
    hops = {hop["relation"]["id"] for path in body["paths"] for hop in path["hops"]}
    for url in ("/paths", "/view/paths"):
        graph = graphml(fetch(client, url, format="graphml", **params))
        assert edge_keys(graph) == hops
        assert set(graph.nodes) == {n for path in body["paths"] for n in path["nodes"]}


def test_actor_view_export_applies_the_date_and_types(client: TestClient) -> None:
    params = {"depth": 2, "at": "2018-04-14", "types": "Subordination"}
    body = fetch(client, NETWORK, **params).json()
    graph = graphml(fetch(client, "/view/actors/unit/bde-7", format="graphml", **params))
    assert edge_keys(graph) == {e["id"] for e in body["edges"]}
    assert {data["type"] for _, _, data in graph.edges(data=True)} == {"Subordination"}


def test_program_view_export_carries_each_participant_role(client: TestClient) -> None:
    detail = fetch(client, "/programs/program/vsspp").json()
    roles = {
        p["id"]: p["program_role"]["label"]
        for group in ("implementers", "funders", "partners", "targets", "participants")
        for p in detail.get(group) or []
        if p.get("program_role")
    }
    assert roles
    graph = graphml(fetch(client, "/view/programs/program/vsspp", format="graphml"))
    written = {key: data.get("role") for _, _, key, data in graph.edges(keys=True, data=True)}
    for relation, role in roles.items():
        assert written[relation] == role
    html = fetch(client, "/view/programs/program/vsspp").text
    assert 'data-format="graphml"' in html and "format=gexf" in html


def test_unknown_values_are_left_out_and_spreadsheet_formulas_are_defused() -> None:
    nodes = [NodeRef("urn:a", "=HYPERLINK(1)", ["MilitaryUnit"], "actor"), NodeRef("urn:b", "B", [], "other")]
    edge = EdgeView("urn:r", "urn:a", "urn:b", "Command", "Command", None, None, None, None, 0, True)
    exported = Exported("x", nodes, [edge])
    graph = nx.read_graphml(io.BytesIO(exported.write("graphml")), force_multigraph=True)
    assert not {"start", "end", "confidence", "status"} & set(next(iter(graph.edges(data=True)))[2])
    rows = list(csv.DictReader(io.StringIO(exported.write("nodes-csv").decode())))
    assert rows[0]["label"] == "'=HYPERLINK(1)"
    edge_rows = list(csv.DictReader(io.StringIO(exported.write("edges-csv").decode())))
    assert edge_rows[0]["start"] == "" and edge_rows[0]["source_label"] == "'=HYPERLINK(1)"
