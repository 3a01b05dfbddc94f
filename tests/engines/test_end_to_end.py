"""The demo on each SPARQL engine (Oxigraph server, Virtuoso), through the command line and the API as a user would run them:
init, derive the links, search, the network at a date, vet a subject, screen a list. Each answer
is compared with the same command on an embedded store, which computes it independently."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.ingest import registry
from graph.ingest.validation import default_validator
from graph.store import open_store, rdf
from ontology.namespaces import FICTIONAL, ONTOLOGY_GRAPH
from tests.conftest import FIXTURES
from tests.engines.demo import demo_stores, run, run_failing, without_volatile
from tests.engines.engines import Engine, clear

NAMES = "name,type,country\nRIPU,unit,Veldoria\nSeverin Aldquist,person,\nNobody Known,person,\n"


@pytest.fixture(scope="module")
def stores(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The demo in an embedded store and on the engine, each set up by the command line."""
    with demo_stores(engine, tmp_path_factory.mktemp("e2e")) as made:
        yield made


def test_stats_match(stores: dict[str, str]) -> None:
    embedded, remote = (run(stores[name], "stats") for name in ("embedded", "engine"))
    assert remote == embedded and "Relation" in remote


def test_search_and_network_at_a_date(stores: dict[str, str]) -> None:
    answers: dict[str, dict[str, Any]] = {}
    for name, store in stores.items():
        # The engine through the settings, as `serve` opens it; the embedded store handed in, so
        # that it is closed (its lock released) before the next command opens it.
        opened = None if name == "engine" else open_store(Path(store), recover=False)
        app = create_app(Settings.model_validate({"store": store}), store=opened)
        with TestClient(app) as client:
            search = client.get("/actors", params={"q": "brigade", "limit": 50})
            before = client.get("/actors/unit/bde-7/network", params={"at": "2018-04-14", "depth": 2})
            after = client.get("/actors/unit/bde-7/network", params={"at": "2019-06-01", "depth": 2})
            assert search.status_code == before.status_code == after.status_code == 200, (search.text, before.text)
            answers[name] = {"search": search.json(), "before": before.json(), "after": after.json()}
        app.state.store.close()
        del app, opened
    assert answers["engine"] == answers["embedded"]
    found = answers["engine"]["search"]
    assert found["total"] > 0 and any("bde-7" in hit["id"] for hit in found["results"])
    # The brigade's parent division changes between the two days (README, the actor view).
    assert answers["engine"]["before"] != answers["engine"]["after"]


# A commander (rule 2), a battalion that perpetrated under a brigade (rules 1, 3, 5) and the brigade
# whose battalion perpetrated (rule 3: the hierarchy, found through ag:subOrganizationOf).
@pytest.mark.parametrize("subject", ["person/kasimir-ombrecht", "unit/bn-72", "unit/bde-7"])
def test_vet_a_subject(stores: dict[str, str], subject: str) -> None:
    contracts = {
        name: json.loads(run(store, "vet", subject, "--date", "2025-06-01", "--format", "json"))
        for name, store in stores.items()
    }
    assert contracts["engine"]["outcome"] == "flag"
    assert without_volatile(contracts["engine"]) == without_volatile(contracts["embedded"])


def test_validation_names_each_node_missing_a_required_value(stores: dict[str, str]) -> None:
    """The shape checks run on the engine: a node with no value where the shapes need one (an actor
    without a label, a command without a commander or a confidence) or a value of the wrong class
    is reported, the same violations as the embedded store's, and its siblings that have the value
    are not."""
    reported = {}
    for name, store in stores.items():
        refused = run_failing(store, "validate", str(FIXTURES / "missing_values.ttl"))
        reported[name] = sorted(line for line in refused.splitlines() if line.startswith("  - "))
    assert reported["engine"] == reported["embedded"]
    named = {line.split()[1].rsplit("/", 1)[-1].rstrip(">") for line in reported["engine"]}
    assert named == {"unit-nameless", "militia-nameless", "command-headless", "command-unsure", "command-misassigned"}
    assert any("command-headless> org:member|ag:commander" in line for line in reported["engine"])


def test_both_forms_of_the_shape_checks_agree_on_the_engine(stores: dict[str, str]) -> None:
    """The scanning forms (a bulk load) and the focused forms (a small write beside much data) of
    the shape checks report the same violations on the engine as in the embedded store."""
    scratch = rdf.NamedNode(FICTIONAL + "graph/scratch-missing-values")
    reported = {}
    for name, location in stores.items():
        store = open_store(location, recover=False)
        try:
            store.load_triples(FIXTURES / "missing_values.ttl", rdf.RdfFormat.TURTLE, scratch)
            context = [rdf.NamedNode(ONTOLOGY_GRAPH), *registry.visible_graphs(store)]
            for focused in (False, True):
                found = default_validator().validate(store, [scratch], context, focused=focused)
                reported[name, focused] = sorted((v.focus_node, v.path, v.constraint) for v in found)
        finally:
            store.drop_graph(scratch)
            store.close()
    assert {constraint for _, _, constraint in reported["engine", False]} == {"sh:minCount", "sh:class"}
    assert reported["engine", False] == reported["engine", True] == reported["embedded", False] == reported["embedded", True]


def test_screen_a_list(stores: dict[str, str], tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    names.write_text(NAMES, encoding="utf-8")
    screened = {name: list(csv.DictReader(io.StringIO(run(store, "screen", str(names), "--date", "2025-06-01", "--format", "csv")))) for name, store in stores.items()}
    assert [row["outcome"] for row in screened["engine"]][:1] == ["flag"]
    drop = {"run", "ran_at"}
    assert [{k: v for k, v in row.items() if k not in drop} for row in screened["engine"]] == [
        {k: v for k, v in row.items() if k not in drop} for row in screened["embedded"]
    ]
    runs = json.loads(run(stores["engine"], "vetting-runs", "--subject", "unit/ripu", "--json"))
    assert runs["runs"][0]["context"] == "screening"  # the audit trail lives in the engine too


def test_dump_then_restore_into_the_engine(stores: dict[str, str], engine: Engine, tmp_path: Path) -> None:
    dump = tmp_path / "store.nq"
    run(stores["embedded"], "dump", str(dump))
    before = run(stores["engine"], "stats")
    clear(engine.location)
    assert "restored" in run(stores["engine"], "restore", str(dump))
    assert run(stores["engine"], "stats") == before == run(stores["embedded"], "stats")


def test_two_servers_on_one_engine_see_each_others_writes(stores: dict[str, str], tmp_path: Path) -> None:
    """Two API processes' worth of apps on one engine: a load made elsewhere (the command line) shows
    in both on their next request, since their indexes are keyed by the registry read from the engine."""
    text = (FIXTURES / "valid_relation.ttl").read_text(encoding="utf-8")
    extra = tmp_path / "quorvane.ttl"
    extra.write_text(text.replace("fictional/id/", "fictional/id/quorvane-").replace("North Division", "Quorvane Division"), encoding="utf-8")
    apps = [create_app(Settings.model_validate({"store": stores["engine"]})) for _ in range(2)]
    with TestClient(apps[0]) as first, TestClient(apps[1]) as second:
        for client in (first, second):
            assert client.get("/actors", params={"q": "Quorvane"}).json()["total"] == 0  # builds each app's index
        run(stores["engine"], "load", str(extra), "--graph", "quorvane")
        for client in (first, second):
            found = client.get("/actors", params={"q": "Quorvane"}).json()
            assert found["total"] == 1 and "quorvane-unit-north-division" in found["results"][0]["id"]
    for app in apps:
        app.state.store.close()
