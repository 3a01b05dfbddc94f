"""The small store interface every backend implements.

Results are pyoxigraph's own result types (QuerySolutions, QueryBoolean, QueryTriples). The
embedded backend returns them directly; a remote SPARQL 1.1 Protocol backend can produce the same
types with `pyoxigraph.parse_query_results`, so callers never care which backend they talk to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Protocol, Union

import pyoxigraph as ox

from graph.errors import InternalError

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple]
QueryResult = Union[ox.QuerySolutions, ox.QueryBoolean, ox.QueryTriples]


class StoreError(InternalError):
    """A store operation failed; the message says which and why."""


class GraphStore(Protocol):
    """What graph/ needs from a triple store. Graph names are pyoxigraph NamedNodes."""

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        use_default_graph_as_union: bool = False,
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query. `substitutions` binds variables (by name, without '?') to terms, so
        user values never enter the query text; a substituted variable must be projected by a
        SELECT. `default_graph` / `named_graphs` restrict the dataset the query sees and override
        FROM, FROM NAMED and GRAPH in the query text. `prefixes` declares prefixes the text may
        use without PREFIX lines."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update in one transaction."""
        ...

    def bulk_add(self, quads: Iterable[ox.Quad]) -> None:
        """Add many quads fast, without a transaction. Callers make the result atomic by writing
        only into a graph that did not exist before, registering it last, and dropping it on
        failure; after a crash, start-up recovery drops it (graph.store.recovery)."""
        ...

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one transaction: all or nothing."""
        ...

    def remove(self, quads: Iterable[ox.Quad]) -> None:
        """Remove quads (used for small metadata records, one quad at a time)."""
        ...

    def named_graphs(self) -> list[ox.NamedNode]:
        """Every named graph that holds at least one quad or was created explicitly."""
        ...

    def has_graph(self, graph: ox.NamedNode) -> bool: ...

    def drop_graph(self, graph: ox.NamedNode) -> None:
        """Remove a named graph and all its quads; no error if it does not exist."""
        ...

    def graph_size(self, graph: ox.NamedNode) -> int: ...

    def size(self) -> int:
        """The number of quads in the whole store."""
        ...

    def dump(self, output: IO[bytes]) -> None:
        """Write every quad of the store as N-Quads."""
        ...

    def quads(self, graph: ox.NamedNode | None = None) -> Iterable[ox.Quad]:
        """Iterate the quads of one graph, or of the whole store."""
        ...

    def flush(self) -> None:
        """Make what was written durable (a no-op for memory)."""
        ...

    def close(self) -> None: ...
