"""Every request reads the store version once (graph.store.versioning), as an ASGI middleware.

Several workers and hosts may serve one store. The caches built from it (the registry, the
caller's dataset, API keys, the name indexes) are keyed by its version, and the version is read at
most once per request: the first cache a request consults reads it, the others reuse it. A write
that completed before a request started is therefore seen by that request, in whichever worker.

Two headers say who answered and what it saw, for operators checking a deployment:
`X-ActorGraph-Worker` (the process id) and, when the request read the store,
`X-ActorGraph-Store-Version` (the version it read last: a request that writes reads it again after).
"""

from __future__ import annotations

import os

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.store import versioning

WORKER = "x-actorgraph-worker"
VERSION = "x-actorgraph-store-version"


class PinStoreVersion:
    """ASGI middleware: one read of the store version per request, and the two headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._worker = str(os.getpid()).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with versioning.pinned() as seen:

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", []))
                    headers.append((WORKER.encode(), self._worker))
                    versions = set(seen.values())
                    if len(versions) == 1:
                        headers.append((VERSION.encode(), versions.pop().encode()))
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, send_with_headers)
