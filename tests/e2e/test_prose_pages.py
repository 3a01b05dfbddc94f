"""Pages that read like prose, in a real browser: the actor filters (type, country, level, sector,
real or fictional), the subject autocomplete from /actors?q= (paths, vetting report and vetting
cases pages), real and fictional data told apart by a badge, and dates in words in the graph
views. Expected values come from the JSON API, filtered here independently."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any
from urllib.parse import urlencode

from ontology.namespaces import FICTIONAL, SYNTHETIC
from tests.e2e.conftest import wait_for_graph


def get_json(url: str) -> Any:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}), timeout=30) as response:
        return json.load(response)


def listed(page: Any) -> list[str]:
    return [str(iri) for iri in page.locator("ol.hits li[data-iri]").evaluate_all("items => items.map(i => i.dataset.iri)")]


def total_shown(page: Any) -> int:
    return int(re.sub(r"[^0-9]", "", page.locator("[data-role=total]").inner_text().split(" ")[0]))


def is_fictional(iri: str) -> bool:
    return iri.startswith((FICTIONAL, SYNTHETIC))


def test_choosing_a_type_filters_the_list_as_the_api_does(page: Any, server: str) -> None:
    page.goto("/pages/search")
    with page.expect_navigation():
        page.select_option("select[name=type]", "MilitaryUnit")
    assert "type=MilitaryUnit" in page.url
    expected = get_json(f"{server}/actors?type=MilitaryUnit&limit=25")
    assert total_shown(page) == expected["total"]
    assert listed(page) == [hit["id"] for hit in expected["results"]]


def test_level_sector_and_country_menus_match_the_api(page: Any, server: str) -> None:
    for name in ("level", "sector", "country"):
        page.goto("/pages/search")
        values = page.locator(f"select[name={name}] option").evaluate_all("options => options.map(o => o.value).filter(Boolean)")
        assert values, f"the {name} menu lists values"
        with page.expect_navigation():
            page.select_option(f"select[name={name}]", values[0])
        expected = get_json(f"{server}/actors?{urlencode({name: values[0], 'limit': 25})}")
        assert expected["total"] > 0
        assert total_shown(page) == expected["total"]
        assert listed(page) == [hit["id"] for hit in expected["results"]]


def test_real_or_fictional_filter_and_badges(page: Any, server: str) -> None:
    everything = get_json(f"{server}/actors?type=MilitaryUnit&limit=500")["results"]
    fictional = [hit["id"] for hit in everything if is_fictional(hit["id"])]
    real = [hit["id"] for hit in everything if not is_fictional(hit["id"])]
    assert fictional and real, "the demo data has real and fictional units"
    page.goto("/pages/search?type=MilitaryUnit")
    with page.expect_navigation():
        page.select_option("select[name=data]", "fictional")
    assert total_shown(page) == len(fictional)
    assert listed(page) == fictional[:25]
    origins = page.locator("ol.hits [data-origin]").evaluate_all("badges => badges.map(b => b.dataset.origin)")
    assert origins and set(origins) == {"fictional"}
    page.goto("/pages/search?type=MilitaryUnit&data=real")
    assert total_shown(page) == len(real)
    assert set(page.locator("ol.hits [data-origin]").evaluate_all("badges => badges.map(b => b.dataset.origin)")) == {"real"}


def test_program_list_tells_real_from_fictional(page: Any, server: str) -> None:
    programs = get_json(f"{server}/programs?limit=500")["programs"]
    fictional = {p["id"] for p in programs if is_fictional(p["id"])}
    page.goto("/pages/programs")
    page.click("[data-role=origin-filter] a[href$='data=fictional']")
    rows = page.locator("tbody tr[data-iri]").evaluate_all("rows => rows.map(r => r.dataset.iri)")
    assert set(rows) == fictional
    assert set(page.locator("tbody [data-origin]").evaluate_all("b => b.map(x => x.dataset.origin)")) == {"fictional"}


def test_subject_field_suggests_actors_and_the_suggestion_finds_paths(page: Any, server: str) -> None:
    expected = get_json(f"{server}/actors?q=Brigada&limit=8")["results"]
    assert any(hit["id"] == FICTIONAL + "unit/bde-7" for hit in expected)
    page.goto("/view/paths")
    page.locator("input[name=from]").press_sequentially("Brigada", delay=20)
    page.wait_for_function("document.querySelector('input[name=from]').dataset.suggested !== undefined", timeout=10_000)
    options = page.locator("#" + page.get_attribute("input[name=from]", "list") + " option")
    values = options.evaluate_all("o => o.map(x => x.value)")
    labels = options.evaluate_all("o => o.map(x => x.label)")
    assert len(values) == len(expected)
    assert "fictional/unit/bde-7" in values
    assert any(label.startswith(hit["label"]) for hit in expected for label in labels)
    page.fill("input[name=from]", "fictional/unit/bde-7")
    page.fill("input[name=to]", "program/vsspp")
    with page.expect_navigation():
        page.click("form[action='/view/paths'] button[type=submit]")
    page.wait_for_function("window.actorGraphView && window.actorGraphView.ready()", timeout=15_000)
    drawn = set(page.evaluate("window.actorGraphView.visibleNodeIds()"))
    assert {FICTIONAL + "unit/bde-7", FICTIONAL + "program/vsspp"} <= drawn


def suggestions(page: Any, field: str, typed: str) -> tuple[list[str], list[str]]:
    """Type into a subject field and wait for its suggestions: their values and labels."""
    page.locator(field).press_sequentially(typed, delay=20)
    page.wait_for_function(f"document.querySelector({json.dumps(field)}).dataset.suggested !== undefined", timeout=10_000)
    options = page.locator("#" + page.get_attribute(field, "list") + " option")
    return options.evaluate_all("o => o.map(x => x.value)"), options.evaluate_all("o => o.map(x => x.label)")


def test_vetting_report_subject_field_suggests_actors_and_the_suggestion_is_vetted(page: Any, server: str) -> None:
    expected = get_json(f"{server}/actors?q=Brigada&limit=8")["results"]
    page.goto("/pages/vetting/report")
    field = "form[action='/pages/vetting/report'] input[name=subject]"
    values, labels = suggestions(page, field, "Brigada")
    assert len(values) == len(expected) > 0
    assert "fictional/unit/bde-7" in values
    assert any(label.startswith(hit["label"]) for hit in expected for label in labels)
    page.fill(field, "fictional/unit/bde-7")
    with page.expect_navigation():
        page.click("form[action='/pages/vetting/report'] button[type=submit]")
    assert page.locator("#vetting-report").get_attribute("data-subject") == "fictional/unit/bde-7"


def test_vetting_cases_subject_fields_suggest_actors(page: Any, server: str) -> None:
    expected = get_json(f"{server}/actors?q=Mountain&limit=8")["results"]
    page.goto("/pages/vetting/cases")
    for field in ("#case-filter input[name=subject]", "#case-form input[name=subject]"):
        values, _ = suggestions(page, field, "Mountain")
        assert values and len(values) == len(expected), field


def test_graph_details_panel_shows_the_origin_and_the_status_line_a_date_in_words(page: Any) -> None:
    page.goto("/view/actors/unit/bde-7?at=2015-06-01")
    wait_for_graph(page)
    assert page.locator("[data-role=status]").inner_text().split(" at ")[1].startswith("1 June 2015")
    position = page.evaluate("(iri) => window.actorGraphView.positionOf(iri)", FICTIONAL + "unit/bde-7")
    box = page.locator(".graph-canvas").bounding_box()
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    page.locator("[data-role=details-title]").wait_for()
    badge = page.locator("[data-role=details] [data-origin]")
    assert badge.get_attribute("data-origin") == "fictional" and badge.inner_text() == "fictional"
