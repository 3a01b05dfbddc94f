"""`actorgraph export ...` run as a user runs it, against the demo store on disk; the files are read
back with networkx and compared with the network the graph layer computes in process."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from graph.query import sparql
from graph.store import open_store
from graph.tracing.naming import resolve
from graph.tracing.network import network
from tests.api.cli.test_cli import run


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("export") / "store"
    run("init", "--demo", store=store)
    return store


def expected(store: Path, subject: str, *, depth: int, at: date | None) -> tuple[set[str], set[str]]:
    opened = open_store(store, read_only=True)
    dataset = sparql.dataset_for(opened)
    found = network(opened, dataset, resolve(opened, dataset, subject), depth=depth, at=at)
    return {n.id for n in found.nodes}, {e.id for e in found.edges}


def test_network_as_graphml_on_stdout(demo: Path) -> None:
    result = run("export", "network", "unit/bde-7", "--at", "2018-04-14", "--depth", "2", "--format", "graphml", store=demo)
    graph = nx.read_graphml(io.StringIO(result.stdout), force_multigraph=True)
    nodes, edges = expected(demo, "unit/bde-7", depth=2, at=date(2018, 4, 14))
    assert set(graph.nodes) == nodes
    assert {key for _, _, key in graph.edges(keys=True)} == edges


def test_program_as_gexf_and_paths_as_csv_to_files(demo: Path, tmp_path: Path) -> None:
    gexf = tmp_path / "vsspp.gexf"
    result = run("export", "program", "program/vsspp", "--format", "gexf", "--output", str(gexf), store=demo)
    graph = nx.read_gexf(gexf)
    nodes, edges = expected(demo, "program/vsspp", depth=1, at=None)
    assert set(graph.nodes) == nodes and graph.number_of_edges() == len(edges)
    assert f"wrote {len(nodes)} nodes and {len(edges)} relations" in result.stderr
    archive = tmp_path / "paths.zip"
    run("export", "paths", "unit/bn-72", "person/severin-aldquist", "--format", "csv", "-o", str(archive), store=demo)
    with zipfile.ZipFile(archive) as opened:
        assert sorted(name.rsplit(".", 2)[1] for name in opened.namelist()) == ["edges", "nodes"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["network", "unit/bde-7", "--at", "2018-02-30"], "--at"),
        (["network", "unit/no-such-unit"], "no-such-unit"),
        (["network", "unit/bde-7", "--format", "pdf"], "'pdf' is not one of"),
    ],
)
def test_bad_input_fails_with_one_clear_line(demo: Path, args: list[str], message: str) -> None:
    result = run("export", *args, store=demo, check=False)
    assert result.returncode != 0
    assert message in result.stderr
    assert not result.stdout
