"""Store backends behind one small interface (see base.GraphStore)."""

from __future__ import annotations

from pathlib import Path

from graph.store.base import GraphStore, QueryResult, StoreError, Term
from graph.store.embedded import EmbeddedStore

__all__ = ["GraphStore", "QueryResult", "StoreError", "Term", "EmbeddedStore", "open_store"]


def open_store(path: Path | str | None, *, read_only: bool = False) -> EmbeddedStore:
    """Open the embedded store at `path`, or an in-memory one when `path` is None or ':memory:'."""
    if path is None or str(path) == ":memory:":
        return EmbeddedStore(None)
    return EmbeddedStore(Path(path), read_only=read_only)
