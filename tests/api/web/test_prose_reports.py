"""Vetting reports, program pages and graph views that read like prose (issue 14): dates in words
as precisely as the source gave them, class names as labels with the definition on hover, the
subject's name once with its IRI in a fold, and real or fictional data told apart by a badge.

A report made here from a finding set with partial and unknown dates checks the date wording
exactly; the demo store checks the same things through the real app."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from api.web.pages.ontology_terms import definitions
from api.web.vetting_reports import render
from api.web.views import prose
from graph.access import keys
from graph.store import EmbeddedStore
from graph.vetting.model import Evidence, Finding, FindingSet, IncidentRef, SourceRef
from ontology.namespaces import AG, FICTIONAL

STATIC = Path(__file__).resolve().parents[3] / "api" / "web" / "static"
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
POLICY = {
    "name": "default", "lookback_years": 10, "min_confidence": "medium", "hierarchy_direction": "down", "hierarchy_depth": 3,
    "unknown_dates": "review", "former_links": "count", "flag_rules": ["direct", "command"],
}
SUBJECT = FICTIONAL + "unit/test-bde"
REAL_SUBJECT = "https://w3id.org/actorgraph/id/unit/test-bn"


class Visible(HTMLParser):
    """The text a reader sees with every IRI fold (<details class="iri">) closed: what is outside
    the folds, without attributes (hover titles and data-* are not read as text)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.folded = 0  # depth inside a <details class="iri">
        self.skip = 0  # inside <style> or <script>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "details" and ("class", "iri") in attrs or self.folded and tag == "details":
            self.folded += 1
        if tag in ("style", "script", "title"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self.folded:
            self.folded -= 1
        if tag in ("style", "script", "title") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.folded and not self.skip:
            self.parts.append(data)

    @classmethod
    def text(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return re.sub(r"\s+", " ", " ".join(parser.parts))


def folded_iris(html: str) -> list[str]:
    return re.findall(r'<details class="iri"><summary>Identifier \(IRI\)</summary><code>([^<]+)</code></details>', html)


def when_spans(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", w).strip() for w in re.findall(r'<span data-role="when">(.*?)</span>', html, re.DOTALL)]


def defined(html: str, local: str) -> str | None:
    """The label a class is printed with, when it carries its definition on hover."""
    match = re.search(rf'<abbr class="defined" title="([^"]+)" data-term="{re.escape(AG + local)}">([^<]+)</abbr>', html)
    return match.group(2) if match and match.group(1) else None


def evidence(relation: str, cls: str, **dates: object) -> Evidence:
    return Evidence(
        relation=FICTIONAL + "relation/" + relation, type=cls, label="is linked to", source_actor=SUBJECT,
        source_label="Test Brigade", target=FICTIONAL + "org/other", target_label="Other Body",
        confidence="high", sources=(SourceRef("A report (fictional)", "https://example.org/report"),), **dates,  # type: ignore[arg-type]
    )


def partial_dates_report(subject: str = SUBJECT) -> str:
    finding = Finding(
        rule="risk", severity="medium", current=False, certain=False, confidence="high",
        summary="Test Brigade relies on Other Body (2017-01-01 – 2020-12-31), seen 2019-03 and on 2018-04-14; case SCD-2020-07.",
        time=["held 2010 – end unknown, during the incident of 2019"],
        current_basis="end unknown",
        incidents=[
            IncidentRef(FICTIONAL + "incident/in-2019", "Abductions of 2019", "2019-01-01", "2019-12-31", ("abduction",), "alleged", SUBJECT, "Test Brigade"),
            IncidentRef(FICTIONAL + "incident/in-aug", "Attack in August", "2019-08-01", "2019-08-31", ("mass killing",), "established", SUBJECT, "Test Brigade"),
            IncidentRef(FICTIONAL + "incident/one-day", "Attack of one day", "2018-04-14", None, (), "alleged", SUBJECT, "Test Brigade"),
            IncidentRef(FICTIONAL + "incident/undated", "Undated attack", None, None, (), "alleged", SUBJECT, "Test Brigade"),
        ],
        evidence=[
            evidence("year-month", "EconomicReliance", start="2010-01-01", start_precision="year", end="2020-06-30", end_precision="month"),
            evidence("unknown", "SanctionsListing"),
            evidence("ongoing", "Subordination", start="2016-03-01", start_precision="month", ongoing=True),
            evidence("days", "Command", start="2014-03-02", end="2016-08-30"),
        ],
    )
    result = FindingSet(subject, "Test Brigade", "organization", "2018-04-14", "review", "Review: seen on 2018-04-14.", POLICY, [finding])
    return render("vetting_report.html", result=result, run=None)


def test_report_says_dates_as_precisely_as_the_source_gave_them() -> None:
    html = partial_dates_report()
    assert when_spans(html) == [
        "2019",  # an incident from 1 January to 31 December: the year, no invented days
        "August 2019",
        "14 April 2018",
        "date unknown",
        "2010 – June 2020 (start given to the year, end given to the month)",  # which reading applied, in words
        "start unknown – end unknown",
        "March 2016 – ongoing (start given to the month)",
        "2 March 2014 – 30 August 2016",
    ]
    for invented in ("1 January 2010", "30 June 2020", "1 March 2016", "1 January 2019", "31 December 2019"):
        assert invented not in html, invented
    text = Visible.text(html)
    assert "Vetting date 14 April 2018 (everything is judged as of this day)" in text
    assert "relies on Other Body (2017 – 2020), seen March 2019 and on 14 April 2018; case SCD-2020-07." in text
    assert "Review: seen on 14 April 2018." in text
    assert not ISO_DAY.search(text), ISO_DAY.findall(text)


def test_report_prints_classes_as_labels_with_their_definition() -> None:
    html = partial_dates_report()
    assert defined(html, "EconomicReliance") == "Economic reliance"
    assert defined(html, "SanctionsListing") == "Sanctions listing"
    assert defined(html, "MassKilling") == "mass killing"  # an incident's violation type, by its label
    assert definitions()[AG + "EconomicReliance"] in html  # the hover text is the ontology's definition
    text = Visible.text(html)
    for local in ("EconomicReliance", "SanctionsListing"):
        assert local not in text, local


def test_report_names_the_subject_once_with_a_badge_and_every_iri_in_a_fold() -> None:
    html = partial_dates_report()
    text = Visible.text(html)
    assert "https://" not in text.replace("https://example.org/report", "")  # no IRI outside a fold
    assert text.count("Test Brigade") - text.count("Test Brigade relies") - html.count("<strong>Test Brigade</strong>") - text.count("perpetrator Test Brigade") == 1
    assert SUBJECT in folded_iris(html) and FICTIONAL + "relation/year-month" in folded_iris(html) and FICTIONAL + "incident/undated" in folded_iris(html)
    subject_row = re.search(r'<td data-role="subject">(.*?)</td>', html, re.DOTALL)
    assert subject_row and 'data-origin="fictional"' in subject_row.group(1) and ">fictional<" in subject_row.group(1)
    real = re.search(r'<td data-role="subject">(.*?)</td>', partial_dates_report(REAL_SUBJECT), re.DOTALL)
    assert real and 'data-origin="real"' in real.group(1) and prose.ORIGINS["real"].label in real.group(1)


@pytest.fixture(scope="module")
def client(demo_store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=demo_store))


@pytest.fixture(scope="module")
def analyst(demo_store: EmbeddedStore) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys.create_key(demo_store, 'analyst', 'prose reports').token}"}


def test_demo_report_through_the_app(client: TestClient, analyst: dict[str, str]) -> None:
    html = client.get("/vetting/unit/bde-7?date=2019-01-01&format=html", headers=analyst).text
    text = Visible.text(html)
    assert "Vetting date 1 January 2019" in text
    assert "Karst Hollow massacre (14 April 2018;" in text  # the incident's day, in words
    assert "2017 – 2020 (start given to the year, end given to the year)" in when_spans(html)  # the gold syndicate reliance
    assert "2010 – ongoing (start given to the year)" in when_spans(html)  # never "1 January 2010"
    assert "1 January 2010" not in text and not ISO_DAY.search(text), ISO_DAY.findall(text)
    assert defined(html, "EconomicReliance") == "Economic reliance" and defined(html, "Subordination") == "Subordination"
    assert "https://" not in re.sub(r"https://example\.org/\S+", "", text)
    assert FICTIONAL + "unit/bde-7" in folded_iris(html)
    assert text.count("7th Mountain Brigade (Veldoria) (organization)") == 0  # the name is the title's, not repeated with the IRI
    assert 'data-origin="fictional"' in re.search(r'<td data-role="subject">(.*?)</td>', html, re.DOTALL).group(1)  # type: ignore[union-attr]


def test_program_vetting_table_badges_every_participant(client: TestClient, analyst: dict[str, str]) -> None:
    body = client.get("/programs/program/vsspp/vetting?date=2019-01-01", headers=analyst).json()
    html = client.get("/programs/program/vsspp/vetting?date=2019-01-01&format=html", headers=analyst).text
    rows = re.findall(r'<tr data-outcome="\w+" data-subject="([^"]+)">(.*?)</tr>', html, re.DOTALL)
    assert len(rows) == len(body["participants"]) > 0
    for iri, row in rows:
        assert f'data-origin="{prose.origin(iri)}"' in row, iri
    assert "1 January 2019" in re.search(r'<td data-role="date">(.*?)</td>', html).group(1)  # type: ignore[union-attr]
    assert FICTIONAL + "program/vsspp" in folded_iris(html)


def test_program_page_partner_types_are_labels_with_definitions(client: TestClient) -> None:
    html = client.get("/pages/programs/program/vsspp").text
    rows = re.findall(r'<tr data-actor="([^"]+)">(.*?)</tr>', html, re.DOTALL)
    assert rows
    for iri, row in rows:
        types = re.search(r'<span class="muted" data-role="types">(.*?)</span>\s*</td>', row, re.DOTALL)
        assert types and types.group(1).strip(), iri
        labels = re.findall(r'<abbr class="defined" title="[^"]+" data-term="[^"]+">([^<]+)</abbr>', types.group(1))
        assert labels, f"{iri}: {types.group(1)}"
        assert not re.search(r"[a-z][A-Z]", "".join(labels)), labels  # "Military unit", not MilitaryUnit
        assert f'data-origin="{prose.origin(iri)}"' in row


def test_home_lists_programs_with_a_badge_and_imports_in_words(client: TestClient) -> None:
    html = client.get("/").text
    programs = re.findall(r'<li data-iri="([^"]+)">(.*?)</li>', html[html.index("program-list") :], re.DOTALL)
    assert programs
    assert {f'data-origin="{prose.origin(iri)}"' in item for iri, item in programs} == {True}
    imports = html[html.index("Recent imports") : html.index("Relations by type")]
    times = re.findall(r"<time datetime=\"([^\"]+)\">([^<]+)</time>", imports)
    assert times
    for stamp, said in times:
        assert said.startswith(prose.day(stamp)) and not ISO_DAY.search(said), said


def test_graph_views_say_dates_in_words_and_the_details_panel_has_the_origin(client: TestClient) -> None:
    data = client.get("/view/data/network/unit/bde-7").json()
    reliance = next(e for e in data["edges"] if e["id"].endswith("relation/reliance-bde-7-gold"))
    assert "2017 – 2020" in reliance["title"] and not ISO_DAY.search(reliance["title"])
    assert not [e["title"] for e in data["edges"] if ISO_DAY.search(e["title"])]
    # on the canvas the years only: an edge does not carry its dates' precision, and a start given
    # to the year 2010 is stored as 2010-01-01, so no canvas label names a day
    subordination = next(e for e in data["edges"] if e["id"].endswith("relation/sub-bn-72-bde-7"))
    assert subordination["label"].endswith("\nsince 2010"), subordination["label"]  # recorded as ongoing: "since", not "from"
    assert not [e["label"] for e in data["edges"] if re.search(r"\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)", e["label"])]
    assert all("\nfictional" in n["title"] or "\nreal data" in n["title"] for n in data["nodes"])
    details = client.get("/view/data/node/program/vsspp").json()
    assert details["origin"] == {"key": "fictional", "label": "fictional", "title": prose.ORIGINS["fictional"].title}
    assert details["period"] and not ISO_DAY.search(details["period"])
    assert client.get("/view/data/node/https://w3id.org/actorgraph/id/program/ng-boyes").json()["origin"]["key"] == "real"


def test_browser_badges_say_what_the_server_badges_say() -> None:
    """shared.js repeats the badge words for lists the browser writes (vetting cases, the program
    vetting panel): they must not drift from prose.ORIGINS."""
    script = (STATIC / "shared.js").read_text(encoding="utf-8")
    for key, origin in prose.ORIGINS.items():
        assert f'{key}: ["{origin.label}", "{origin.title}"]' in script, key
