"""`actorgraph serve`: the web pages, the SPARQL endpoint and the API docs, in one process or in
N worker processes.

Several workers need a store they can all open: an engine (`--store oxigraph+http://...`). The
embedded store is a RocksDB directory that one process opens for writing (its lock), so
`--workers N` with N > 1 on it is refused in one line. Workers share nothing but the store: keys,
audit records and data live there, and each worker's caches follow the store version
(graph.store.versioning), so any worker accepts any key and sees a write on its next request.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from api.cli.support import StoreOption, fail
from api.cli.support import settings as support_settings
from graph.store.location import RemoteLocation

WorkersOption = Annotated[
    int,
    typer.Option(
        "--workers",
        min=1,
        help="Worker processes (each with its own caches). More than one needs the store on an engine (an engine URL for --store).",
    ),
]


def serve(
    store: StoreOption = None,
    host: Annotated[str | None, typer.Option("--host", help="Interface to listen on (default: ACTORGRAPH_HOST).", show_default="127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on (default: ACTORGRAPH_PORT).", show_default="8000")] = None,
    workers: WorkersOption = 1,
) -> None:
    """Serve the web pages, the SPARQL endpoint (/sparql) and the API docs (/docs)."""
    import uvicorn

    from api.web.app import create_app

    settings = support_settings(store=store, host=host, port=port)
    if workers > 1 and not isinstance(settings.store, RemoteLocation):
        where = f"the embedded store at {settings.store}" if settings.store is not None else "an in-memory store"
        raise fail(
            f"--workers {workers} needs the store on an engine: {where} is open in one process only; serve it with "
            "one worker, or move it onto an engine and pass its URL to --store (README, Deploying for a team)"
        )
    shown = f", {workers} workers" if workers > 1 else ""
    typer.echo(f"ActorGraph on http://{settings.host}:{settings.port}  (store: {settings.store or ':memory:'}{shown})")
    if workers == 1:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
        return
    # Each worker is a fresh process that builds its app from the environment (Settings.from_env):
    # the store chosen here goes to them there.
    os.environ["ACTORGRAPH_STORE"] = str(settings.store)
    uvicorn.run("api.web.app:create_app", factory=True, workers=workers, host=settings.host, port=settings.port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command()(serve)
