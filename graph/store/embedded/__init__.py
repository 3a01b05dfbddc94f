"""The embedded Oxigraph backend: the engine, how its queries are isolated and stopped, and the
guards that go with forking a query worker (the write gate, the network filter)."""

from __future__ import annotations

from graph.store.embedded.engine import SMALL_BATCH, EmbeddedStore, StoreLocked

__all__ = ["SMALL_BATCH", "EmbeddedStore", "StoreLocked"]
