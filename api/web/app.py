"""The FastAPI application: SPARQL protocol endpoint, HTML pages, and OpenAPI docs at /docs."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.settings import Settings
from api.web import auth, limits, routers
from api.web.body_limit import BodyLimit
from api.web.json_body import JsonBodyGuard
from api.web.routers import home, sparql
from api.web.templating import STATIC_DIR, templates
from graph.index.cache import warm
from graph.store import GraphStore, open_store


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app. Pass `store` to serve an already-open store (tests); otherwise the store
    named by the settings is opened at start-up and flushed at shutdown."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.store = store if store is not None else open_store(settings.store)
        # The name index takes seconds on a large graph: build it now, in the background, rather
        # than on the first search.
        threading.Thread(target=warm, args=(app.state.store,), name="warm-search", daemon=True).start()
        try:
            yield
        finally:
            app.state.store.flush()

    app = FastAPI(
        title="ActorGraph",
        summary="A knowledge graph of the actors and programs around mass-atrocity prevention.",
        description=(
            "Trace who is linked to whom, and when; vet partners against records of violations; "
            "and run your own SPARQL. The SPARQL 1.1 query endpoint is at `/sparql`."
        ),
        version="0.1.0",
        lifespan=lifespan,
    )
    # Also set here so the app works without lifespan events (TestClient used without `with`).
    app.state.settings = settings
    app.state.authenticate = auth.authenticate  # API keys (api.web.auth); see api.web.security
    limits.install(app, settings)  # query timeout, result cap, worker slots and their errors
    # The last added is the outermost: BodyLimit bounds what JsonBodyGuard buffers.
    app.add_middleware(JsonBodyGuard)  # deep JSON is a 400, not a 500
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)  # every request body, while it streams
    if store is not None:
        app.state.store = store
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(home.router)
    app.include_router(sparql.router)
    for router in routers.discovered():
        app.include_router(router)

    @app.exception_handler(StarletteHTTPException)
    async def readable_errors(request: Request, error: StarletteHTTPException) -> HTMLResponse:
        """HTML pages get a readable error page; API clients get JSON as FastAPI gives it."""
        if "text/html" in request.headers.get("accept", ""):
            return templates.TemplateResponse(
                request, "error.html", {"status": error.status_code, "detail": error.detail}, status_code=error.status_code
            )
        from fastapi.exception_handlers import http_exception_handler

        return await http_exception_handler(request, error)  # type: ignore[return-value]

    return app
