"""Relation and incident dates as precisely as the data records them, on every page and JSON that
shows one (issue: "from 1 January 2010" where the source said only "2010").

A start given as "2010" is stored 2010-01-01 with ag:startPrecision ag:YearPrecision, and an end
given as June 2020 is stored 2020-06-30 with ag:MonthPrecision. A small fictional graph holds such
a link beside its edges: a link that starts the day before a year (31 December 2009, given to the
day) and is ongoing, one that starts the day after a month (1 July 2020) with no end recorded, an
undated one, and an incident dated only to the year 2015 with no end. The actor page (relations,
timeline, incidents, programs, incidents below), the program page, the graph view's hover text and
details panel, the JSON resources and the vetting report say each date at its precision."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from api.web.views import prose
from graph.access import keys
from graph.ingest import derivation, loader, setup
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource
from graph.store import EmbeddedStore, open_store
from ontology.namespaces import FICTIONAL

BDE, BN, CMDR = FICTIONAL + "unit/prec-bde", FICTIONAL + "unit/prec-bn", FICTIONAL + "person/prec-cmdr"
STATIC = Path(__file__).resolve().parents[3] / "api" / "web" / "static"
RAID, PROGRAM = FICTIONAL + "incident/prec-raid", FICTIONAL + "program/prec-prog"
REL = FICTIONAL + "relation/"
TTL = f"""
@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rel: <{REL}> .
<{FICTIONAL}source/prec-report> a ag:Source ; dcterms:title "Precision report (fictional)" ; schema:url "https://example.org/prec" .
<{BDE}> a ag:MilitaryUnit ; rdfs:label "Precision Brigade" ; ag:name "Precision Brigade" ; prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
<{BN}> a ag:MilitaryUnit ; rdfs:label "Precision Battalion" ; ag:name "Precision Battalion" ; prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
<{CMDR}> a ag:Person ; rdfs:label "Colonel Precision" ; ag:name "Colonel Precision" ; prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
<{FICTIONAL}group/prec-militia> a ag:Militia ; rdfs:label "Precision Militia" ; ag:name "Precision Militia" ; prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
<{FICTIONAL}group/prec-guild> a ag:Militia ; rdfs:label "Precision Guild" ; ag:name "Precision Guild" ; prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
<{RAID}> a ag:Incident ; rdfs:label "Precision raid" ; ag:name "Precision raid" ; ag:violationType ag:ArbitraryDetention ;
    ag:startDate "2015-01-01"^^xsd:date ; ag:startPrecision ag:YearPrecision ; ag:confidence ag:HighConfidence ;
    prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
<{PROGRAM}> a ag:SSRProgram ; rdfs:label "Precision Programme" ; ag:name "Precision Programme" ;
    ag:startDate "2016-03-01"^^xsd:date ; ag:startPrecision ag:MonthPrecision ; prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
# given as 2010 to June 2020
rel:prec-sub a ag:Subordination ; ag:childUnit <{BN}> ; ag:parentUnit <{BDE}> ;
    ag:startDate "2010-01-01"^^xsd:date ; ag:startPrecision ag:YearPrecision ;
    ag:endDate "2020-06-30"^^xsd:date ; ag:endPrecision ag:MonthPrecision ;
    ag:confidence ag:HighConfidence ; prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
# the day before 2010, given to the day, and ongoing
rel:prec-cmd a ag:Command ; ag:commander <{CMDR}> ; ag:commandedUnit <{BDE}> ;
    ag:startDate "2009-12-31"^^xsd:date ; ag:ongoing true ;
    ag:confidence ag:HighConfidence ; prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
# the day after June 2020, given to the day, end not recorded
rel:prec-ally a ag:Alliance ; ag:firstParty <{BDE}> ; ag:ally <{FICTIONAL}group/prec-militia> ;
    ag:startDate "2020-07-01"^^xsd:date ; ag:confidence ag:MediumConfidence ; prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
# no dates at all
rel:prec-rival a ag:Rivalry ; ag:firstParty <{BDE}> ; ag:rival <{FICTIONAL}group/prec-guild> ;
    ag:confidence ag:LowConfidence ; prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
rel:prec-perp a ag:Perpetration ; ag:perpetrator <{BN}> ; ag:incident <{RAID}> ;
    ag:status ag:Alleged ; ag:confidence ag:HighConfidence ; prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
