"""The tracing REST resources over HTTP: /actors, /actors/{id}, /actors/{id}/network,
/actors/{id}/timeline, /paths, /programs and /programs/{id}, on the demo data (real graph plus
the fictional scenario), through the real app and store."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from api.web.dependencies import current_caller
from api.web.security import Caller, Role
from graph.ingest import loader
from graph.store import EmbeddedStore
from ontology.namespaces import FICTIONAL

F = FICTIONAL
BDE_7 = F + "unit/bde-7"
BN_72 = F + "unit/bn-72"


@pytest.fixture(scope="module")
def client(demo_store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=demo_store))


def get(client: TestClient, url: str, status: int = 200, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == status, response.text
    return response.json()


def node_ids(body: dict[str, Any]) -> set[str]:
    return {node["id"] for node in body["nodes"]}


def assert_names_parameter(body: dict[str, Any], parameter: str) -> None:
    """A 422 body in FastAPI's shape whose error points at `parameter`."""
    assert any(error["loc"][-1] == parameter for error in body["detail"]), body


# -- /actors ----------------------------------------------------------------------------------


def test_search_finds_brigada_serra_without_the_diacritic(client: TestClient) -> None:
    body = get(client, "/actors", q="Brigada Serra")
    first = body["results"][0]
    assert (first["id"], first["match"], first["matched_name"]) == (BDE_7, "exact", "Brigada Sêrra")
    assert first["label"] == "7th Mountain Brigade (Veldoria)" and first["types"] == ["MilitaryUnit"]
    assert first["country"]["label"] == "Republic of Veldoria" and first["level"]["name"] == "LocalLevel"


def test_search_ranks_and_pages(client: TestClient) -> None:
    body = get(client, "/actors", q="serra", limit=500)
    order = ["exact", "prefix", "token", "fuzzy"]
    tiers = [hit["match"] for hit in body["results"]]
    assert tiers == sorted(tiers, key=order.index) and body["total"] == len(tiers)
    page = get(client, "/actors", q="serra", limit=2, offset=1)
    assert [h["id"] for h in page["results"]] == [h["id"] for h in body["results"][1:3]]
    assert (page["limit"], page["offset"], page["total"]) == (2, 1, body["total"])


def test_search_filters(client: TestClient) -> None:
    units = get(client, "/actors", type="PoliceUnit", country="XV", limit=500)
    assert units["total"] == 9 and {h["types"][0] for h in units["results"]} == {"PoliceUnit"}
    nigeria = get(client, "/actors", country="https://w3id.org/actorgraph/id/state/nigeria", limit=500)
    assert nigeria["total"] > 5 and all(h["country"]["label"] == "Nigeria" for h in nigeria["results"])
    national = get(client, "/actors", q="division", level="national", sector="security")
    assert {h["id"] for h in national["results"]} >= {F + "unit/div-1", F + "unit/div-2", F + "unit/div-3"}


def test_search_rejects_bad_parameters_by_name(client: TestClient) -> None:
    assert_names_parameter(get(client, "/actors", 422, type="Spaceship"), "type")
    assert_names_parameter(get(client, "/actors", 422, country="Atlantis"), "country")
    assert_names_parameter(get(client, "/actors", 422, level="cosmic"), "level")
    assert_names_parameter(get(client, "/actors", 422, sector="space"), "sector")
    assert_names_parameter(get(client, "/actors", 422, limit=501), "limit")
    assert_names_parameter(get(client, "/actors", 422, offset=-1), "offset")
    assert_names_parameter(get(client, "/actors", 422, q="x" * 201), "q")


# -- /actors/{id} -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["fictional/unit/bn-72", "unit/bn-72", quote(BN_72, safe=""), BN_72])
def test_profile_accepts_iri_and_kind_slug(client: TestClient, name: str) -> None:
    body = get(client, f"/actors/{name}")
    assert body["id"] == BN_72 and body["kind"] == "actor"
    groups = {group["type"]: group for group in body["relations"]}
    perpetration = groups["Perpetration"]["relations"][0]
    assert (perpetration["status"], perpetration["confidence"], perpetration["role"]) == ("established", "high", "perpetrator")
    assert {s["year"] for s in perpetration["sources"]} == {"2021", "2022"}
    assert all(s["url"].startswith("https://example.org/") for s in perpetration["sources"])


def test_profile_404s_say_what_was_not_found(client: TestClient) -> None:
    assert "no actor named 'unit/no-such-unit'" in get(client, "/actors/unit/no-such-unit", 404)["detail"]
    assert "a program, not an actor" in get(client, "/actors/fictional/program/vsspp", 404)["detail"]
    # a dcterms:identifier resolves, but to a source
    assert "a source, not an actor" in get(client, "/actors/SCSL-04-16-T", 404)["detail"]
    assert "is not an actor" in get(client, "/actors/fictional/relation/cmd-tallavar-bn-72", 404)["detail"]


