"""What differs between the SPARQL engines ActorGraph speaks to: endpoints, how the union of all
graphs is asked for, how a cancelled query shows. Callers never see these differences."""

from __future__ import annotations

from dataclasses import dataclass

from graph.store.base import StoreError
from graph.store.location import RemoteLocation


@dataclass(frozen=True)
class Dialect:
    engine: str
    query: str  # SPARQL 1.1 Protocol query endpoint
    update: str  # SPARQL 1.1 Protocol update endpoint
    store: str  # SPARQL 1.1 Graph Store Protocol endpoint
    # A query parameter that makes the default graph the union of every graph (None: no such flag).
    union_parameter: str | None
    # The text an engine appends to a 200 response whose query it cancelled at its own timeout.
    cancelled_marker: bytes | None


def dialect_for(location: RemoteLocation) -> Dialect:
    """The endpoints and quirks of the engine at `location`."""
    base = location.url
    if location.engine == "oxigraph":
        # Oxigraph server streams a 200 first and, when --timeout-s cancels the query, ends the
        # body with its error message instead of the rest of the result.
        return Dialect("Oxigraph server", f"{base}/query", f"{base}/update", f"{base}/store", "union-default-graph", b"The SPARQL operation has been cancelled")
    raise StoreError(f"store {location}: ActorGraph has no backend for {location.engine} yet; Oxigraph server (oxigraph+http://host:port) is supported")
