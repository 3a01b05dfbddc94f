"""Queries that follow rdfs:subClassOf or the chain of command with a `*` or `+` property path, on
each SPARQL engine, against the embedded store: the vetting of subjects stated with several
rdf:type values, and the library queries of the actor page, subject by subject.

Virtuoso 7.2 answers such a path wrongly when its start is bound from outside it (for the first
value only, or not at all) and refuses it between two variables; the .rq files are written around
that (see their comments). These tests are what shows a query still needs it: every answer is the
embedded store's, computed independently. A library query still wrong on an engine names it in a
`# wrong-on:` header line, and there it must be refused with the reason instead."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from queries import catalog
from tests.conftest import FIXTURES
from tests.engines.demo import demo_stores, run, without_volatile
from tests.engines.engines import Engine
from tests.support.server import ACTORGRAPH, server_env

# Demo subjects that several_types.ttl states again with broader classes (their kinds and most
# specific classes come from rdfs:subClassOf paths), and subjects with units or members below them
# (their incidents and findings come from the chain of command).
SEVERAL_TYPES = ["unit/bn-72", "unit/bde-7", "unit/coy-alpha-72", "group/quellmoor-hunters-guard", "person/oren-tallavar"]
HIERARCHY = ["unit/div-1", "unit/div-2", "org/ministry-of-defence", "group/vlf", "group/rch"]
_GROUP_CONCAT = re.compile(r'GROUP_CONCAT\([^)]*SEPARATOR\s*=\s*"([^"]*)"\)\s+AS\s+\?(\w+)', re.IGNORECASE)


@pytest.fixture(scope="module")
def stores(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with demo_stores(engine, tmp_path_factory.mktemp("paths"), {"several-types": FIXTURES / "several_types.ttl"}) as made:
        yield made


def _refused_where_wrong(stores: dict[str, str], engine: Engine, query: str, params: dict[str, str]) -> bool:
    """On an engine the query names in `# wrong-on:` (queries/catalog.py), check that it is refused
    with the reason rather than answered, and say so; the rows are compared only elsewhere."""
    reason = catalog.load(f"library/{query}").wrong_on_engine(engine.name)
    if reason is None:
        return False
    args = [arg for key, value in params.items() for arg in ("-p", f"{key}={value}")]
    result = subprocess.run(
        [str(ACTORGRAPH), "queries", "run", query, *args, "--store", stores["engine"]],
        capture_output=True, text=True, timeout=600, env=server_env(), check=False,
    )
    assert result.returncode == 1 and result.stdout == "", result.stdout[:500]
    assert "known to give wrong answers on this store's engine (virtuoso)" in result.stderr and reason[:40] in result.stderr
    return True


def _rows(name: str, store: str, params: dict[str, str]) -> list[dict[str, str]]:
    """The query's rows as `actorgraph queries run` gives them, sorted, each GROUP_CONCAT's parts
    sorted too: SPARQL leaves both orders to the engine when the query does not fix them."""
    args = [arg for key, value in params.items() for arg in ("-p", f"{key}={value}")]
    rows: list[dict[str, str]] = json.loads(run(store, "queries", "run", name, *args, "--format", "json"))
    concatenated = {variable: separator for separator, variable in _GROUP_CONCAT.findall(catalog.load(f"library/{name}").text)}
    for row in rows:
        for variable, separator in concatenated.items():
            if row.get(variable) and separator:
                row[variable] = separator.join(sorted(row[variable].split(separator)))
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


@pytest.mark.parametrize("subject", SEVERAL_TYPES + ["unit/div-1", "org/ministry-of-defence"])
def test_vet_a_subject_of_several_types(stores: dict[str, str], subject: str) -> None:
    """Its kind (organization or person) decides which rules apply, whichever of its types the
    engine meets first; the findings include those of the units below and above it."""
    found = {name: json.loads(run(store, "vet", subject, "--date", "2025-06-01", "--format", "json")) for name, store in stores.items()}
    assert without_volatile(found["engine"]) == without_volatile(found["embedded"])


def test_vet_a_relation_node_is_refused_alike(stores: dict[str, str]) -> None:
    """A node of no vettable kind (a subordination) is known but not vettable, on every engine."""
    said = {}
    for name, store in stores.items():
        result = subprocess.run(
            [str(ACTORGRAPH), "vet", "relation/sub-bn-72-bde-7", "--store", store],
            capture_output=True, text=True, timeout=600, env=server_env(), check=False,
        )
        said[name] = (result.returncode, result.stdout, result.stderr)
    assert said["engine"] == said["embedded"]
    assert said["engine"][0] != 0 and "not a person or organization" in said["engine"][2]


@pytest.mark.parametrize("subject", [s for s in HIERARCHY + SEVERAL_TYPES if s != "unit/div-2"])
def test_actor_incidents(stores: dict[str, str], subject: str, engine: Engine) -> None:
    if _refused_where_wrong(stores, engine, "actor_incidents", {"actor": f"fictional/{subject}"}):
        return
    found = {name: _rows("actor_incidents", store, {"actor": f"fictional/{subject}"}) for name, store in stores.items()}
    assert found["engine"] == found["embedded"]


def test_actor_incidents_of_a_division_the_brigade_joined_later(stores: dict[str, str], engine: Engine) -> None:
    """The 2nd Division took the 7th Brigade after Karst Hollow: the division is answered without
    the massacre (or, where the query is known wrong, refused)."""
    if _refused_where_wrong(stores, engine, "actor_incidents", {"actor": "fictional/unit/div-2"}):
        return
    found = {name: _rows("actor_incidents", store, {"actor": "fictional/unit/div-2"}) for name, store in stores.items()}
    assert found["engine"] == found["embedded"]


@pytest.mark.parametrize("subject", HIERARCHY + SEVERAL_TYPES)
@pytest.mark.parametrize("at", ["2018-04-14", "2019-06-01"])
def test_actor_links(stores: dict[str, str], subject: str, at: str, engine: Engine) -> None:
    if _refused_where_wrong(stores, engine, "actor_links", {"actor": f"fictional/{subject}", "at": at}):
        return
    found = {name: _rows("actor_links", store, {"actor": f"fictional/{subject}", "at": at}) for name, store in stores.items()}
    assert found["engine"] == found["embedded"]


@pytest.mark.parametrize(("level", "sector"), [("local", "security"), ("national", "security"), ("national", "governance")])
def test_actors_by_level_sector(stores: dict[str, str], level: str, sector: str, engine: Engine) -> None:
    params = {"country": "fictional/state/veldoria", "level": level, "sector": sector}
    if _refused_where_wrong(stores, engine, "actors_by_level_sector", params):
        return
    found = {name: _rows("actors_by_level_sector", store, params) for name, store in stores.items()}
    assert found["engine"] == found["embedded"]


def test_queries_known_wrong_on_the_engine_are_refused_over_the_api(stores: dict[str, str], engine: Engine) -> None:
    """A library query marked `# wrong-on:` this engine answers 501 with the reason, never rows;
    the actor page, which reads actor_programs, still renders and says why programs are missing."""
    marked = [query for query in catalog.list_queries() if query.wrong_on_engine(engine.name)]
    app = create_app(Settings.model_validate({"store": stores["engine"]}))
    with TestClient(app) as client:
        for query in marked:
            answer = client.get(f"/queries/{query.short_name}", params=query.example_params())
            assert answer.status_code == 501, (query.short_name, answer.text[:300])
            assert "known to give wrong answers on this store's engine" in answer.text
        page = client.get("/pages/actors/fictional/unit/bn-72")
        assert page.status_code == 200
        said = "Programs are not listed: the query &#39;actor_programs&#39; is known to give wrong answers"  # as HTML escapes it
        assert (said in page.text) == any(query.short_name == "actor_programs" for query in marked)
    app.state.store.close()
    assert bool(marked) == (engine.name == "virtuoso")  # the engines the .rq files name


def test_a_library_query_run_by_name_as_text_is_refused_alike(stores: dict[str, str], engine: Engine) -> None:
    """`actorgraph query NAME` (the library's text, by name) refuses where `queries run` does."""
    reason = catalog.load("library/actor_links").wrong_on_engine(engine.name)
    result = subprocess.run(
        [str(ACTORGRAPH), "query", "actor_links", "--store", stores["engine"]],
        capture_output=True, text=True, timeout=600, env=server_env(), check=False,
    )
    if reason is None:  # runs (unbound, over every actor it may meet the engine's timeout: not this test's business)
        assert "known to give wrong answers" not in result.stderr and "Traceback" not in result.stderr, result.stderr[-500:]
    else:
        assert result.returncode == 1 and "known to give wrong answers" in result.stderr and result.stdout == ""
