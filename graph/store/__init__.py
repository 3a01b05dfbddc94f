"""The store seam: one small interface (base.GraphStore) in plain Python types, and its backends.

- base: the GraphStore protocol; results: what queries return; rdf: terms and RDF syntaxes;
  limits: timeouts, result caps and their errors.
- embedded/: the Oxigraph engine, on disk or in memory, and how it isolates and stops queries.
- location: what a store location names (a directory, ':memory:', an engine URL);
  remote/: a SPARQL engine over the SPARQL 1.1 Protocol (Oxigraph server).
- versioning: the store version that every write replaces, and caches keyed by it.
- recovery, dumps, failpoints: start-up repair, dump and restore, crash tests; any backend.
"""

from __future__ import annotations

from pathlib import Path
from typing import overload

from graph.store.base import ALL_GRAPHS, Bindings, GraphStore, StoreError
from graph.store.embedded import EmbeddedStore
from graph.store.location import RemoteLocation, parse_location
from graph.store.results import Boolean, QueryResult, Solutions, Triples

__all__ = [
    "ALL_GRAPHS",
    "Bindings",
    "Boolean",
    "EmbeddedStore",
    "GraphStore",
    "QueryResult",
    "Solutions",
    "StoreError",
    "Triples",
    "open_scratch",
    "open_store",
]


@overload
def open_store(
    path: Path | None, *, read_only: bool = False, recover: bool = True, derive_stale: bool = True
) -> EmbeddedStore: ...


@overload
def open_store(
    path: Path | str | RemoteLocation | None, *, read_only: bool = False, recover: bool = True, derive_stale: bool = True
) -> GraphStore: ...


def open_store(
    path: Path | str | RemoteLocation | None, *, read_only: bool = False, recover: bool = True, derive_stale: bool = True
) -> GraphStore:
    """Open the store at a location (graph.store.location): the embedded store in a directory, an
    in-memory one for None or ':memory:', or a SPARQL engine for an engine URL. A URL-looking
    value is never a directory: an engine ActorGraph does not know is a StoreLocationError.

    A writable on-disk store is recovered first (graph.store.recovery): what an interrupted import left
    is removed and stale derived links are recomputed (unless `derive_stale` is false), so every
    command and the server start from a consistent store. A read-only store cannot be repaired;
    it is the server's (which recovered when it started) that read-only commands open, and a
    warning says so when it needs recovery."""
    location = parse_location(path)
    store: GraphStore
    if location is None:
        return EmbeddedStore(None)
    if isinstance(location, RemoteLocation):
        from graph.store.remote import open_remote  # here: only a remote store needs an HTTP client

        store = open_remote(location)  # refuses an engine that would leak the restricted graphs it holds
    else:
        store = EmbeddedStore(location, read_only=read_only)
    if recover:
        from graph.store import recovery  # here: recovery builds on the registry, which builds on this package

        # An engine is shared: a graph that looks orphaned may be an import another process is
        # writing now, so opening one only says what recovery would do (`actorgraph reason` derives).
        if read_only or isinstance(location, RemoteLocation):
            recovery.warn_if_needed(store)
        else:
            recovery.recover(store, derive_stale=derive_stale)
    return store


def open_scratch() -> EmbeddedStore:
    """An empty in-memory store private to its caller, for staging work (the update sandbox). No
    forked query worker reads it while it is written, so its writes do not hold query forks back, and it keeps no store version."""
    return EmbeddedStore(None, gated=False, versioned=False)
