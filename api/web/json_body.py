"""JSON request bodies, bounded before anything decodes them.

Python's json module (and so FastAPI and pydantic, which call it) recurses once per nested array
or object: 100,000 nested `[` raise RecursionError, which would surface as a 500. So every JSON
body is measured first by a flat scan, and one nested deeper than MAX_JSON_DEPTH is answered with
a 400 before any parser sees it. `JsonBodyGuard` does this for every route (inside
api.web.body_limit's BodyLimit, which bounds the bytes it buffers); `decode` is what a route that
reads its body itself calls.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.settings import DEFAULT_MAX_JSON_DEPTH
from api.web.errors import json_answer
from graph.errors import BadRequestError

MAX_JSON_DEPTH = DEFAULT_MAX_JSON_DEPTH
"""Deepest nesting of arrays and objects accepted in a JSON body by default (parameters are one
level deep); Settings.max_json_depth (ACTORGRAPH_MAX_JSON_DEPTH) sets the app's."""

# A whole string literal (skipped: brackets inside it do not nest) or one bracket.
_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class JsonBodyError(BadRequestError, ValueError):
    """A JSON body that is refused before decoding: too deep, or not JSON."""


def check_depth(body: bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise JsonBodyError (400) when `body` nests arrays or objects deeper than `limit`.
    Unbalanced or invalid text is left to the decoder, which reports it with its position."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return  # too few brackets to nest deeper, whatever they are
    depth = 0
    for match in _TOKEN.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                raise JsonBodyError(
                    f"the JSON body nests arrays or objects more than {limit} deep (at byte {match.start()}); "
                    f"at most {limit} levels are accepted",
                )
        elif token in (b"]", b"}"):
            depth = max(0, depth - 1)


def decode(body: bytes, limit: int = MAX_JSON_DEPTH) -> Any:
    """The decoded body, after the depth check; JsonBodyError (400) for invalid JSON too."""
    check_depth(body, limit)
    try:
        return json.loads(body)
    except ValueError as error:
        raise JsonBodyError(f"the body is not valid JSON: {error}") from None


def is_json(content_type: str) -> bool:
    """application/json and the `+json` types (application/merge-patch+json, ...)."""
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class JsonBodyGuard:
    """ASGI middleware: reads a JSON request body, refuses it when too deep, and otherwise hands
    the same bytes on to the app. Other bodies pass untouched, streamed as they come. Its size is
    BodyLimit's business: that middleware sits outside this one."""

    def __init__(self, app: ASGIApp, *, max_depth: int = MAX_JSON_DEPTH) -> None:
        self.app, self.max_depth = app, max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS or not is_json(_header(scope, b"content-type")):
            await self.app(scope, receive, send)
            return
        body = await _read(receive)
        try:
            check_depth(body, self.max_depth)
        except JsonBodyError as error:
            await json_answer(error)(scope, receive, send)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()  # after the body: a disconnect, as the app expects
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _read(receive: Receive) -> bytes:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    return bytes(body)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""
