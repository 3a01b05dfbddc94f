"""What the SPARQL protocol routes (/sparql, /update, /graph-store) share: their route class,
whose errors are plain text (api.web.errors), and how they read a request."""

from __future__ import annotations

from fastapi import Request
from fastapi.routing import APIRoute


class ProtocolRoute(APIRoute):
    """A route of the SPARQL protocols: SPARQL clients expect errors as plain text."""

    plain_text_errors = True


def media_type_of(content_type: str) -> str:
    """A Content-Type value's media type, without parameters, lower case."""
    return content_type.split(";")[0].strip().lower()


def media_type(request: Request) -> str:
    """The request body's media type, without parameters, lower case ("" when not sent)."""
    return media_type_of(request.headers.get("content-type", ""))


def query_flag(request: Request, name: str, default: bool) -> bool:
    """A true/false query parameter (`?restricted=true`, `?reason=false`)."""
    value = request.query_params.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"true", "1", "yes", "on"}
