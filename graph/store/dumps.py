"""Dumping the whole store to N-Quads and restoring it.

A restore never touches the live store until the dump has loaded completely: it builds a new store
beside the old one and swaps the directories, so a bad dump leaves the old store as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import IO

from graph.errors import InvalidValueError
from graph.store import GraphStore, StoreError, rdf, versioning
from graph.store.embedded import EmbeddedStore


class RestoreError(InvalidValueError):
    """The dump could not be restored; the store is unchanged."""


def dump(store: GraphStore, output: IO[bytes]) -> int:
    """Write every quad, every graph included, as N-Quads; return the number of quads."""
    store.dump(output)
    return store.size()


def _load_dump(store: EmbeddedStore, dump_file: Path) -> None:
    try:
        store.bulk_load(dump_file, rdf.RdfFormat.N_QUADS)
    except SyntaxError as error:
        position = error.args[1] if len(error.args) > 1 and isinstance(error.args[1], tuple) else None
        where = f"{dump_file}:{position[1]}:{position[2]}" if position else str(dump_file)
        raise RestoreError(f"{where}: {error.args[0] if error.args else error}") from None


def restore_directory(store_path: Path, dump_file: Path, *, force: bool = False) -> int:
    """Replace the store at `store_path` with the dump's content; return the number of quads.

    The server must not be running on that store. Without `force`, a store that holds data is
    refused rather than overwritten.
    """
    if not dump_file.is_file():
        raise RestoreError(f"{dump_file}: no such file")
    if store_path.exists() and any(store_path.iterdir()) and not force:
        existing = EmbeddedStore(store_path, read_only=True)
        held = existing.size()
        del existing
        if held > 0:
            raise RestoreError(f"the store at {store_path} holds {held} quads; pass --force to replace it")
    staging = store_path.with_name(store_path.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        fresh = EmbeddedStore(staging)
        _load_dump(fresh, dump_file)
        fresh.flush()
        count = versioning.quads_besides_version(fresh)
        del fresh
    except (RestoreError, StoreError, OSError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, RestoreError):
            raise
        raise RestoreError(f"cannot restore {dump_file}: {error}") from error
    retired = store_path.with_name(store_path.name + ".replaced")
    shutil.rmtree(retired, ignore_errors=True)
    if store_path.exists():
        store_path.rename(retired)
    staging.rename(store_path)
    shutil.rmtree(retired, ignore_errors=True)
    return count


def restore_into(store: GraphStore, dump_file: Path) -> int:
    """Restore into an empty store object (in-memory stores in tests); refuses a non-empty one. A
    store that was emptied still holds its version (graph.store.versioning): that does not count."""
    if versioning.quads_besides_version(store) > 0:
        raise RestoreError("the store is not empty; restore needs an empty store")
    try:
        # Parsed whole before anything is written, so a bad dump writes nothing.
        quads = list(rdf.parse(path=str(dump_file), format=rdf.RdfFormat.N_QUADS))
    except SyntaxError as error:
        raise RestoreError(f"{dump_file}: {error.args[0] if error.args else error}") from None
    try:
        store.add(quads)
    except StoreError as error:
        raise RestoreError(str(error)) from error
    return store.size()


def export_graphs(store: GraphStore, graphs: list[rdf.NamedNode], output: Path) -> int:
    """Write the union of some graphs as N-Triples (graph names dropped); return the triple count."""
    count = 0
    with output.open("wb") as stream:
        for graph in graphs:
            triples = [rdf.triple_of(q) for q in store.quads(graph)]
            rdf.triples_bytes(triples, output=stream)
            count += len(triples)
    return count
