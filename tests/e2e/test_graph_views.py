"""The graph views in a real browser: what is drawn, clicking, the date control, expansion."""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.parse import quote

import pytest

from tests.e2e.conftest import artifact, wait_for_graph
from tests.e2e.fixtures.star import PROGRAM as STAR_PROGRAM

F = "https://w3id.org/actorgraph/fictional/id/"
BDE_7 = F + "unit/bde-7"
DIV_1 = F + "unit/div-1"
DIV_2 = F + "unit/div-2"


def get_json(url: str) -> Any:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}), timeout=30) as response:
        return json.load(response)


def visible(page: Any) -> tuple[set[str], set[str]]:
    nodes = set(page.evaluate("window.actorGraphView.visibleNodeIds()"))
    edges = set(page.evaluate("window.actorGraphView.visibleEdgeIds()"))
    return nodes, edges


@pytest.mark.parametrize(("depth", "at"), [(1, None), (2, None), (2, "2015-06-01"), (3, "2021-01-01")])
def test_actor_view_draws_the_nodes_of_the_json_network(page: Any, server: str, depth: int, at: str | None) -> None:
    """The page loads every relation once and filters by date in the browser; what it draws must
    be exactly what the JSON API returns for the same centre, depth and date."""
    query = f"?depth={depth}" + (f"&at={at}" if at else "")
    page.goto(f"/view/actors/unit/bde-7{query}")
    wait_for_graph(page)
    expected = get_json(f"{server}/actors/unit/bde-7/network{query}")
    nodes, _ = visible(page)
    assert nodes == {n["id"] for n in expected["nodes"]}
    drawn = page.evaluate("window.actorGraphView.nodeCount()")
    assert drawn == len(expected["nodes"])
    status = page.locator("[data-role=status]").inner_text()
    assert status.startswith(f"{len(expected['nodes'])} nodes")


def test_date_control_changes_which_edges_are_visible(page: Any) -> None:
    page.goto("/view/actors/unit/bde-7")
    wait_for_graph(page)
    sub_div_1 = F + "relation/sub-bde-7-div-1"  # 2010-01-01 .. 2019-02-28
    _, all_edges = visible(page)
    assert sub_div_1 in all_edges
    page.fill("input[name=at]", "2012-05-01")
    page.dispatch_event("input[name=at]", "change")
    nodes_2012, edges_2012 = visible(page)
    assert sub_div_1 in edges_2012 and DIV_1 in nodes_2012
    assert DIV_2 not in nodes_2012  # the brigade moved under the 2nd division in 2019
    page.fill("input[name=at]", "2020-06-01")
    page.dispatch_event("input[name=at]", "change")
    nodes_2020, edges_2020 = visible(page)
    assert sub_div_1 not in edges_2020 and DIV_1 not in nodes_2020
    assert DIV_2 in nodes_2020
    assert page.evaluate("window.actorGraphView.edgeCount()") == len(edges_2020)
    assert "at=2020-06-01" in page.url  # the date is kept in the address, for bookmarks
    # The slider moves the date too.
    page.evaluate(
        """() => { const s = document.querySelector('[data-role=slider]');
                   s.value = String(Math.round(Date.parse('2011-01-01') / 86400000));
                   s.dispatchEvent(new Event('input')); }"""
    )
    assert page.input_value("input[name=at]") == "2011-01-01"
    assert visible(page)[1] != edges_2020
    page.click("button[data-role=all-dates]")
    assert visible(page)[1] == all_edges


def test_relation_type_toggles_hide_edges(page: Any) -> None:
    page.goto("/view/actors/unit/bde-7")
    wait_for_graph(page)
    before = visible(page)[1]
    page.uncheck("input[data-type=Subordination]")
    after_nodes, after = visible(page)
    assert after < before
    assert DIV_1 not in after_nodes
    page.check("input[data-type=Subordination]")
    assert visible(page)[1] == before


def test_types_parameter_selects_the_toggles(page: Any, server: str) -> None:
    page.goto("/view/actors/unit/bde-7?depth=2&types=Subordination")
    wait_for_graph(page)
    expected = get_json(f"{server}/actors/unit/bde-7/network?depth=2&types=Subordination")
    assert visible(page)[0] == {n["id"] for n in expected["nodes"]}
    assert not page.is_checked("input[data-type=Command]")


def click_node(page: Any, iri: str, *, double: bool = False) -> None:
    position = page.evaluate("(iri) => window.actorGraphView.positionOf(iri)", iri)
    assert position is not None, iri
    box = page.locator(".graph-canvas").bounding_box()
    x, y = box["x"] + position["x"], box["y"] + position["y"]
    if double:
        page.mouse.dblclick(x, y)
    else:
        page.mouse.click(x, y)


