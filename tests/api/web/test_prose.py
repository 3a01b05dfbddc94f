"""Values as pages print them (api.web.views.prose), and the home page's class groups, through
the real app on the demo store."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from api.web.views import prose
from graph.query import sparql
from graph.store import EmbeddedStore
from graph.tracing.network import network
from ontology.namespaces import AG, FICTIONAL, SYNTHETIC

ONTOLOGY_FILE = Path(__file__).resolve().parents[3] / "ontology" / "actorgraph.ttl"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-04-14", "14 April 2018"),
        ("2018-04-01", "1 April 2018"),
        ("2018-12-31", "31 December 2018"),
        ("2019-01-01", "1 January 2019"),
        ("2018-04", "April 2018"),
        ("2018", "2018"),
        ("2018-13", "2018"),  # no such month: the year is all that is sure
        ("unknown", "unknown"),
        (None, ""),
    ],
)
def test_day_in_words(value: str | None, expected: str) -> None:
    assert prose.day(value) == expected


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [("2010-01-01", "year", "2010"), ("2010-04-01", "month", "April 2010"), ("2010-04-03", "day", "3 April 2010"), ("2010-04-03", None, "3 April 2010")],
)
def test_day_as_precisely_as_the_source_gave_it(value: str, precision: str | None, expected: str) -> None:
    assert prose.day(value, precision) == expected


def test_dates_in_sentences_read_in_words() -> None:
    said = "held 2010 – ongoing, during the incident of 2018-04-14; in 2019-03; (2017-01-01 – 2020-12-31)"
    assert prose.dates_in_words(said) == "held 2010 – ongoing, during the incident of 14 April 2018; in March 2019; (2017 – 2020)"
    assert prose.dates_in_words("Case SCD-2020-07 of 2021") == "Case SCD-2020-07 of 2021"  # not a date: part of a number
    assert prose.dates_in_words(None) == ""


def test_period_says_only_what_is_known() -> None:
    assert prose.period("2014-03-02", "2016-08-30") == "2 March 2014 – 30 August 2016"
    # whole months or years read as such: the same days, without days nobody recorded
    assert prose.period("2014-03-01", "2016-08-31") == "March 2014 – August 2016"
    assert prose.period("2019-08-01", "2019-08-31") == "August 2019"
    assert prose.period("2019-03-01", "2020-02-29") == "March 2019 – February 2020"
    assert prose.period("2017-01-01", "2020-12-31") == "2017 – 2020"
    assert prose.period("2019-02-01", "2019-02-28") == "February 2019"
    assert prose.period("2020-02-01", "2020-02-28") == "1 February 2020 – 28 February 2020"  # 2020 is a leap year
    assert prose.period("2014-03-01", None) == "from 1 March 2014"  # an end not recorded is not "ongoing"
    assert prose.period("2014-03-01", None, True) == "since 1 March 2014"
    assert prose.period("2018-04-14", "2018-04-14") == "14 April 2018"
    assert prose.period(None, "2016") == "until 2016"
    assert prose.period(None, None) == ""


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        ("24000000.00", "USD", "US$24,000,000"),
        ("24000000", "EUR", "€24,000,000"),
        ("1250.5", "eur", "€1,250.50"),
        ("3000000", "XOF", "XOF 3,000,000"),
        ("3000000", None, "3,000,000"),
        ("about a million", "USD", "about a million USD"),
        (None, "USD", ""),
    ],
)
def test_amounts_with_their_currency(value: str | None, currency: str | None, expected: str) -> None:
    assert prose.amount(value, currency) == expected


def test_origin_by_namespace() -> None:
    assert prose.origin(FICTIONAL + "unit/bde-7") == "fictional"
    assert prose.origin(SYNTHETIC + "unit/x") == "synthetic"
    assert prose.origin("https://w3id.org/actorgraph/id/unit/ng-army") == "real"
    assert prose.count(1234567) == "1,234,567" and prose.count("n/a") == "n/a"


@pytest.fixture(scope="module")
def client(demo_store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=demo_store))


def test_home_groups_classes_and_every_count_is_in_one_group(client: TestClient, demo_store: EmbeddedStore) -> None:
    html = client.get("/").text
    tables = re.findall(r'<table class="class-group">\s*<thead><tr><th>([^<]+)</th>.*?</table>', html, re.DOTALL)
    assert tables[:4] == ["Actors", "Programs", "Incidents", "Relations"]
    body = {title: block for title, block in re.findall(r'<th>([^<]+)</th><th class="num">Count</th></tr></thead>(.*?)</table>', html, re.DOTALL)}
    assert 'title="' + AG + 'MilitaryUnit"' in body["Actors"]
    assert 'title="' + AG + 'Command"' in body["Relations"]
    assert AG + "MilitaryUnit" not in body.get("Sources and other records", "")
    assert "(not validated)" not in html


def test_program_page_formats_amounts_and_folds_the_iri(client: TestClient) -> None:
    html = client.get("/pages/programs/program/vsspp").text
    assert "€24,000,000" in html  # the scenario's EUR 24,000,000.00 grant
    assert '<details class="iri"><summary>Identifier (IRI)</summary><code>' + FICTIONAL + "program/vsspp</code>" in html
    assert "1 July 2019" in html  # the program starts on 2019-07-01


def test_unknown_data_filter_is_refused_with_the_choices(client: TestClient) -> None:
    response = client.get("/pages/programs?data=imaginary")
    assert response.status_code == 422 and "real, fictional, synthetic" in response.text
    assert client.get("/pages/search?data=imaginary").status_code == 422


def test_actor_page_shows_incidents_through_the_hierarchy_with_the_path(client: TestClient, demo_store: EmbeddedStore) -> None:
    html = client.get("/pages/actors/unit/bde-7").text
    assert "No incident names this actor directly." in html
    block = html[html.index('data-role="incidents-below"') :]
    block = block[: block.index("</ul>")]
    assert f'data-incident="{FICTIONAL}incident/karst-hollow-massacre"' in block
    assert "72nd Mountain Battalion (Veldoria)" in block
    dataset = sparql.dataset_for(demo_store)
    edges = network(demo_store, dataset, FICTIONAL + "unit/bde-7").edges
    link = next(e for e in edges if e.id == FICTIONAL + "relation/sub-bn-72-bde-7")
    assert link.end is None and link.start == "2010-01-01" and link.start_precision == "year"
    # "since" only where the data says the link is ongoing; an end simply not recorded reads "from";
    # the start was given as 2010, so it reads "2010", never "1 January 2010"
    assert ("since 2010" if link.ongoing else "from 2010") in block
    assert "1 January 2010" not in block


def test_class_labels_carry_their_definition_on_hover(client: TestClient) -> None:
    import html as markup

    import rdflib

    model = rdflib.Graph().parse(str(ONTOLOGY_FILE))
    said = {str(o) for o in model.objects(rdflib.URIRef(AG + "MilitaryUnit"), rdflib.SKOS.definition)}
    assert len(said) == 1
    page = markup.unescape(client.get("/pages/actors/unit/bde-7").text)
    assert f'<abbr class="defined" title="{said.pop()}" data-term="{AG}MilitaryUnit">Military unit</abbr>' in page
    assert "MilitaryUnit</" not in page  # the label, never the class name, is what the reader sees
