"""Cross-origin access for the reconciliation service, which the Reconciliation Service API
requires on every one of its endpoints, errors included, so that web-based clients on other sites
can call it.

Only paths under /reconcile get it, and only anonymously: the answer allows any origin but no
credentials and no Authorization header, so a page on another site reads what any anonymous
caller reads (the public graphs) and can never use a key a browser might hold. Every other route
stays same-origin.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/reconcile"
ALLOWED = {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-allow-headers": "Content-Type",
    "access-control-max-age": "600",
}


def _scoped(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    return scope["type"] == "http" and (path == PREFIX or path.startswith(PREFIX + "/"))


class ReconcileCrossOrigin:
    """Adds `Access-Control-Allow-Origin: *` to /reconcile answers and answers their preflights."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _scoped(scope):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            headers = [(k.encode(), v.encode()) for k, v in ALLOWED.items()]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_origin(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["access-control-allow-origin"] = "*"
            await send(message)

        await self.app(scope, receive, with_origin)