# a partnership given as 2016, ongoing
rel:prec-partner a ag:Partnership ; ag:program <{PROGRAM}> ; ag:participant <{BDE}> ;
    ag:startDate "2016-01-01"^^xsd:date ; ag:startPrecision ag:YearPrecision ; ag:ongoing true ;
    ag:confidence ag:HighConfidence ; prov:wasDerivedFrom <{FICTIONAL}source/prec-report> .
"""
INVENTED = ("1 January 2010", "30 June 2020", "1 January 2015", "1 January 2016", "1 March 2016")
WHEN = re.compile(r'data-role="when">(.*?)</(?:td|span)>', re.DOTALL)


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    built = open_store(None)
    setup.load_ontology(built)
    source = RdfSource.from_bytes("precision.ttl", TTL.encode(), format_named("turtle"))
    loader.load_sources(built, [source], graph="precision", trusted=True)
    derivation.reason(built)
    return built


@pytest.fixture(scope="module")
def client(store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=store))


@pytest.fixture(scope="module")
def analyst(store: EmbeddedStore) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys.create_key(store, 'analyst', 'date precision').token}"}


def section(html: str, start: str, end: str) -> str:
    block = html[html.index(start) :]
    return block[: block.index(end)]


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_nothing_invented(text: str) -> None:
    for invented in INVENTED:
        assert invented not in text, invented


def test_period_says_each_end_at_its_precision() -> None:
    assert prose.period("2010-01-01", "2020-06-30", start_precision="year", end_precision="month") == "2010 – June 2020"
    assert prose.period("2010-01-01", None, True, start_precision="year") == "since 2010"
    assert prose.period("2010-01-01", None, start_precision="year") == "from 2010"
    assert prose.period(None, "2020-06-30", end_precision="month") == "until June 2020"
    # the days either side, recorded to the day, keep their day
    assert prose.period("2009-12-31", None, True, start_precision="day") == "since 31 December 2009"
    assert prose.period("2020-07-01", None, start_precision="day") == "from 1 July 2020"
    assert prose.period("2019-12-31", "2020-07-01", start_precision="day", end_precision="day") == "31 December 2019 – 1 July 2020"
    # a coarser `precision` (a canvas label's years) wins over a finer recorded one
    assert prose.period("2010-01-01", "2020-06-30", False, "year", start_precision="year", end_precision="month") == "2010 – 2020"
    # both ends in one year or month read once
    assert prose.period("2010-01-01", "2010-12-31", start_precision="year", end_precision="year") == "2010"
    assert prose.period("2020-06-01", "2020-06-30", start_precision="month", end_precision="month") == "June 2020"
    assert prose.period(None, None, start_precision="year") == ""


def test_actor_page_relations_say_dates_as_recorded(client: TestClient) -> None:
    html = client.get("/pages/actors/unit/prec-bde").text
    relations = section(html, "<h2>Relations</h2>", "<h2>Timeline</h2>")
    said = [words(w).strip() for w in WHEN.findall(relations)]
    assert "2010 – June 2020" in said  # the subordination
    assert "since 31 December 2009" in said  # the day before, given to the day, ongoing
    assert "from 1 July 2020" in said  # the day after, end not recorded: "from", not "since"
    assert "undated" in said  # the rivalry
    assert "since 2016" in said  # the partnership, given to the year
    assert_nothing_invented(relations)


def test_actor_page_timeline_and_programs_say_dates_as_recorded(client: TestClient) -> None:
    html = client.get("/pages/actors/unit/prec-bde").text
    timeline = section(html, "<h2>Timeline</h2>", "</ul>")
    said = [words(w).strip() for w in re.findall(r'<span class="when">(.*?)</span>', timeline, re.DOTALL)]
    assert said == ["since 31 December 2009", "2010 – June 2020", "since 2016", "from 1 July 2020", "undated"]
    programs = section(html, "<h2>Programs</h2>", "</section>")
    assert "Precision Programme" in programs and "since 2016" in words(programs)
    assert_nothing_invented(timeline + programs)


def test_incidents_dated_only_to_the_year_read_as_the_year(client: TestClient) -> None:
    battalion = client.get("/pages/actors/unit/prec-bn").text
    timeline = section(battalion, "<h2>Timeline</h2>", "</ul>")
    # an incident with a start and no end happened then, at its precision: "2015", not "from 2015"
    assert '<li class="incident"><span class="when">2015</span>' in timeline
    incidents = section(battalion, "<h2>Incidents</h2>", "</ul>")
    assert [words(w).strip() for w in WHEN.findall(incidents)] == ["2015"]
    brigade = client.get("/pages/actors/unit/prec-bde").text
    below = section(brigade, 'data-role="incidents-below"', "</ul>")
    assert [words(w).strip() for w in WHEN.findall(below)] == ["2015"]
    assert "(subordination, 2010 – June 2020)" in words(below)  # the path's link, at its precision
    assert_nothing_invented(battalion + below)


def test_program_page_says_dates_as_recorded(client: TestClient) -> None:
    html = client.get("/pages/programs/program/prec-prog").text
    head = section(html, '<div class="page-head">', "</div>")
    assert "March 2016" in words(head) and "1 March 2016" not in head
    partners = [words(w).strip() for w in WHEN.findall(section(html, "<h2>Who works with it</h2>", "data-vetting-panel"))]
    assert partners == ["since 2016"]
    listed = client.get("/pages/programs").text
    row = section(listed, f'<tr data-iri="{PROGRAM}">', "</tr>")
    assert [words(w).strip() for w in WHEN.findall(row)] == ["from March 2016"]
    summary = next(p for p in client.get("/programs").json()["programs"] if p["id"] == PROGRAM)
    assert (summary["start"], summary["start_precision"], summary["end"], summary["end_precision"]) == ("2016-03-01", "month", None, "day")


def test_graph_hover_text_and_details_panel_say_dates_as_recorded(client: TestClient) -> None:
    data = client.get("/view/data/network/unit/prec-bde").json()
    edges = {e["id"]: e for e in data["edges"]}
    sub = edges[REL + "prec-sub"]
    assert "2010 – June 2020" in sub["title"].split("\n")
    assert (sub["start"], sub["end"], sub["start_precision"], sub["end_precision"]) == ("2010-01-01", "2020-06-30", "year", "month")
    assert sub["label"].endswith("\n2010 – 2020")  # the canvas gives years only
    assert "since 31 December 2009" in edges[REL + "prec-cmd"]["title"].split("\n")
    assert edges[REL + "prec-cmd"]["start_precision"] == "day" and edges[REL + "prec-cmd"]["ongoing"] is True
    assert "from 1 July 2020" in edges[REL + "prec-ally"]["title"].split("\n")
    assert edges[REL + "prec-rival"]["start"] is None and "\n\n" not in edges[REL + "prec-rival"]["title"]
    assert_nothing_invented(json.dumps(data))
    details = client.get("/view/data/node/unit/prec-bde").json()
    panel = {r["other"]["label"]: r for g in details["groups"] for r in g["relations"]}
    assert panel["Precision Battalion"]["period"] == "2010 – June 2020"
    assert (panel["Precision Battalion"]["start_precision"], panel["Precision Battalion"]["end_precision"]) == ("year", "month")
    assert panel["Colonel Precision"]["period"] == "since 31 December 2009"
    assert panel["Precision Guild"]["period"] == ""
    raid = client.get("/view/data/node/incident/prec-raid").json()
    assert raid["period"] == "2015" and (raid["start"], raid["start_precision"]) == ("2015-01-01", "year")
    program = client.get("/view/data/node/program/prec-prog").json()
    assert program["period"] == "from March 2016" and program["start_precision"] == "month"


def relations(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for g in body["relations"] for r in g["relations"]}


def test_json_resources_carry_the_precision_beside_the_dates(client: TestClient) -> None:
    profile = relations(client.get("/actors/unit/prec-bde").json())
    sub = profile[REL + "prec-sub"]
    # the stored values are unchanged; the precision is beside them
    assert (sub["start"], sub["end"], sub["start_precision"], sub["end_precision"], sub["ongoing"]) == ("2010-01-01", "2020-06-30", "year", "month", False)
    cmd = profile[REL + "prec-cmd"]
    assert (cmd["start"], cmd["start_precision"], cmd["end_precision"], cmd["ongoing"]) == ("2009-12-31", "day", "day", True)
    rival = profile[REL + "prec-rival"]
    assert (rival["start"], rival["end"], rival["start_precision"], rival["end_precision"]) == (None, None, "day", "day")
    network = client.get("/actors/unit/prec-bde/network").json()
    edge = next(e for e in network["edges"] if e["id"] == REL + "prec-sub")
    assert (edge["start_precision"], edge["end_precision"]) == ("year", "month")
    timeline = client.get("/actors/unit/prec-bn/timeline").json()["entries"]
    raid = next(e for e in timeline if e["kind"] == "incident")
    assert (raid["start"], raid["end"], raid["start_precision"], raid["end_precision"]) == ("2015-01-01", None, "year", "day")
    program = client.get("/programs/program/prec-prog").json()
    partner = next(p for p in program["partners"] if p["id"] == REL + "prec-partner")
    assert (partner["start"], partner["start_precision"], partner["ongoing"]) == ("2016-01-01", "year", True)


def test_vetting_report_says_an_incident_dated_to_the_year_as_the_year(client: TestClient, analyst: dict[str, str]) -> None:
    body = client.get("/vetting/unit/prec-bde?date=2016-02-02", headers=analyst).json()
    incidents = [i for f in body["findings"] for i in f["incidents"] if i["iri"] == RAID]
    assert incidents, body["findings"]
    assert {(i["date"], i["end"], i["start_precision"], i["end_precision"]) for i in incidents} == {("2015-01-01", None, "year", "day")}
    html = client.get("/vetting/unit/prec-bde?date=2016-02-02&format=html", headers=analyst).text
    block = section(html, f'data-incident="{RAID}"', "</div>")
    assert "(<span data-role=\"when\">2015 (given to the year)</span>;" in block
    sub = section(html, f'data-relation="{REL}prec-sub"', "</li>")
    assert "2010 – June 2020 (start given to the year, end given to the month)" in words(sub)
    text = words(html)
    assert "Precision raid (2015;" in text  # the summary too
    assert_nothing_invented(text)
    direct = client.get("/vetting/unit/prec-bn?date=2016-02-02&format=html", headers=analyst).text
    assert "is recorded as perpetrator of Precision raid (2015; alleged" in words(direct)
    assert_nothing_invented(words(direct))


SENTENCES = (
    "Flag under policy default: 7th Brigade commanded X (2010 – 2020-06) during Raid (2015; alleged).",
    "took command on 2019-06-01, 12 days after the incident of 2019-05-20: not during it",
    "held 2017-01-01 – 2020-12-31; seen 2019-03 and 2019-03-01 – 2020-02-29; case SCD-2020-07, ref 2020-07-01x",
    "from 2020-02-01 – 2020-02-28 (a leap year), 2019-02-01 – 2019-02-28, until 2016, nothing else",
)


def test_the_browser_says_dates_in_reasons_as_the_server_does(tmp_path: Path) -> None:
    """The vetting panels write a finding's summary and the outcome's reason in the browser
    (shared.js datesInWords); they must read as the report does (prose.dates_in_words): the
    engine writes "2015" for an incident given to the year, which stays "2015"."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    module = tmp_path / "shared.mjs"
    module.write_text((STATIC / "shared.js").read_text(encoding="utf-8"), encoding="utf-8")
    script = f"import {{ datesInWords }} from {json.dumps(module.as_uri())}; console.log(JSON.stringify({json.dumps(SENTENCES)}.map(datesInWords)));"
    said = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True, timeout=60).stdout
    assert json.loads(said) == [prose.dates_in_words(s) for s in SENTENCES]
    assert json.loads(said)[0] == "Flag under policy default: 7th Brigade commanded X (2010 – June 2020) during Raid (2015; alleged)."


