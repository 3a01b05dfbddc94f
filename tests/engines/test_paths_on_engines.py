"""Queries that follow rdfs:subClassOf or the chain of command with a `*` or `+` property path, on
each SPARQL engine, against the embedded store: the vetting of subjects stated with several
rdf:type values, and the library queries of the actor page, subject by subject.

Virtuoso 7.2 answers such a path wrongly when its start is bound from outside it (for the first
value only, or not at all) and refuses it between two variables; the .rq files are written around
that (see their comments). These tests are what shows a query still needs it: every answer is the
embedded store's, computed independently."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator

import pytest

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
# Library queries still wrong on Virtuoso 7.2, strict xfails so that a fix shows. Each reason is
# what was measured; a Virtuoso-safe shape that costs the embedded store several times its time is
# no fix (the README's figures are the embedded store's).
VIRTUOSO_WRONG = {
    "actor_incidents": "Virtuoso answers the chain path right but drops every row of the whole query: the depth (nested"
    " IF/COALESCE of sameTerm) comes out unbound and FILTER(BOUND(?incident)) after the OPTIONAL is not applied as written",
    "actor_links": "the most specific class (rdfs:subClassOf*/+ from the relation's classes, inside OPTIONAL and NOT EXISTS)"
    " is answered for the first outer value only, so rows are lost; the LIMIT sub-select shapes that Virtuoso answers"
    " right cost Oxigraph 5x-50x (evaluated once per row)",
    "actors_by_level_sector": "the unbound-parameter idiom COALESCE(LCASE(...) IN (...), true) fails on Virtuoso (SL001"
    " 'LCASE() needs a string' for an actor without a level concept, or false instead of an error), besides the most"
    " specific class's NOT EXISTS path",
}
_GROUP_CONCAT = re.compile(r'GROUP_CONCAT\([^)]*SEPARATOR\s*=\s*"([^"]*)"\)\s+AS\s+\?(\w+)', re.IGNORECASE)


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each engine in turn (its session fixture: oxigraph_engine, virtuoso_engine)."""
    found: Engine = request.getfixturevalue(f"{request.param}_engine")
    return found


@pytest.fixture(scope="module")
def stores(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with demo_stores(engine, tmp_path_factory.mktemp("paths"), {"several-types": FIXTURES / "several_types.ttl"}) as made:
        yield made


def _known_wrong(request: pytest.FixtureRequest, engine: Engine, query: str) -> None:
    """A strict xfail on the engine that still answers `query` wrongly (VIRTUOSO_WRONG)."""
    if engine.name == "virtuoso":
        request.applymarker(pytest.mark.xfail(strict=True, reason=VIRTUOSO_WRONG[query]))


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
def test_actor_incidents(stores: dict[str, str], subject: str, engine: Engine, request: pytest.FixtureRequest) -> None:
    _known_wrong(request, engine, "actor_incidents")
    found = {name: _rows("actor_incidents", store, {"actor": f"fictional/{subject}"}) for name, store in stores.items()}
    assert found["engine"] == found["embedded"]


def test_actor_incidents_of_a_division_the_brigade_joined_later(stores: dict[str, str]) -> None:
    """The 2nd Division took the 7th Brigade after Karst Hollow: on every engine (Virtuoso too,
    which drops every row of this query), the division is answered without the massacre."""
    found = {name: _rows("actor_incidents", store, {"actor": "fictional/unit/div-2"}) for name, store in stores.items()}
    assert found["engine"] == found["embedded"]


@pytest.mark.parametrize("subject", HIERARCHY + SEVERAL_TYPES)
@pytest.mark.parametrize("at", ["2018-04-14", "2019-06-01"])
def test_actor_links(stores: dict[str, str], subject: str, at: str, engine: Engine, request: pytest.FixtureRequest) -> None:
    _known_wrong(request, engine, "actor_links")
    found = {name: _rows("actor_links", store, {"actor": f"fictional/{subject}", "at": at}) for name, store in stores.items()}
    assert found["engine"] == found["embedded"]


@pytest.mark.parametrize(("level", "sector"), [("local", "security"), ("national", "security"), ("national", "governance")])
def test_actors_by_level_sector(stores: dict[str, str], level: str, sector: str, engine: Engine, request: pytest.FixtureRequest) -> None:
    _known_wrong(request, engine, "actors_by_level_sector")
    params = {"country": "fictional/state/veldoria", "level": level, "sector": sector}
    found = {name: _rows("actors_by_level_sector", store, params) for name, store in stores.items()}
    assert found["engine"] == found["embedded"]
