"""The API docs pages name only local assets, and OpenAPI declares the Bearer scheme."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web import api_docs
from api.web.app import create_app
from graph.store import open_store


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(store=None), store=open_store(None)))


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_pages_load_only_local_assets_under_a_policy(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert not re.findall(r"(?:src|href)=\"https?://", response.text)
    assert "img-src 'self' data:" in response.headers["content-security-policy"]
    for asset in re.findall(r"(?:src|href)=\"(/[^\"]+)\"", response.text):
        assert client.get(asset).status_code == 200, asset


def test_swagger_ui_has_no_online_validator(client: TestClient) -> None:
    assert '"validatorUrl": null' in client.get("/docs").text


def test_the_redoc_bundle_asks_no_cdn(client: TestClient) -> None:
    served = client.get(api_docs.REDOC_JS)
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/javascript")
    assert api_docs.REDOC_LOGO.encode() not in served.content
    assert len(served.content) > 500_000  # the whole bundle, not a stub


def test_openapi_declares_the_bearer_scheme(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["Bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": api_docs_description(),
    }
    assert {"Bearer": []} in schema["paths"]["/sparql"]["get"]["security"]
    assert {"Bearer": []} in schema["paths"]["/update"]["post"]["security"]


def api_docs_description() -> str:
    from api.web.dependencies import BEARER

    return str(BEARER.model.description)


def test_openapi_declares_the_sparql_media_types(client: TestClient) -> None:
    from api.web import negotiation

    paths = client.get("/openapi.json").json()["paths"]
    for method in ("get", "post"):
        declared = set(paths["/sparql"][method]["responses"]["200"]["content"])
        assert declared == set(negotiation.SOLUTION_MEDIA_TYPES) | set(negotiation.GRAPH_MEDIA_TYPES)
        assert {"text/csv", "application/sparql-results+json", "text/turtle"} <= declared
    assert set(paths["/graph-store"]["get"]["responses"]["200"]["content"]) == set(negotiation.GRAPH_MEDIA_TYPES)
