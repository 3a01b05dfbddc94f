"""What OpenAPI says beyond what FastAPI derives: the non-JSON answers, and the errors.

Routes that answer in several formats declare each media type with `responses=` (the helpers here),
so the schema names every Content-Type a client can get. `install` makes every operation declare
its 4xx answers as they really are: ActorGraph's JSON error (`ErrorBody`: a message or a list of
issues, and a code), a readable page for browsers, or plain text on the SPARQL protocol routes.
FastAPI's own 422 schema would wrongly promise a list of issues on every 422.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.web.models.base import ErrorBody

Responses = dict[int | str, dict[str, Any]]

TEXT: dict[str, Any] = {"schema": {"type": "string"}}
BINARY: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}
# SPARQL JSON results (a SELECT's head and bindings, or an ASK's boolean): only the shape every one has.
SPARQL_JSON: dict[str, Any] = {
    "schema": {
        "type": "object",
        "required": ["head"],
        "properties": {"head": {"type": "object"}, "results": {"type": "object"}, "boolean": {"type": "boolean"}},
    }
}
ERROR_MEDIA = ("text/html", "text/plain")


def also(description: str, media_types: Iterable[str], status: int = 200) -> Responses:
    """The other media types a JSON route's `status` answer may come in (CSV, HTML, PDF, ...)."""
    content = {media: (BINARY if media in ("application/pdf", "application/zip") else TEXT) for media in media_types}
    return {status: {"description": description, "content": content}}


# A vetting answer as JSON, or as a document: ?format= or the Accept header.
REPORT_FORMATS = also("The report as HTML, the findings as CSV, or the report as PDF", ["text/html", "text/csv", "application/pdf"])


def _error_response(definition: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    content.update({media: TEXT for media in ERROR_MEDIA})
    return {"description": definition.get("description", "A request the server refuses, with why"), "content": content}


def _declare_errors(schema: dict[str, Any]) -> None:
    """Every operation's 4xx: its own descriptions kept, the JSON error body and the other forms added."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            for status in [s for s in responses if s.startswith("4")]:
                responses[status] = _error_response(responses[status])
            responses.setdefault("4XX", _error_response({}))


def install(app: FastAPI) -> None:
    """Build the schema once, with the errors declared, when /openapi.json is first asked for."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, openapi_version=app.openapi_version, summary=app.summary,
                description=app.description, routes=app.routes, tags=app.openapi_tags, servers=app.servers,
                separate_input_output_schemas=app.separate_input_output_schemas,
            )
            error_schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(error_schema.pop("$defs", {}))
            components["ErrorBody"] = error_schema
            for unused in ("HTTPValidationError", "ValidationError"):
                components.pop(unused, None)
            _declare_errors(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
