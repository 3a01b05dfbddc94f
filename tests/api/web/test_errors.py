"""One error base, one mapping to responses (api.web.errors): every error ActorGraph raises has
its status, and each kind of client gets it in its own form."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

import api
import graph
from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.errors import ActorGraphError, Signal
from graph.ingest import loader
from graph.store import EmbeddedStore

TWINS = """@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix source: <https://w3id.org/actorgraph/fictional/id/source/> .
@prefix unit: <https://w3id.org/actorgraph/fictional/id/unit/> .
source:twins a ag:Source ; dcterms:title "Twins (fictional)" ; dcterms:publisher "Field office (fictional)" .
unit:twin-a a ag:PoliceUnit ; rdfs:label "Twin A" ; ag:name "Twin A" ; dcterms:identifier "TWIN-1" ; prov:wasDerivedFrom source:twins .
unit:twin-b a ag:PoliceUnit ; rdfs:label "Twin B" ; ag:name "Twin B" ; dcterms:identifier "TWIN-1" ; prov:wasDerivedFrom source:twins .
"""


def _modules(package: ModuleType) -> list[str]:
    return [info.name for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + ".")]


def test_every_error_class_derives_from_the_one_base() -> None:
    """Errors carry a status; control flow inside a module (`_Stop`) or a package (a `Signal`) never reaches a caller."""
    loose = []
    for name in _modules(graph) + _modules(api):
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
                and not attribute.startswith("_")
                and not issubclass(value, (ActorGraphError, Signal))
            ):
                loose.append(f"{name}.{attribute}")
    assert not loose, f"not derived from graph.errors.ActorGraphError: {loose}"


@pytest.fixture
def twins(ontology_store: EmbeddedStore, tmp_path: Path) -> tuple[TestClient, str]:
    path = tmp_path / "twins.ttl"
    path.write_text(TWINS, encoding="utf-8")
    loader.load_file(ontology_store, path, graph="twins")
    token = keys.create_key(ontology_store, "analyst", "errors analyst").token
    return TestClient(create_app(Settings(store=None), store=ontology_store)), token


def test_an_ambiguous_subject_is_a_422_on_every_route(twins: tuple[TestClient, str]) -> None:
    client, token = twins
    key = {"Authorization": f"Bearer {token}"}
    case = {"subject": "TWIN-1", "decision": "deny", "justification": "Test."}
    answers = {
        "tracing": client.get("/actors/TWIN-1"),
        "vetting": client.get("/vetting/TWIN-1", headers=key),
        "vetting runs": client.get("/vetting/runs", params={"subject": "TWIN-1"}, headers=key),
        "vetting cases": client.post("/vetting/cases", json=case, headers=key),
        "case list": client.get("/vetting/cases", params={"subject": "TWIN-1"}, headers=key),
    }
    for route, answer in answers.items():
        assert answer.status_code == 422 and "names several subjects" in answer.text, (route, answer.text)
        assert answer.json()["code"] == "invalid_value", route


def test_each_client_gets_the_error_in_its_form(demo_store: EmbeddedStore) -> None:
    client = TestClient(create_app(Settings(store=None), store=demo_store))
    api_client = client.get("/actors/unit/no-such-unit")
    assert api_client.status_code == 404 and api_client.json()["code"] == "not_found" and "no actor named" in api_client.json()["detail"]
    browser = client.get("/actors/unit/no-such-unit", headers={"Accept": "text/html"})
    assert browser.status_code == 404 and browser.headers["content-type"].startswith("text/html") and "no actor named" in browser.text
    sparql = client.get("/sparql", params={"query": "SELEC ?x"})
    assert sparql.status_code == 400 and sparql.headers["content-type"].startswith("text/plain")
    assert sparql.text.startswith("SPARQL syntax error:")
    unknown_key = client.get("/sparql", params={"query": "ASK {}"}, headers={"Authorization": "Bearer nope"})
    assert unknown_key.status_code == 401 and unknown_key.json()["code"] == "unauthorized"
    assert unknown_key.headers["WWW-Authenticate"] == 'Bearer realm="actorgraph"'
    role = client.post("/update", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert role.status_code == 401 and "editor role" in role.json()["detail"]  # anonymous: a key would help
    assert role.headers["WWW-Authenticate"] == 'Bearer realm="actorgraph"'

    bad_parameter = client.get("/actors", params={"type": "NoSuchClass"})
    assert bad_parameter.status_code == 422 and bad_parameter.json()["detail"][0]["loc"] == ["query", "type"]


def test_a_bad_date_is_a_422_naming_it_on_every_route(demo_store: EmbeddedStore) -> None:
    client = TestClient(create_app(Settings(store=None), store=demo_store))
    for url in ("/view/actors/fictional/unit/bn-72?at=2020-13-01", "/view/programs/fictional/program/vsspp?at=2020-13-01"):
        answer = client.get(url)
        assert answer.status_code == 422 and "at: '2020-13-01' is not a date" in answer.json()["detail"], url
