"""A GraphStore on a SPARQL engine over HTTP: the protocol client, variable binding by VALUES, and
what differs between engines (dialects)."""

from __future__ import annotations

from graph.store.location import RemoteLocation
from graph.store.remote.dialects import dialect_for
from graph.store.remote.probe import refuse_if_leaky
from graph.store.remote.store import RemoteStore

__all__ = ["RemoteStore", "open_remote"]


def open_remote(location: RemoteLocation) -> RemoteStore:
    """Connect to the engine at `location`, check that it answers and that it keeps queries to the
    protocol's dataset where the store holds restricted graphs (graph.store.remote.probe); raises
    StoreError if not."""
    store = RemoteStore(dialect_for(location), location.engine)
    try:
        store.ask("ASK { }")
        refuse_if_leaky(store)
    except BaseException:
        store.close()
        raise
    return store
