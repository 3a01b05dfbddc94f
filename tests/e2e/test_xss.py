"""Script payloads in labels, aliases and sources never run, on any page or view.

fixtures/xss.ttl names a militia `<script>window.__xss=true</script>Xss Militia`, gives it aliases
such as `<img src=x onerror=...>` and `</script><script>...`, names an illicit network
`javascript:window.__xss=true`, and cites a source whose title, publisher and URL are payloads
(`javascript:` URL included). The militia is allied with the 7th Mountain Brigade, so the payloads
appear in that brigade's views too. If any payload ran it would set window.__xss or open a
dialog; the `page` fixture fails on a dialog, these tests on window.__xss. Each test also checks
that the payload is *shown* as text, so escaping does not simply hide the data.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Watch, wait_for_graph
from tests.e2e.test_graph_views import click_node

F = "https://w3id.org/actorgraph/fictional/id/"
MILITIA = F + "group/xss-militia"
NETWORK = F + "group/xss-network"
MILITIA_LABEL = "<script>window.__xss=true</script>Xss Militia"


def assert_no_xss(page: Any, watch: Watch) -> None:
    page.wait_for_timeout(300)  # give an injected onerror or onload handler time to fire
    assert page.evaluate("window.__xss === undefined"), "a payload ran"
    assert not watch.dialogs


def test_actor_view_with_payload_neighbours(page: Any, watch: Watch) -> None:
    page.goto("/view/actors/unit/bde-7")
    wait_for_graph(page)
    assert MILITIA in page.evaluate("window.actorGraphView.visibleNodeIds()")
    labels = page.evaluate("window.actorGraphView.page.nodeSet.get().map(n => n.label)")
    assert any(label.startswith("<script>window.__xss") for label in labels)  # drawn as text
    page.mouse.move(10, 10)
    click_node(page, MILITIA)
    title = page.locator("[data-role=details-title]")
    title.wait_for()
    assert title.inner_text() == MILITIA_LABEL
    details = page.locator("[data-role=details]").inner_text()
    assert '<img src=x onerror="window.__xss=true;alert(1)">' in details
    assert "javascript:window.__xss=true" in details
    # The source's javascript: URL never becomes a link.
    assert page.locator("[data-role=details] a[href^='javascript']").count() == 0
    assert_no_xss(page, watch)


def test_payload_actor_is_the_centre_of_its_own_view(page: Any, watch: Watch) -> None:
    page.goto("/view/actors/group/xss-militia?depth=2")
    wait_for_graph(page)
    assert page.title().startswith("<script>")  # the page title shows the name as text
    assert page.locator("h1").inner_text() == MILITIA_LABEL
    click_node(page, NETWORK, double=True)
    page.wait_for_function("document.querySelector('[data-graph]').getAttribute('data-expanded') === '1'")
    assert_no_xss(page, watch)


def test_actor_page_and_search_show_payloads_as_text(page: Any, watch: Watch) -> None:
    page.goto("/pages/actors/group/xss-militia")
    assert page.locator("h1").inner_text() == MILITIA_LABEL
    aliases = page.locator("[data-role=aliases]").inner_text()
    assert "</script><script>window.__xss=true</script>" in aliases
    assert page.locator("a[href^='javascript']").count() == 0
    assert "<img src=x onerror=" in page.locator("ul.sources").first.inner_text()
    wait_for_graph(page)
    assert_no_xss(page, watch)
    page.goto("/pages/search?q=xss")
    assert MILITIA_LABEL in page.locator("ol.hits").inner_text()
    page.goto("/pages/search?q=" + "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert_no_xss(page, watch)


def test_sparql_page_and_query_view_show_payloads_as_text(page: Any, watch: Watch) -> None:
    page.goto("/query")
    page.locator(".tabPanel.active .CodeMirror").wait_for()
    page.evaluate(
        "(text) => window.actorGraphYasgui.getTab().getYasqe().setValue(text)",
        "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        'FILTER(CONTAINS(STR(?label), "xss")) }',
    )
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.locator(".tabPanel.active .yasr table.dataTable tbody tr").first.wait_for()
    assert MILITIA_LABEL in page.locator(".tabPanel.active .yasr table.dataTable").inner_text()
    assert_no_xss(page, watch)
    page.goto("/view/query")
    page.fill(
        "textarea[name=query]",
        "PREFIX ag: <https://w3id.org/actorgraph/ontology#> "
        "CONSTRUCT { ?a ag:reliesOn ?b . ?a <http://www.w3.org/2000/01/rdf-schema#label> ?l } "
        "WHERE { ?r ag:reliantActor ?a ; ag:economicPartner ?b . ?a <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
    )
    page.click("form[action='/view/query'][method=post] button[type=submit]")
    wait_for_graph(page)
    assert MILITIA in page.evaluate("window.actorGraphView.visibleNodeIds()")
    assert_no_xss(page, watch)


def test_json_embedded_in_pages_cannot_close_its_script_element(server: str) -> None:
    """The view's JSON sits in a <script type=application/json>; a `</script>` inside a value
    would end it early. Values are HTML-escaped before they go into the JSON (api.web.views.safety),
    and Jinja's tojson then writes <, > and & as \\u003c, \\u003e and \\u0026."""
    import urllib.request

    with urllib.request.urlopen(server + "/view/actors/group/xss-militia", timeout=10) as response:
        html = response.read().decode("utf-8")
    data_block = html.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block and ">" not in data_block
    assert "\\u0026lt;script\\u0026gt;window.__xss" in data_block