def test_exported_edge_lists_carry_the_precision_beside_the_dates(client: TestClient) -> None:
    response = client.get("/actors/unit/prec-bde/network", params={"format": "edges-csv"})
    assert response.status_code == 200
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(response.text))}
    sub, rival = rows[REL + "prec-sub"], rows[REL + "prec-rival"]
    assert (sub["start"], sub["start_precision"], sub["end"], sub["end_precision"]) == ("2010-01-01", "year", "2020-06-30", "month")
    assert (rival["start"], rival["start_precision"], rival["end_precision"]) == ("", "", "")  # no date, no precision


def test_a_mitigation_given_to_the_month_reads_as_the_month(demo_store: EmbeddedStore) -> None:
    """Davor Pelvano's indictment (fictional) is recorded in March 2022, stored 2022-03-01 at month
    precision: the mitigation says "in March 2022", never "on 1 March 2022"."""
    demo = TestClient(create_app(Settings(store=None), store=demo_store))
    headers = {"Authorization": f"Bearer {keys.create_key(demo_store, 'analyst', 'mitigation precision').token}"}
    body = demo.get("/vetting/person/davor-pelvano", headers=headers).json()
    mitigations = [m for f in body["findings"] for m in f["mitigations"] if m["relation"].endswith("relation/indictment-pelvano")]
    assert mitigations and {m["date"] for m in mitigations} == {"2022-03-01"}  # the stored value, unchanged
    assert {m["date_precision"] for m in mitigations} == {"month"}  # and beside it, how much of it was given
    html = demo.get("/vetting/person/davor-pelvano", params={"format": "html"}, headers=headers).text
    assert "indicted by High Court of Veldoria in March 2022" in words(html)
    assert "1 March 2022" not in html
