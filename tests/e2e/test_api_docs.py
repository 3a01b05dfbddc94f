"""The API documentation in a real browser: /docs (Swagger UI) and /redoc render from assets the
server itself serves, with no request leaving it, and /docs offers the Bearer key."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tests.e2e.conftest import Watch


def test_swagger_ui_renders_offline_with_an_authorize_button(page: Any, watch: Watch) -> None:
    assert page.goto("/docs").status == 200
    page.locator(".opblock-summary-path[data-path='/sparql']").first.wait_for(timeout=30_000)
    assert "ActorGraph" in page.locator(".information-container").first.inner_text()
    page.locator("button.authorize").first.click()
    dialog = page.locator(".auth-container").first
    dialog.wait_for()
    assert "Bearer" in dialog.inner_text()
    assert any(urlsplit(url).path.endswith("swagger-ui-bundle.js") for url in watch.requests)
    assert any(urlsplit(url).path == "/openapi.json" for url in watch.requests)


def test_redoc_renders_offline(page: Any, watch: Watch) -> None:
    assert page.goto("/redoc").status == 200
    page.locator("h1", has_text="ActorGraph").first.wait_for(timeout=30_000)
    page.locator("h2", has_text="SPARQL query (GET)").first.wait_for()
    assert any(urlsplit(url).path.endswith("redoc.standalone.js") for url in watch.requests)
