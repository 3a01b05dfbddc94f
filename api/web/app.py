"""The FastAPI application: SPARQL protocol endpoint, HTML pages, and OpenAPI docs at /docs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from api.settings import Settings
from api.web import api_docs, errors, limits, openapi_schema
from api.web.body_limit import BodyLimit
from api.web.cross_origin import ReconcileCrossOrigin
from api.web.dependencies import index_warmer
from api.web.json_body import JsonBodyGuard
from api.web.pages import actors as actor_pages
from api.web.pages import cases as case_pages
from api.web.pages import home, ontology
from api.web.pages import programs as program_pages
from api.web.pages import sparql as sparql_page
from api.web.pages import vetting as vetting_pages
from api.web.routers import actors, cases, graph_store, imports, paths, programs, queries, reconcile, sparql, update, vetting, views
from api.web.store_version import PinStoreVersion
from api.web.templating import STATIC_DIR
from graph.store import EmbeddedStore, GraphStore, open_store

# Every router, registered in this order; no route depends on it (api.web.convertors).
ROUTERS = (
    sparql.router,
    update.router,
    imports.router,
    graph_store.router,
    queries.router,
    actors.router,
    programs.router,
    paths.router,
    vetting.router,
    reconcile.router,
    cases.router,
    views.router,
    home.router,
    actor_pages.router,
    program_pages.router,
    vetting_pages.router,
    case_pages.router,
    sparql_page.router,
    ontology.router,
)

# How long shutdown waits for a background build of the search indexes to end.
SHUTDOWN_WAIT_SECONDS = 30.0


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app. Pass `store` to serve an already-open store (tests); otherwise the store
    named by the settings is opened at start-up and flushed at shutdown."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store if store is not None else open_store(settings.store)
        # The name index takes seconds on a large graph: build it now, in the background, rather
        # than on the first search (each write starts it again). The query workers start now too,
        # rather than on the first query.
        app.state.warmer = index_warmer(app.state.store)
        app.state.warmer.start()
        if isinstance(app.state.store, EmbeddedStore):
            app.state.store.start_query_workers(app.state.query_limits)
        try:
            yield
        finally:
            app.state.warmer.wait(SHUTDOWN_WAIT_SECONDS)  # not reading the store while it closes
            if isinstance(app.state.store, EmbeddedStore):
                app.state.store.stop_query_workers()  # and delete their checkpoints
            app.state.store.flush()

    # FastAPIOffline mounts the Swagger UI and ReDoc files it ships; api.web.api_docs serves the pages.
    app = FastAPIOffline(
        docs_url=None,
        redoc_url=None,
        title="ActorGraph",
        summary="A knowledge graph of the actors and programs around mass-atrocity prevention.",
        description=(
            "Trace who is linked to whom, and when; vet partners against records of violations; "
            "and run your own SPARQL. The SPARQL 1.1 query endpoint is at `/sparql`."
        ),
        version="0.1.0",
        lifespan=lifespan,
    )
    # What api.web.dependencies hands to routes. Set here, not only at start-up, so the app also
    # works without lifespan events (TestClient used without `with`).
    app.state.settings = settings
    if store is not None:
        app.state.store = store
    limits.install(app, settings)  # one set of query worker slots for the whole app
    errors.install(app)  # every error, one mapping to responses
    # The last added is the outermost: BodyLimit bounds what JsonBodyGuard buffers.
    app.add_middleware(JsonBodyGuard, max_depth=settings.max_json_depth)  # deep JSON is a 400, not a 500
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)  # every request body, while it streams
    app.add_middleware(ReconcileCrossOrigin)  # the reconciliation API's CORS, its errors and 413s included
    app.add_middleware(PinStoreVersion)  # outermost: one read of the store version per request
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    api_docs.install(app)
    for router in ROUTERS:
        app.include_router(router)
    openapi_schema.install(app)
    return app
