"""The HTML pages in a real browser: they render with a header and navigation at laptop widths,
search ignores accents, the SPARQL page runs and downloads, errors read as messages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Watch, artifact, wait_for_graph

PAGES = [
    ("/", "Who is linked to whom"),
    ("/pages/search", "Actors"),
    ("/pages/search?q=brigade", "Actors"),
    ("/pages/actors/unit/bde-7", "7th Mountain Brigade (Veldoria)"),
    ("/pages/actors/incident/serra-alta-burning", None),
    ("/pages/programs", "Programs"),
    ("/pages/programs/program/vsspp", "Veldoria Security Sector Professionalisation Programme"),
    ("/view/paths", "How are two actors linked?"),
    ("/view/query", "Draw a query as a graph"),
    ("/pages/vetting", "Vetting"),
    ("/pages/vetting/report?subject=unit/bn-72", "Vetting report"),
    ("/query", "SPARQL"),
    ("/ontology", "The ActorGraph ontology"),
    ("/ontology/store", "The store's own terms"),
]


@pytest.mark.parametrize("width", [1280, 1024])
@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_pages_render_with_header_and_fit_a_laptop(page: Any, path: str, heading: str | None, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(path)
    assert response.status == 200, path
    assert page.locator("header.site nav a").count() >= 6
    h1 = page.locator("h1").first.inner_text()
    if heading:
        assert h1.startswith(heading)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"


def test_search_finds_an_actor_by_an_alias_without_its_accent(page: Any) -> None:
    page.goto("/")
    page.fill("input[name=q]", "Brigada Serra")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/pages/search?q=Brigada+Serra")
    first = page.locator("ol.hits li").first
    assert "7th Mountain Brigade (Veldoria)" in first.inner_text()
    assert "Brigada Sêrra" in first.locator(".badge.matched").inner_text()  # which alias matched
    first.locator("a").first.click()
    page.wait_for_url("**/pages/actors/**")
    assert page.locator("h1").inner_text() == "7th Mountain Brigade (Veldoria)"
    wait_for_graph(page)


def test_actor_page_lists_relations_timeline_programs_and_its_network(page: Any) -> None:
    page.goto("/pages/actors/unit/bn-72")
    text = page.locator("main").inner_text()
    for section in ("Profile", "Network", "Relations", "Timeline", "Incidents", "Programs", "Vetting"):
        assert section in text
    assert page.locator("ul.timeline li").count() > 3
    assert page.locator("table ul.sources li").count() > 0
    wait_for_graph(page)
    assert page.evaluate("window.actorGraphView.nodeCount()") > 3


def test_program_page_lists_partners_by_role(page: Any) -> None:
    page.goto("/pages/programs/program/vsspp")
    headings = page.locator("main h3").all_inner_texts()
    assert any(h.startswith("Implementers") for h in headings)
    assert any(h.startswith("Targets") for h in headings)
    assert page.locator("tr[data-actor]").count() >= 20
    wait_for_graph(page)


def test_readable_errors_not_tracebacks(page: Any) -> None:
    for path, status in [("/pages/actors/unit/nothing-here", 404), ("/pages/programs/unit/bde-7", 404), ("/pages/search?type=Spaceship", 422)]:
        response = page.goto(path)
        assert response.status == status, path
        message = page.locator("p.error").inner_text()
        assert message and "Traceback" not in page.content()


def test_ontology_page_anchors_every_term_by_its_fragment(page: Any) -> None:
    page.goto("/ontology#MilitaryUnit")
    term = page.locator("#MilitaryUnit")
    assert "Military unit" in term.inner_text()
    assert "Security-force unit" in term.inner_text()  # its superclass
    assert page.locator("#commander").count() == 1
    assert "Command" in page.locator("#commander").inner_text()  # domain
    assert page.locator("#ConfidenceScheme").count() == 1
    assert page.locator("#LowConfidence").count() == 1
    ids = page.evaluate("Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
    assert len(ids) == len(set(ids))


def test_home_page_screenshot_and_links_into_the_graph(page: Any) -> None:
    page.goto("/")
    assert page.locator("a[href^='/pages/programs/']").count() > 5
    assert page.locator("a[href^='/pages/search?type=']").count() > 5
    assert "fictional" in page.locator("main").inner_text()  # recent imports
    page.screenshot(path=str(artifact("home.png")), full_page=False)


def test_no_request_leaves_localhost(page: Any, watch: Watch) -> None:
    """Every page and view, with their scripts, styles and fetches, stays on this server."""
    for path in ["/", "/view/actors/unit/bde-7?depth=2", "/view/programs/program/vsspp", "/pages/actors/unit/bde-7", "/query", "/ontology", "/pages/vetting"]:
        page.goto(path)
        if "view" in path or "actors" in path:
            wait_for_graph(page)
    assert len(watch.requests) > 20
    assert any(url.endswith("/vendor/vis-network.min.js") for url in watch.requests)
    assert watch.outside() == []
