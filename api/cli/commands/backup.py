"""`actorgraph dump` and `actorgraph restore`: the whole store as N-Quads, and back."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from api.cli.support import StoreOption, fail, opened, store_path
from graph.store import dumps
from graph.store.dumps import RestoreError


def dump(
    output: Annotated[Path | None, typer.Argument(help="File to write (N-Quads); default standard output.")] = None,
    store: StoreOption = None,
) -> None:
    """Write the whole store, every graph, as N-Quads."""
    with opened(store, read_only=True) as graph_store:
        if output is None:
            dumps.dump(graph_store, sys.stdout.buffer)
            return
        with output.open("wb") as stream:
            count = dumps.dump(graph_store, stream)
    typer.echo(f"wrote {count:,} quads to {output}")


def restore(
    dump_file: Annotated[Path, typer.Argument(help="An N-Quads dump made by `actorgraph dump`.")],
    store: StoreOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a store that holds data.")] = False,
) -> None:
    """Replace the store with a dump. The old store stays as it was if the dump is bad."""
    path = store_path(store)
    if path is None:
        raise fail("restore needs a store directory or an engine URL, not ':memory:'")
    try:
        if isinstance(path, Path):
            count = dumps.restore_directory(path, dump_file, force=force)
        else:
            with opened(store) as engine:
                count = dumps.restore_into(engine, dump_file)
    except RestoreError as error:
        raise fail(str(error)) from None
    typer.echo(f"restored {count:,} quads into {path}")


def register(root: typer.Typer) -> None:
    root.command()(dump)
    root.command()(restore)
