"""The `actorgraph` command line, run as a real process against a store on disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import FIXTURES
from tests.support import ACTORGRAPH, served


def run(*args: str, store: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(ACTORGRAPH), *args, "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "ACTORGRAPH_STORE": ""},
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"actorgraph {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def initialized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    run("init", store=store)
    run("load", str(FIXTURES / "valid_relation.ttl"), "--graph", "sample", store=store)
    return store


def test_help_works_everywhere() -> None:
    top = subprocess.run([str(ACTORGRAPH), "--help"], capture_output=True, text=True, check=True)
    commands = ["init", "load", "validate", "check", "reason", "query", "stats", "dump", "restore", "serve", "synth"]
    for command in commands:
        assert command in top.stdout
        sub = subprocess.run([str(ACTORGRAPH), command, "--help"], capture_output=True, text=True, check=False)
        assert sub.returncode == 0, command
        assert "--store" in sub.stdout or command == "synth", command


def test_query_formats(initialized: Path) -> None:
    query = "SELECT ?label WHERE { ?u a <https://w3id.org/actorgraph/ontology#MilitaryUnit> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
    table = run("query", query, store=initialized).stdout
    assert "First Brigade (fictional)" in table and "(2 rows)" in table
    rows = json.loads(run("query", query, "--format", "json", store=initialized).stdout)
    assert [row["label"] for row in rows] == ["First Brigade (fictional)", "North Division (fictional)"]
    csv_text = run("query", query, "--format", "csv", store=initialized).stdout
    assert csv_text.splitlines()[0].strip() == "label"


def test_query_from_rq_file(initialized: Path, tmp_path: Path) -> None:
    path = tmp_path / "count.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/actorgraph/ontology#Subordination> }")
    assert "1" in run("query", str(path), "--format", "csv", store=initialized).stdout.splitlines()[1]


def test_query_syntax_error_exits_nonzero_with_one_line(initialized: Path) -> None:
    result = run("query", "SELEC nothing", store=initialized, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: SPARQL syntax error")


def test_stats_formats(initialized: Path) -> None:
    figures = json.loads(run("stats", "--format", "json", store=initialized).stdout)
    classes = {c["label"]: c["count"] for c in figures["classes"]}
    assert classes["Military unit"] == 2
    assert any(g["name"] == "sample" and g["triples"] > 0 for g in figures["graphs"])
    assert "Relations by type" in run("stats", store=initialized).stdout
    assert run("stats", "--format", "csv", store=initialized).stdout.startswith("section,name,iri,count")


def test_load_of_invalid_file_exits_nonzero_and_names_the_problem(initialized: Path) -> None:
    result = run("load", str(FIXTURES / "relation_without_source.ttl"), store=initialized, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "relation-unsourced" in result.stderr


def test_validate_reports_without_loading(initialized: Path) -> None:
    good = run("validate", str(FIXTURES / "valid_relation.ttl"), store=initialized)
    assert "valid" in good.stdout
    bad = run("validate", str(FIXTURES / "relation_without_source.ttl"), store=initialized, check=False)
    assert bad.returncode == 1
    assert "wasDerivedFrom" in bad.stderr
    graphs = json.loads(run("stats", "--format", "json", store=initialized).stdout)["graphs"]
    assert not any(g["name"].startswith("relation_without_source") for g in graphs)


def test_dump_and_restore_round_trip(initialized: Path, tmp_path: Path) -> None:
    dump = tmp_path / "store.nq"
    run("dump", str(dump), store=initialized)
    copy = tmp_path / "copy"
    run("restore", str(dump), store=copy)
    original = json.loads(run("stats", "--format", "json", store=initialized).stdout)
    restored = json.loads(run("stats", "--format", "json", store=copy).stdout)
    assert restored == original


def test_restore_refuses_bad_dump_and_keeps_store(initialized: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(initialized, copy)
    before = run("stats", "--format", "json", store=copy).stdout
    bad = tmp_path / "bad.nq"
    bad.write_text("<https://example.org/a> <https://example.org/b> .\n")
    result = run("restore", str(bad), "--force", store=copy, check=False)
    assert result.returncode == 1
    assert "bad.nq:1" in result.stderr
    assert run("stats", "--format", "json", store=copy).stdout == before


@pytest.fixture
def server(initialized: Path, tmp_path: Path) -> Iterator[str]:
    """`actorgraph serve` as a real uvicorn process on a free local port."""
    store = tmp_path / "served"
    shutil.copytree(initialized, store)
    with served(store, log=tmp_path / "server.log") as (base, _):
        yield base


def test_real_server_answers_sparql_clients(server: str) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(server + "/sparql", returnFormat="json"))
    labels = sorted(
        str(row[0])
        for row in graph.query(
            "SELECT ?l WHERE { ?u a <https://w3id.org/actorgraph/ontology#MilitaryUnit> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        )
    )
    assert labels == ["First Brigade (fictional)", "North Division (fictional)"]

    request = urllib.request.Request(
        server + "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}),
        headers={"Accept": "application/sparql-results+xml"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("application/sparql-results+xml")
        assert b"<boolean>true</boolean>" in response.read()
