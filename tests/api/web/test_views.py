"""Graph views and pages through the app (no browser): what the views hold, escaping, errors.

The browser tests in tests/e2e show the same pages drawn and clicked in Chromium; these check the
server side quickly against an in-memory demo store plus the script-payload fixture.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import dates
from api.settings import Settings
from api.web.app import create_app
from api.web.pages.ontology_diagram import relation_diagram, role_edges
from api.web.pages.ontology_sections import domain_sections, store_section
from api.web.pages.ontology_terms import ontology_doc
from api.web.views import safety, styling
from api.web.views.graph_view import LABEL_CHARS, short_label
from graph.index.cache import terms_for
from graph.ingest import loader, setup
from graph.query import sparql
from graph.store import EmbeddedStore, open_store
from graph.tracing.network import network
from ontology.namespaces import AG

F = "https://w3id.org/actorgraph/fictional/id/"
XSS = Path(__file__).resolve().parents[2] / "e2e" / "fixtures" / "xss.ttl"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    """The demo data and the fictional script payloads (loaded trusted: SHACL refuses their
    javascript: source URL, and the pages must be safe for data that bypassed validation)."""
    demo = open_store(None)
    setup.init_store(demo, demo=True)
    loader.load_file(demo, XSS, graph="xss", trusted=True)
    return demo


@pytest.fixture(scope="module")
def client(store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=None), store=store)) as test_client:
        yield test_client


def embedded_data(html: str) -> dict[str, Any]:
    block = html.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
    return json.loads(block)


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


# -- escaping -------------------------------------------------------------------------------


def test_text_escapes_markup_and_drops_control_characters() -> None:
    assert safety.text('<img src=x onerror="a()">') == "&lt;img src=x onerror=&quot;a()&quot;&gt;"
    assert safety.text("Ahl al-Sunna & 'friends'") == "Ahl al-Sunna &amp; &#x27;friends&#x27;"
    assert safety.text("a\x00b\x1bc") == "abc"
    assert safety.text(None) == ""
    assert len(safety.text("x" * 2000)) == safety.MAX_TEXT


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/report.pdf", "https://example.org/report.pdf"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        (" javascript:alert(1)", None),
        ("java\x00script:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.example/x", None),
        ("", None),
        (None, None),
    ],
)
def test_only_http_urls_become_links(url: str | None, expected: str | None) -> None:
    assert safety.safe_url(url) == expected


def test_page_links_percent_encode_the_iri() -> None:
    assert safety.page_href("actor", F + "unit/bde-7") == "/pages/actors/https://w3id.org/actorgraph/fictional/id/unit/bde-7"
    assert safety.page_href("actor", 'javascript:alert("x")#<b>') == "/pages/actors/javascript:alert%28%22x%22%29%23%3Cb%3E"
    assert safety.page_href("incident", F + "incident/x") == "/pages/actors/https://w3id.org/actorgraph/fictional/id/incident/x"
    assert safety.page_href("source", F + "source/x") is None
    assert safety.view_href("program", F + "program/vsspp") == "/view/programs/https://w3id.org/actorgraph/fictional/id/program/vsspp"


def test_no_string_in_a_view_carries_markup(client: TestClient) -> None:
    data = client.get("/view/data/network/group/xss-militia?depth=2").json()
    found = list(strings(data))
    assert any("&lt;script&gt;window.__xss" in s for s in found)
    assert not any("<" in s or ">" in s for s in found)
    details = client.get("/view/data/node/group/xss-militia").json()
    found = list(strings(details))
    assert not any("<" in s or ">" in s for s in found)
    urls = [s["url"] for g in details["groups"] for r in g["relations"] for s in r["sources"]]
    assert urls and all(url is None for url in urls)  # the javascript: source URL is no link


@pytest.mark.parametrize(
    "path",
    [
        "/pages/actors/group/xss-militia",
        "/view/actors/group/xss-militia",
        "/view/actors/unit/bde-7",
        "/pages/search?q=xss",
        "/pages/actors/unit/bde-7",
    ],
)
def test_pages_never_contain_a_payload_as_markup(client: TestClient, path: str) -> None:
    html = client.get(path, headers=HTML).text
    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html
    assert 'href="javascript' not in html.lower()
    assert "<svg onload" not in html


# -- what views hold ------------------------------------------------------------------------


def test_actor_view_holds_the_traced_network(client: TestClient, store: EmbeddedStore) -> None:
    html = client.get("/view/actors/unit/bde-7?depth=2", headers=HTML).text
    data = embedded_data(html)
    dataset = sparql.dataset_for(store)
    expected = network(store, dataset, F + "unit/bde-7", depth=2)
    assert {n["id"] for n in data["nodes"]} == {n.id for n in expected.nodes}
    assert {e["id"] for e in data["edges"]} == {e.id for e in expected.edges}
    assert data["center"] == F + "unit/bde-7" and data["depth"] == 2 and data["filterMode"] == "client"
    assert data["dateRange"][0] <= "2010-01-01"


def test_edges_are_dashed_exactly_when_alleged_or_low_confidence(client: TestClient) -> None:
    data = client.get("/view/data/network/unit/bde-7?depth=2").json()
    assert data["edges"]
    for edge in data["edges"]:
        assert edge["dashes"] == (edge.get("status") == "alleged" or edge.get("confidence") == "low")
    assert any(e["dashes"] for e in data["edges"]) and not all(e["dashes"] for e in data["edges"])


def test_nodes_are_coloured_and_shaped_by_category(client: TestClient, store: EmbeddedStore) -> None:
    data = client.get("/view/data/network/unit/bde-7?depth=2").json()
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id[F + "unit/bde-7"]["category"] == "security"
    assert by_id[F + "unit/bde-7"]["shape"] == "square"
    assert by_id[F + "group/xss-militia"]["category"] == "armed"
    assert by_id[F + "program/vsspp"]["category"] == "program"
    legend = {item["key"] for item in data["legend"]}
    assert legend == {n["category"] for n in data["nodes"]}
    terms = terms_for(store, sparql.dataset_for(store))
    assert styling.category(terms, ["CommunityMilitia"]).key == "armed"  # through Militia < NonStateArmedGroup
    assert styling.category(terms, ["TraditionalAuthority"]).key == "religious"


def test_large_networks_are_cut_and_say_so(client: TestClient) -> None:
    data = client.get("/view/data/network/unit/bde-7?depth=3&limit=20").json()
    assert len(data["nodes"]) == 20 and data["truncated"]
    assert "narrow" in data["notice"].lower()
    assert client.get("/view/data/network/unit/bde-7?limit=100000").status_code == 422


def test_a_cut_view_filters_on_the_server(client: TestClient, store: EmbeddedStore) -> None:
    html = client.get("/view/actors/unit/bde-7?depth=3&limit=30&at=2015-01-01", headers=HTML).text
    data = embedded_data(html)
    assert data["filterMode"] == "server"
    expected = network(store, sparql.dataset_for(store), F + "unit/bde-7", depth=3, at=date(2015, 1, 1), max_nodes=30)
    assert {n["id"] for n in data["nodes"]} == {n.id for n in expected.nodes}


def test_program_view_labels_roles_and_points_to_the_vetting(client: TestClient) -> None:
    data = embedded_data(client.get("/view/programs/program/vsspp", headers=HTML).text)
    assert data["vettingUrl"] == "/programs/https://w3id.org/actorgraph/fictional/id/program/vsspp/vetting"
    labels = " ".join(e["label"] for e in data["edges"])
    assert "(trainer)" in labels or "(beneficiary)" in labels
    assert {t["type"] for t in data["relationTypes"]} >= {"Partnership", "Targeting", "Funding"}


def test_paths_and_query_views(client: TestClient) -> None:
    data = embedded_data(client.get("/view/paths?from=unit/bde-7&to=program/vsspp", headers=HTML).text)
    assert {F + "unit/bde-7", F + "program/vsspp"} <= {n["id"] for n in data["nodes"]}
    data = embedded_data(client.get("/view/query?name=ddr_integrations", headers=HTML).text)
    assert data["kind"] == "query" and len(data["nodes"]) > 2 and data["edges"]
    posted = client.post(
        "/view/query",
        data={"query": "PREFIX ag: <https://w3id.org/actorgraph/ontology#> CONSTRUCT { ?c ag:subOrganizationOf ?p } WHERE { ?c ag:subOrganizationOf ?p }"},
        headers=HTML,
    )
    assert posted.status_code == 200
    assert len(embedded_data(posted.text)["edges"]) > 10


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 403, "admin"),
        ("CONSTRUCT WHERE { ?s ?p", 400, "syntax"),
        ("ASK { ?s ?p ?o }", 422, "ASK"),
        ("", 400, "empty"),
    ],
)
def test_posted_query_views_follow_the_endpoint_rules(client: TestClient, query: str, status: int, words: str) -> None:
    response = client.post("/view/query", data={"query": query}, headers=HTML)
    assert response.status_code == status
    message = re.search(r'class="error">(.*?)</p>', response.text, re.DOTALL).group(1)
    assert words.lower() in message.lower()


def test_view_errors_are_readable_pages(client: TestClient) -> None:
    for path, status in [("/view/actors/unit/none-such", 404), ("/view/actors/unit/bde-7?at=2015-13-01", 422), ("/view/actors/unit/bde-7?types=Spaceship", 422), ("/view/programs/unit/bde-7", 404)]:
        response = client.get(path, headers=HTML)
        assert response.status_code == status, path
        assert 'class="error"' in response.text and "Traceback" not in response.text


def test_vendor_serves_only_the_vis_network_files(client: TestClient) -> None:
    script = client.get("/vendor/vis-network.min.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert client.get("/vendor/vis-network.css").status_code == 200
    assert client.get("/vendor/template.html").status_code == 404
    assert client.get("/vendor/..%2F..%2Fnetwork.py").status_code == 404


def test_graph_pages_load_nothing_from_elsewhere(client: TestClient) -> None:
    for path in ["/view/actors/unit/bde-7", "/pages/actors/unit/bde-7", "/query", "/", "/ontology"]:
        html = client.get(path, headers=HTML).text
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        loaded = [s for s in sources if s.endswith((".js", ".css"))]
        assert loaded and all(s.startswith("/") for s in loaded), path
        assert "cdn" not in html.lower() and "unpkg" not in html.lower()


# -- pages ----------------------------------------------------------------------------------


def test_search_page_ignores_accents(client: TestClient) -> None:
    html = client.get("/pages/search?q=Brigada+Serra", headers=HTML).text
    assert "7th Mountain Brigade (Veldoria)" in html and "Brigada Sêrra" in html


def test_home_page_adds_search_programs_and_recent_imports(client: TestClient) -> None:
    html = client.get("/", headers=HTML).text
    assert 'action="/pages/search"' in html
    assert "/pages/programs/https://w3id.org/actorgraph/fictional/id/program/" in html
    assert "Recent imports" in html and ">xss<" in html.replace(" ", "")
    assert "/pages/search?type=MilitaryUnit" in html


def test_actor_and_program_pages(client: TestClient) -> None:
    html = client.get("/pages/actors/unit/bn-72", headers=HTML).text
    for expected in ("Karst Battalion", "Subordination", "Timeline", "Incidents", "Programs", 'data-url="/vetting/'):
        assert expected in html
    html = client.get("/pages/programs/program/vsspp", headers=HTML).text
    assert "Implementers" in html and "Targets" in html and html.count("data-actor=") >= 20


def test_ontology_pages_document_every_term_once(client: TestClient) -> None:
    doc = ontology_doc()
    domain = client.get("/ontology", headers=HTML).text
    store = client.get("/ontology/store", headers=HTML).text
    for html in (domain, store):
        ids = re.findall(r'\bid="([^"]+)"', html)
        assert len(ids) == len(set(ids))
    for term in (*doc.classes, *doc.properties, *doc.schemes):
        own, other = (store, domain) if term.iri in doc.store_terms else (domain, store)
        assert f'<article class="term" id="{term.anchor}"' in own and f'<article class="term" id="{term.anchor}"' not in other
    # A store term's fragment on the domain page leads on to its own page.
    assert '<li id="ApiKey"><a href="/ontology/store#ApiKey">' in domain
    military = next(c for c in doc.classes if c.anchor == "MilitaryUnit")
    assert "https://w3id.org/actorgraph/ontology#SecurityForceUnit" in military.supers
    commander = next(p for p in doc.properties if p.anchor == "commander")
    assert commander.domains == ["https://w3id.org/actorgraph/ontology#Command"] and "functional" in commander.characteristics
    confidence = next(s for s in doc.schemes if s.anchor == "ConfidenceScheme")
    assert {c.label for c in confidence.concepts} == {"low", "medium", "high"}


def test_ontology_page_parts_follow_the_class_tree(client: TestClient) -> None:
    doc = ontology_doc()
    parts = {s.part.anchor: s for s in domain_sections(doc)}
    assert {"actors", "programs", "relations", "incidents", "sources"} <= set(parts)
    assert AG + "MilitaryUnit" in {c.iri for c in parts["actors"].classes}  # two levels below Actor
    assert AG + "Delisting" in {c.iri for c in parts["relations"].classes}
    assert AG + "commander" in {p.iri for p in parts["relations"].properties}  # by its domain, Command
    assert AG + "ApiKey" not in {c.iri for s in parts.values() for c in s.classes}
    assert AG + "ApiKey" in {c.iri for c in store_section(doc).classes}
    html = client.get("/ontology", headers=HTML).text
    contents = html.split('id="contents"', 1)[1].split("</nav>", 1)[0]
    for anchor in ("diagram", *parts, "schemes"):
        assert f'href="#{anchor}"' in contents and f'id="{anchor}"' in html


def test_ontology_diagram_draws_each_relation_with_its_roles() -> None:
    doc = ontology_doc()
    edges = {(e.relation, e.prop, e.target) for e in role_edges(doc)}
    assert (AG + "Command", AG + "commander", AG + "Person") in edges
    assert (AG + "Subordination", AG + "parentUnit", AG + "Organization") in edges
    assert all(not e.relation.endswith("#Relation") for e in role_edges(doc))
    svg = relation_diagram(doc)
    assert svg.startswith("<svg") and svg.count('class="relation"') == len({e.relation for e in role_edges(doc)})
    assert '<a href="#Command">' in svg and "<title>commander</title>" in svg


def test_sparql_page_offers_the_library(client: TestClient) -> None:
    html = client.get("/query?name=programs", headers=HTML).text
    assert 'id="yasgui"' in html and 'value="programs" selected' in html
    library = json.loads(html.split('id="library-data">', 1)[1].split("</script>", 1)[0])
    assert any(q["name"] == "chain_of_command" and q["params"] for q in library)


def test_clean_date_keeps_the_day_of_a_date_time_and_refuses_words() -> None:
    assert dates.clean_date("2014-03-01T00:00:00Z") == "2014-03-01"
    assert dates.clean_date("March 2014") is None


@pytest.mark.parametrize(
    ("label", "short"),
    [
        ("Veldorian Coalition for Civilian Protection", "Veldorian Coalition for…Protection"),
        ("Coalition of Women Mediators in Fishing Community 7", "Coalition of Women Mediators…Community 7"),
        ("Coalition of Women Mediators in Fishing Community 12", "Coalition of Women…Community 12"),
        ("x" * 60, "x" * 25 + "…" + "x" * 14),
    ],
)
def test_long_labels_are_cut_in_the_middle_and_keep_their_ends(label: str, short: str) -> None:
    assert short_label(label) == short
    assert len(short_label(label)) <= LABEL_CHARS


def test_labels_up_to_the_limit_are_kept_whole() -> None:
    exact = "y" * LABEL_CHARS
    assert short_label(exact) == exact
    assert short_label("2nd Battalion") == "2nd Battalion"
    assert short_label(exact + "z") != exact + "z"
