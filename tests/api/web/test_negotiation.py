"""One negotiation rule for every route: the Accept header's q-values decide, the most specific
range wins, and a tie goes to the route's default."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from api.web.negotiation import PAGE_MEDIA_TYPES, SOLUTION_MEDIA_TYPES, choose
from graph.access import keys
from graph.ingest import setup
from graph.store import open_store

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("application/json, text/html;q=0.1", "json"),
        ("text/html;q=0.1, application/json", "json"),
        ("text/html;q=0.1, application/json;q=0.2", "json"),
        ("application/json;q=0.2, text/html;q=0.3", "html"),
        (BROWSER, "html"),
        ("text/*;q=0.5, text/html;q=0", "csv"),  # the exact range's q=0 outranks text/*
        ("*/*;q=0.1, text/csv", "csv"),
        ("text/csv, text/html", "html"),  # equal q: the table's order
        ("Text/HTML", "html"),
        ("text/csv;q=abc, application/json;q=0.5", "json"),  # a malformed q accepts nothing
        ("text/html;q=7, application/json;q=0.9", "html"),  # q above 1 counts as 1
        ("image/png", None),
        ("application/json;q=0, */*", "html"),
    ],
)
def test_choose_by_q_values(accept: str | None, expected: str | None) -> None:
    assert choose(accept, PAGE_MEDIA_TYPES) == expected


def test_sparql_results_follow_the_same_rule() -> None:
    assert choose("text/csv;q=0.9, application/sparql-results+xml", SOLUTION_MEDIA_TYPES) == "xml"
    assert choose("text/*", SOLUTION_MEDIA_TYPES) == "xml"  # text/xml is listed before text/csv
    assert choose("application/*;q=0.2, text/tab-separated-values;q=0.3", SOLUTION_MEDIA_TYPES) == "tsv"


@pytest.fixture(scope="module")
def client_and_key() -> tuple[TestClient, str]:
    store = open_store(None)
    setup.init_store(store, demo=True)
    token = keys.create_key(store, "analyst", "negotiation").token
    return TestClient(create_app(Settings(store=None), store=store)), token


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/json, text/html;q=0.1", "application/json"),
        ("text/html;q=0.9, application/json;q=0.2", "text/html"),
        ("text/csv;q=0.5, application/json;q=0.4", "text/csv"),
        (BROWSER, "text/html"),
    ],
)
def test_vetting_answers_what_the_q_values_ask(client_and_key: tuple[TestClient, str], accept: str, media: str) -> None:
    client, token = client_and_key
    response = client.get("/vetting/unit/bde-7?date=2025-06-01", headers={"Authorization": f"Bearer {token}", "Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)


def test_errors_are_json_unless_html_is_preferred(client_and_key: tuple[TestClient, str]) -> None:
    client, _ = client_and_key
    json_first = client.get("/vetting/unit/no-such-unit", headers={"Accept": "application/json, text/html;q=0.1"})
    assert json_first.headers["content-type"].startswith("application/json")
    browser = client.get("/pages/actors/unit/no-such-unit", headers={"Accept": BROWSER})
    assert browser.headers["content-type"].startswith("text/html")
