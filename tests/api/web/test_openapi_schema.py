"""What /openapi.json promises: a model for every JSON answer, each other media type a route can
send, and the 4xx answers as they come. The fuzz run (tests/api/web/fuzz) checks real answers
against these; this checks, in a second, that no route drops out of the promise."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.store import open_store

# Routes whose application/json is not one shape: JSON-LD graphs or SPARQL JSON results.
PROTOCOL_PATHS = {"/sparql", "/graph-store"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    client = TestClient(create_app(Settings(store=None), store=open_store(None)))
    body: dict[str, Any] = client.get("/openapi.json").json()
    return body


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]


def success(op: dict[str, Any]) -> dict[str, Any]:
    responses: dict[str, Any] = op["responses"]
    return dict(responses.get("200") or responses.get("201") or {})


def test_every_json_answer_has_a_model(schema: dict[str, Any]) -> None:
    missing = [
        f"{method.upper()} {path}"
        for path, method, op in operations(schema)
        if path not in PROTOCOL_PATHS and method != "head"
        and "application/json" in success(op).get("content", {})
        and not success(op)["content"]["application/json"].get("schema")
    ]  # fmt: skip
    assert missing == []


def test_the_other_media_types_are_declared(schema: dict[str, Any]) -> None:
    def media(path: str, method: str = "get") -> set[str]:
        return set(success(schema["paths"][path][method])["content"])

    assert {"application/json", "text/html", "text/csv", "application/pdf"} <= media("/vetting/{id}")
    assert {"application/json", "text/html", "text/csv", "application/pdf"} <= media("/programs/{id}/vetting", "post")
    assert {"application/json", "text/csv"} <= media("/vetting/screen", "post")
    assert {"application/sparql-results+json", "application/sparql-results+xml", "text/csv"} <= media("/queries/{name}")
    assert {"application/graphml+xml", "application/gexf+xml", "application/zip"} <= media("/actors/{id}/network")
    assert {"text/turtle", "application/sparql-results+json"} <= media("/sparql")


def test_every_operation_declares_its_errors_as_they_come(schema: dict[str, Any]) -> None:
    for path, method, op in operations(schema):
        for status, response in op["responses"].items():
            if status.startswith("4"):
                assert set(response["content"]) == {"application/json", "text/html", "text/plain"}, (method, path, status)
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
        assert "4XX" in op["responses"], (method, path)
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_an_error_matches_the_declared_error_body(schema: dict[str, Any]) -> None:
    """Both shapes of `detail` (a message, FastAPI's issues) are what ErrorBody admits."""
    client = TestClient(create_app(Settings(store=None), store=open_store(None)))
    message = client.get("/actors/unit/ghost").json()
    issues = client.get("/actors", params={"limit": 0}).json()
    properties = schema["components"]["schemas"]["ErrorBody"]["properties"]
    assert isinstance(message["detail"], str) and message["code"] == "not_found"
    assert isinstance(issues["detail"], list) and issues["detail"][0]["loc"][-1] == "limit"
    assert set(message) <= set(properties) and set(issues) <= set(properties)
