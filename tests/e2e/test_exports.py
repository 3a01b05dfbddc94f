"""The download buttons of the graph views in a real browser: the file a user saves opens in
networkx and holds the network the JSON API gives for the date and relation types on screen."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import networkx as nx

from tests.e2e.conftest import wait_for_graph


def get_json(url: str) -> Any:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}), timeout=30) as response:
        return json.load(response)


def download(page: Any, fmt: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(f"[data-role=exports] a[data-format={fmt}]")
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    return saved


def test_graphml_button_saves_the_network_at_the_date_chosen(page: Any, server: str, tmp_path: Path) -> None:
    page.goto("/view/actors/unit/bde-7?depth=2")
    wait_for_graph(page)
    page.fill("input[name=at]", "2018-04-14")
    page.dispatch_event("input[name=at]", "change")
    saved = download(page, "graphml", tmp_path)
    assert saved.name.endswith("2018-04-14.graphml")
    graph = nx.read_graphml(saved, force_multigraph=True)
    expected = get_json(f"{server}/actors/unit/bde-7/network?depth=2&at=2018-04-14")
    assert graph.number_of_nodes() == len(expected["nodes"])
    assert graph.number_of_edges() == len(expected["edges"])
    assert {key for _, _, key in graph.edges(keys=True)} == {e["id"] for e in expected["edges"]}
    everything = get_json(f"{server}/actors/unit/bde-7/network?depth=2")
    assert len(everything["edges"]) > len(expected["edges"]), "the date must have narrowed the file"


def test_program_view_offers_gexf_and_csv(page: Any, server: str, tmp_path: Path) -> None:
    page.goto("/view/programs/program/vsspp")
    wait_for_graph(page)
    expected = get_json(f"{server}/actors/program/vsspp/network")
    graph = nx.read_gexf(download(page, "gexf", tmp_path))
    assert graph.number_of_nodes() == len(expected["nodes"])
    assert graph.number_of_edges() == len(expected["edges"])
    assert download(page, "csv", tmp_path).suffix == ".zip"
