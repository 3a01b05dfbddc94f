"""The one mapping from errors to HTTP answers, registered on the app by `install`.

Every error ActorGraph raises derives from graph.errors.ActorGraphError and carries its status, so
routes raise and never build error responses. The answer's form depends on who asks:
- API clients get JSON, `{"detail": ..., "code": ...}`, as FastAPI's own errors look;
- a browser (Accept: text/html) gets the readable error page;
- the SPARQL protocol routes (api.web.protocol.ProtocolRoute) answer in plain text with the
  message, as SPARQL clients expect. What every route checks the same way (the key, the role,
  the body's size: `every_route`) answers in JSON there too, and so do shape violations, whose
  list needs structure.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.web import negotiation
from api.web.templating import templates
from graph.errors import ActorGraphError, BadRequestError, ForbiddenError, InvalidValueError, UnauthorizedError
from graph.ingest.loader import ShapeViolations

log = logging.getLogger("actorgraph.web")


class RoleRequired(ForbiddenError):
    """The caller's key carries a role below what the route needs; answered alike on every route."""

    every_route = True


class KeyRequired(UnauthorizedError):
    """An anonymous caller on a route that needs a role: a 401 with its WWW-Authenticate challenge,
    since sending a key is what would help (a 403 is for a key whose role is too low)."""

    every_route = True


def sparql_syntax_error(error: SyntaxError) -> BadRequestError:
    """The engine's parse error as the 400 a client gets, with the parser's message."""
    return BadRequestError(f"SPARQL syntax error: {error.args[0] if error.args else error}")


def detail_of(error: ActorGraphError) -> Any:
    """The message; a 422 that names a request parameter is shaped like FastAPI's own
    validation errors, so a client reads every 422 the same way."""
    parameter = getattr(error, "parameter", None)
    if isinstance(error, InvalidValueError) and isinstance(parameter, str):
        where = "path" if parameter == "id" else "query"
        message = getattr(error, "message", None) or str(error)
        return [{"loc": [where, parameter], "msg": message, "type": "value_error"}]
    if isinstance(error, ShapeViolations):
        return str(error).splitlines()[0]
    return str(error)


def json_answer(error: ActorGraphError) -> JSONResponse:
    """The JSON answer, also what the request-body middlewares send before the app runs."""
    body: dict[str, Any] = {"detail": detail_of(error), "code": error.code}
    if isinstance(error, ShapeViolations):
        body["violations"] = [str(violation) for violation in error.violations]
    return JSONResponse(body, status_code=error.status, headers=dict(error.headers))


def _wants_html(request: Request) -> bool:
    return negotiation.choose(request.headers.get("accept"), negotiation.PAGE_MEDIA_TYPES) == "html"


def _plain_text_route(request: Request) -> bool:
    return bool(getattr(request.scope.get("route"), "plain_text_errors", False))


def _page(request: Request, status: int, detail: object, headers: Mapping[str, str] | None = None) -> Response:
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "detail": detail}, status_code=status, headers=dict(headers or {})
    )


async def actorgraph_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ActorGraphError)
    if error.status >= 500:  # the server's fault, not the client's: worth an operator's look
        log.warning("%s %s: %s %s", request.method, request.url.path, error.status, error)
    if _plain_text_route(request):
        if isinstance(error, (UnauthorizedError, ShapeViolations)) or getattr(error, "every_route", False):
            return json_answer(error)
        return PlainTextResponse(str(error), status_code=error.status, headers=dict(error.headers))
    if _wants_html(request):
        return _page(request, error.status, str(error), error.headers)
    return json_answer(error)


async def syntax_error(request: Request, error: Exception) -> Response:
    """The engine's SyntaxError for a query or update text that does not parse."""
    assert isinstance(error, SyntaxError)
    return await actorgraph_error(request, sparql_syntax_error(error))


async def http_error(request: Request, error: Exception) -> Response:
    """Starlette's own errors (no such route, method not allowed): a page for browsers."""
    assert isinstance(error, StarletteHTTPException)
    if _wants_html(request):
        return _page(request, error.status_code, error.detail, error.headers)
    return await http_exception_handler(request, error)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ActorGraphError, actorgraph_error)
    app.add_exception_handler(SyntaxError, syntax_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
