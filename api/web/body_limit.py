"""One size limit for every request body (Settings.max_upload_bytes), enforced while it streams.

Routes read bodies in different ways (a multipart form for a screening list, a stream for a
Graph Store upload, `request.body()` for library parameters), and any of them would otherwise hold
a whole upload in memory or on disk before looking at it. So the limit sits in front of them all,
as an ASGI middleware:
- a declared Content-Length over the limit is answered with 413 at once, before the app runs and
  before a byte of the body is read;
- a body without one (chunked) is counted as it arrives, and the read that crosses the limit
  raises BodyTooLarge, a 413 for whichever route was reading. Nothing after it is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.errors import json_answer
from graph.errors import TooLargeError

SETTING = "ACTORGRAPH_MAX_UPLOAD_BYTES"


class BodyTooLarge(TooLargeError):
    """The request body is over the limit; the app answers it with 413 like any other error."""

    # The rest of the body is never read, so the connection cannot carry another request.
    headers: ClassVar[Mapping[str, str]] = {"Connection": "close"}
    every_route = True  # api.web.errors: JSON on the SPARQL protocol routes too

    def __init__(self, limit: int, declared: int | None = None) -> None:
        size = f"is {declared:,} bytes" if declared is not None else "is over the limit"
        super().__init__(f"the request body {size}; the limit is {limit:,} bytes ({SETTING})")


class BodyLimit:
    """ASGI middleware: refuse request bodies over `limit` bytes with 413, reading no further."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await json_answer(BodyTooLarge(self.limit, declared))(scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as error:
            # A route that let it escape its own handlers (the app's exception handlers answer
            # it otherwise). Past the start of a response there is nothing left to correct.
            if started:
                raise
            await json_answer(error)(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None
