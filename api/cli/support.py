"""What every `actorgraph` command shares: the --store option, one-line failures, opening the store.

The store comes from --store, else from the settings (ACTORGRAPH_STORE, read by api.settings).

Kept apart from api.cli.main so that command modules in api.cli.commands can import it without a cycle
(api.cli.main imports and registers them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from api.settings import DEFAULT_STORE, Settings
from graph.store import EmbeddedStore, StoreError, open_store

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Store directory, or ':memory:' for a throwaway in-memory store (default: ACTORGRAPH_STORE, else this).",
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


def store_path(given: Path | None) -> Path | None:
    """The store a command works on: --store, else the settings'; None is in memory."""
    return Settings.from_env(store=given).store


@contextmanager
def opened(given: Path | None, *, read_only: bool = False, derive_stale: bool = True) -> Iterator[EmbeddedStore]:
    """Open the store for one command and turn store errors into a one-line exit. `read_only`
    opens an existing on-disk store without the writer's lock, so reads work beside a server.
    A writable store is recovered on opening (graph.store.recovery); `derive_stale=False` leaves stale
    derived links for later, for `load --no-reason`."""
    path = store_path(given)
    read_only = read_only and path is not None and path.exists()
    try:
        store = open_store(path, read_only=read_only, derive_stale=derive_stale)
    except StoreError as error:
        raise fail(str(error)) from None
    try:
        yield store
    finally:
        if not read_only:
            store.flush()
