"""What every `actorgraph` command shares: the --store option, one-line failures, opening the store.

The store comes from --store, else from the settings (ACTORGRAPH_STORE, read by api.settings).

Kept apart from api.cli.main and api.cli.commands, which import the topic modules that use it
(api.cli.commands.TOPICS names them, and the root group imports each on first use).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from api.settings import DEFAULT_STORE, Settings
from graph.store import GraphStore, StoreError, open_store
from graph.store.embedded import StoreLocked
from graph.store.location import Location

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store directory, ':memory:' for a throwaway in-memory store, or an engine URL such as "
        "oxigraph+http://127.0.0.1:7878 (default: ACTORGRAPH_STORE, else this).",
        show_default=str(DEFAULT_STORE),
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def fail(message: str, details: str | None = None) -> typer.Exit:
    """Print a one-line reason (and optional details) to stderr; the caller raises the result."""
    typer.echo(f"error: {message}", err=True)
    if details:
        typer.echo(details, err=True)
    return typer.Exit(code=1)


def settings(**overrides: Any) -> Settings:
    """The settings with the command's options applied; a bad value (a mistyped --store URL, a bad
    ACTORGRAPH_* variable) is a one-line exit naming it."""
    try:
        return Settings.from_env(**overrides)
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or "settings"
        message = str(problem.get("ctx", {}).get("error") or problem["msg"])
        raise fail(message if "store" in field else f"{field}: {message}") from None


def store_path(given: str | Path | None) -> Location:
    """The store a command works on: --store, else the settings'; None is in memory."""
    return settings(store=given).store


@contextmanager
def opened(given: str | Path | None, *, read_only: bool = False, derive_stale: bool = True) -> Iterator[GraphStore]:
    """Open the store for one command and turn store errors into a one-line exit.

    `read_only` says the command only reads. It opens the store for writing when it can (so the
    store is recovered first, graph.store.recovery), and read-only when a server holds it, with a
    note. A command that writes is refused, in one line that says what to do, while a server holds
    the embedded store; on an engine (a URL) every command runs beside the server.
    `derive_stale=False` leaves stale derived links for later, for `load --no-reason`."""
    path = store_path(given)
    opened_read_only = False
    try:
        try:
            store = open_store(path, derive_stale=derive_stale)
        except StoreLocked:
            if not read_only:
                raise
            store, opened_read_only = open_store(path, read_only=True), True
            typer.echo(f"note: {path} is open in a running server; reading it read-only, as it is now", err=True)
    except StoreError as error:
        raise fail(str(error)) from None
    try:
        yield store
    finally:
        if not opened_read_only:
            store.flush()