# -- /actors/{id}/network ---------------------------------------------------------------------


def test_network_at_two_dates_follows_the_storyline(client: TestClient) -> None:
    before = get(client, "/actors/fictional/unit/bde-7/network", at="2018-04-14")
    after = get(client, "/actors/fictional/unit/bde-7/network", at="2019-06-01")
    assert F + "unit/div-1" in node_ids(before) and F + "unit/div-2" not in node_ids(before)
    assert F + "unit/div-2" in node_ids(after) and F + "unit/div-1" not in node_ids(after)
    assert before["at"] == "2018-04-14" and before["truncated"] is False
    edge = next(e for e in before["edges"] if e["id"] == F + "relation/sub-bde-7-div-1")
    assert edge == {
        "id": F + "relation/sub-bde-7-div-1", "source": BDE_7, "target": F + "unit/div-1", "type": "Subordination",
        "label": "Subordination", "start": "2010-01-01", "end": "2019-02-28", "confidence": "high", "status": None,
        "sources": 2, "directed": True,
        # the start was given as 2010: the stored 2010-01-01 is not a day anyone recorded
        "start_precision": "year", "end_precision": "day", "ongoing": False,
    }
    node = next(n for n in before["nodes"] if n["id"] == BDE_7)
    assert node == {"id": BDE_7, "label": "7th Mountain Brigade (Veldoria)", "types": ["MilitaryUnit"], "kind": "actor"}


def test_network_depth_types_and_cap(client: TestClient) -> None:
    encoded = quote(BDE_7, safe="")
    one = get(client, f"/actors/{encoded}/network", at="2018-04-14", types="Subordination")
    two = get(client, f"/actors/{encoded}/network", at="2018-04-14", types="Subordination", depth=2)
    assert {e["type"] for e in two["edges"]} == {"Subordination"}
    assert F + "unit/vaf" in node_ids(two) - node_ids(one)
    capped = get(client, f"/actors/{encoded}/network", depth=3, max_nodes=5)
    assert capped["truncated"] is True and len(capped["nodes"]) == 5


def test_network_rejects_bad_parameters_by_name(client: TestClient) -> None:
    url = "/actors/fictional/unit/bde-7/network"
    assert_names_parameter(get(client, url, 422, at="2018-14-04"), "at")
    assert_names_parameter(get(client, url, 422, at="last year"), "at")
    # Numbers are not days: pydantic alone read at=0 as 1970-01-01 and at=86400 as 1970-01-02
    # (found by the fuzz run).
    assert_names_parameter(get(client, url, 422, at="0"), "at")
    assert_names_parameter(get(client, url, 422, at="86400"), "at")
    assert_names_parameter(get(client, url, 422, at="20180414"), "at")
    assert_names_parameter(get(client, url, 422, depth=4), "depth")
    assert_names_parameter(get(client, url, 422, depth=0), "depth")
    assert_names_parameter(get(client, url, 422, types="Command,Banana"), "types")
    assert "no actor, program or incident named 'unit/ghost'" in get(client, "/actors/unit/ghost/network", 404)["detail"]


# -- /actors/{id}/timeline --------------------------------------------------------------------


def test_timeline_is_ordered_and_paginated(client: TestClient) -> None:
    body = get(client, "/actors/fictional/unit/bn-72/timeline")
    dates = [e["date"] for e in body["entries"]]
    assert dates == sorted(dates) and body["total"] == len(dates)
    incident = next(e for e in body["entries"] if e["kind"] == "incident")
    assert (incident["counterpart"]["label"], incident["date"]) == ("Karst Hollow massacre", "2018-04-14")
    page = get(client, "/actors/fictional/unit/bn-72/timeline", limit=3, offset=2)
    assert [e["relation"] for e in page["entries"]] == [e["relation"] for e in body["entries"][2:5]]
    assert_names_parameter(get(client, "/actors/fictional/unit/bn-72/timeline", 422, limit=501), "limit")


# -- /paths -----------------------------------------------------------------------------------


def test_paths_between_two_actors_with_hop_details(client: TestClient) -> None:
    body = get(client, "/paths", **{"from": "fictional/person/oren-tallavar", "to": "fictional/person/ilse-marrowind", "at": "2019-04-01"})
    assert body["length"] == 3 and body["max_hops"] == 4
    hops = body["paths"][0]["hops"]
    assert [h["relation"]["type"] for h in hops] == ["Command", "Subordination", "Command"]
    assert hops[0]["relation"]["id"] == F + "relation/cmd-tallavar-bn-72"
    assert (hops[0]["relation"]["start"], hops[0]["relation"]["end"], hops[0]["relation"]["confidence"]) == ("2016-09-01", "2019-05-31", "high")
    labels = {n["id"]: n["label"] for n in body["nodes"]}
    assert labels[F + "person/ilse-marrowind"] == "Ilse Marrowind"
    none = get(client, "/paths", **{"from": "fictional/person/oren-tallavar", "to": "fictional/person/ilse-marrowind", "at": "2018-04-14"})
    assert none["length"] is None and none["paths"] == []