def test_clicking_a_node_shows_its_relations_and_sources(page: Any) -> None:
    page.goto("/view/actors/unit/bde-7")
    wait_for_graph(page)
    click_node(page, DIV_1)
    title = page.locator("[data-role=details-title]")
    title.wait_for()
    assert title.inner_text() == "1st Infantry Division (Veldoria)"
    details = page.locator("[data-role=details]")
    assert "Subordination" in details.inner_text()
    assert details.locator("ul.sources li").count() > 0
    assert details.locator("a", has_text="Open its page").get_attribute("href").startswith("/pages/actors/")


def test_double_click_expands_a_node_in_place(page: Any) -> None:
    page.goto("/view/actors/unit/bde-7")
    wait_for_graph(page)
    before = page.evaluate("window.actorGraphView.page.nodes.size")
    click_node(page, DIV_1, double=True)
    page.wait_for_function("document.querySelector('[data-graph]').getAttribute('data-expanded') === '1'")
    after = page.evaluate("window.actorGraphView.page.nodes.size")
    assert after > before
    nodes, _ = visible(page)
    assert F + "unit/bde-11" in nodes  # a sibling brigade under the 1st division


def test_program_view_shows_partners_and_roles(page: Any) -> None:
    page.goto("/view/programs/program/vsspp")
    wait_for_graph(page)
    detail = get_json(page.url.split("/view/")[0] + "/programs/program/vsspp")
    partners = {p["actor"]["id"] for key in ("implementers", "funders", "partners", "targets") for p in detail[key]}
    nodes, _ = visible(page)
    assert partners <= nodes
    labels = page.locator("[data-role=types]").inner_text()
    assert "Program partnership" in labels and "Funding" in labels
    page.screenshot(path=str(artifact("program-view.png")), full_page=True)


def test_actor_view_screenshot(page: Any) -> None:
    page.goto("/view/actors/unit/bde-7?depth=2")
    wait_for_graph(page)
    click_node(page, BDE_7)
    page.locator("[data-role=details-title]").wait_for()
    box = page.locator(".graph-canvas").bounding_box()
    page.mouse.move(box["x"] + 4, box["y"] + 4)  # no tooltip in the picture
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifact("actor-view.png")), full_page=True)


def test_paths_view_and_query_view(page: Any) -> None:
    page.goto("/view/paths?from=unit/bde-7&to=program/vsspp")
    wait_for_graph(page)
    nodes, _ = visible(page)
    assert {BDE_7, F + "program/vsspp"} <= nodes
    page.goto("/view/query?name=ddr_integrations")
    wait_for_graph(page)
    assert page.evaluate("window.actorGraphView.nodeCount()") > 2


def test_view_errors_are_readable(page: Any) -> None:
    response = page.goto("/view/actors/unit/no-such-unit")
    assert response.status == 404
    assert "no-such-unit" in page.locator("p.error").inner_text()
    response = page.goto("/view/actors/unit/bde-7?at=yesterday")
    assert response.status == 422
    assert "YYYY-MM-DD" in page.locator("p.error").inner_text()


def test_vendor_files_are_served_locally(server: str) -> None:
    with urllib.request.urlopen(server + "/vendor/vis-network.min.js", timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/javascript")
        assert b"vis-network" in response.read(4000)
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(server + "/vendor/" + quote("../../etc/passwd", safe=""), timeout=10)
    assert missing.value.code == 404


OVERLAPS = """() => {
  const page = window.actorGraphView.page, network = page.network;
  const ids = Array.from(page.visibleNodes);
  const boxes = ids.map((id) => network.getBoundingBox(id));
  let pairs = 0;
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) pairs++;
    }
  }
  return { nodes: ids.length, pairs: pairs, scale: network.getScale() };
}"""


@pytest.mark.parametrize(
    "path",
    [
        "/view/actors/unit/bde-7",
        "/view/actors/unit/bde-7?depth=2",
        "/view/programs/program/vsspp",
        f"/view/programs/program/{STAR_PROGRAM}",
    ],
)
def test_no_two_nodes_or_labels_overlap_at_the_default_zoom(page: Any, path: str) -> None:
    """Each node's box (its shape and its label, as vis-network draws them) is clear of every
    other once the layout settles, and labels are drawn at a readable size. The program views are
    stars of a program and its partners: 22 for the demo's program, 24 in the fixture."""
    page.goto(path)
    wait_for_graph(page)
    found = page.evaluate(OVERLAPS)
    assert found["nodes"] > 10, found
    assert found["pairs"] == 0, found
    node_label_size = page.evaluate("import('/static/graph/common.js').then((m) => [m.NODE_LABEL_SIZE, m.MIN_LABEL_PX])")
    assert found["scale"] * node_label_size[0] >= node_label_size[1] - 0.01, found