def test_paths_errors(client: TestClient) -> None:
    both = {"from": "unit/bn-72", "to": "unit/div-2"}
    assert_names_parameter(get(client, "/paths", 422, **both, max=7), "max")
    assert_names_parameter(get(client, "/paths", 422, to="unit/div-2"), "from")
    assert_names_parameter(get(client, "/paths", 422, **both, at="2019-02-30"), "at")
    assert_names_parameter(get(client, "/paths", 422, **both, at="0"), "at")
    assert get(client, "/paths", 404, **{"from": "unit/bn-72", "to": "unit/ghost"})["detail"].startswith("to: ")
    assert get(client, "/paths", **both, max=2, at="2019-06-01")["length"] == 2


# -- /programs --------------------------------------------------------------------------------


def test_programs_list_and_detail(client: TestClient) -> None:
    listing = get(client, "/programs", limit=500)
    ids = [p["id"] for p in listing["programs"]]
    assert F + "program/vsspp" in ids and listing["total"] == len(ids)
    assert get(client, "/programs", limit=1, offset=1)["programs"][0]["id"] == ids[1]
    body = get(client, "/programs/fictional/program/vsspp")
    assert (body["types"][0]["name"], body["start"], body["end"]) == ("SSRProgram", "2019-07-01", "2024-06-30")
    assert (body["level"]["label"], body["sector"]["label"]) == ("national", "security")
    assert [p["actor"]["id"] for p in body["implementers"]] == [F + "org/gpso"]
    assert body["funders"][0]["currency"] == "EUR" and body["funders"][0]["sources"][0]["year"] == "2019"
    assert BN_72 in {p["actor"]["id"] for p in body["targets"]}
    assert len(body["partners"]) >= 4


def test_programs_errors(client: TestClient) -> None:
    assert "not a program" in get(client, "/programs/fictional/unit/bn-72", 404)["detail"]
    assert get(client, "/programs/program/ghost", 404)["detail"].startswith("no program named")
    assert_names_parameter(get(client, "/programs", 422, limit=0), "limit")
    # /programs/{id}/vetting belongs to another router: this one must not take it for an id


def test_openapi_documents_the_resources(client: TestClient) -> None:
    spec = get(client, "/openapi.json")
    for path in ("/actors", "/actors/{id}", "/actors/{id}/network", "/actors/{id}/timeline", "/paths", "/programs", "/programs/{id}"):
        assert path in spec["paths"], path
    assert {"Network", "Edge", "Profile", "Paths", "Program", "ActorSearch", "Timeline"} <= set(spec["components"]["schemas"])


# -- restricted graphs follow the caller's role -----------------------------------------------

SECRET = """@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix source: <https://w3id.org/actorgraph/fictional/id/source/> .
@prefix group: <https://w3id.org/actorgraph/fictional/id/group/> .
@prefix unit: <https://w3id.org/actorgraph/fictional/id/unit/> .
@prefix rel: <https://w3id.org/actorgraph/fictional/id/relation/> .
source:informant a ag:Source ; dcterms:title "Informant report (fictional)" ; dcterms:publisher "Field office (fictional)" .
group:night-riders a ag:Militia ; rdfs:label "Night Riders" ; ag:name "Night Riders" ; prov:wasDerivedFrom source:informant .
unit:outpost a ag:PoliceUnit ; rdfs:label "Border Outpost" ; ag:name "Border Outpost" ; prov:wasDerivedFrom source:informant .
rel:ally-riders-outpost a ag:Alliance ; ag:firstParty group:night-riders ; ag:ally unit:outpost ;
    ag:confidence ag:LowConfidence ; prov:wasDerivedFrom source:informant .
"""


def test_restricted_graphs_follow_the_callers_role(ontology_store: EmbeddedStore, tmp_path: Path) -> None:
    path = tmp_path / "informant.ttl"
    path.write_text(SECRET, encoding="utf-8")
    loader.load_file(ontology_store, path, graph="informant", restricted=True)
    app = create_app(Settings(store=None), store=ontology_store)
    client = TestClient(app)
    assert get(client, "/actors", q="Night Riders")["total"] == 0
    get(client, "/actors/group/night-riders/network", 404)

    def analyst() -> Caller:
        return Caller(Role.ANALYST, key_name="test analyst")

    app.dependency_overrides[current_caller] = analyst
    assert get(client, "/actors", q="Night Riders")["results"][0]["id"] == F + "group/night-riders"
    network = get(client, "/actors/group/night-riders/network")
    assert F + "unit/outpost" in node_ids(network)
    assert get(client, "/paths", **{"from": "group/night-riders", "to": "unit/outpost"})["length"] == 1
