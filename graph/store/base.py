"""The store interface every backend implements, in plain Python types.

Queries come back as graph.store.results types (Solutions, Boolean, Triples) and terms as
graph.store.rdf terms, so callers never see which engine answered. Values are bound by the backend
(`bindings`), never pasted into query text. A query run for a request passes `limits`: stopping it
at the deadline and capping its result is the backend's business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from enum import Enum
from pathlib import Path
from typing import IO, Any, Literal, Protocol, TypeAlias

from graph.errors import InternalError
from graph.store import rdf
from graph.store.limits import QueryLimits
from graph.store.results import QueryResult, Solutions, Triples

Bindings: TypeAlias = Mapping[str, rdf.Term]


class _AllGraphs(Enum):
    ALL = "all"


# As a default graph: the union of every graph in the store, read through the store's global
# indexes rather than graph by graph (much faster for joins across many import graphs).
ALL_GRAPHS = _AllGraphs.ALL
DefaultGraph: TypeAlias = Sequence[rdf.NamedNode] | Literal[_AllGraphs.ALL] | None
Sink: TypeAlias = Callable[[bytes], None]
Work: TypeAlias = Callable[[Sink], dict[str, Any]]


class StoreError(InternalError):
    """A store operation failed; the message says which and why."""


class GraphStore(Protocol):
    """What graph/ needs from a triple store. Graph names are rdf.NamedNode.

    Reads take an optional dataset: `default_graph` (its union is the default graph) and
    `named_graphs` (what GRAPH and FROM NAMED may reach). When given, they override FROM, FROM NAMED
    and GRAPH <iri> in the text, and an empty list means an empty dataset; ALL_GRAPHS makes the
    union of every graph the default graph; None leaves the dataset to the text (FROM, GRAPH). `bindings` binds variables (by name, without '?') to terms; a bound variable must be
    projected by a SELECT. With `limits`, both graph lists are required and the query runs under its timeout and result cap and may
    raise the graph.store.limits errors; it has no network unless `network` (admins' SERVICE)."""

    def select(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        default_graph: DefaultGraph = None,
        named_graphs: Sequence[rdf.NamedNode] | None = None,
        limits: QueryLimits | None = None,
        network: bool = False,
    ) -> Solutions:
        """Run a SELECT; raises SyntaxError, or ValueError for another query form."""
        ...

    def ask(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        default_graph: DefaultGraph = None,
        named_graphs: Sequence[rdf.NamedNode] | None = None,
        limits: QueryLimits | None = None,
        network: bool = False,
    ) -> bool:
        """Run an ASK."""
        ...

    def construct(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        default_graph: DefaultGraph = None,
        named_graphs: Sequence[rdf.NamedNode] | None = None,
        limits: QueryLimits | None = None,
        network: bool = False,
    ) -> Triples:
        """Run a CONSTRUCT or DESCRIBE."""
        ...

    def evaluate(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        default_graph: DefaultGraph = None,
        named_graphs: Sequence[rdf.NamedNode] | None = None,
        limits: QueryLimits | None = None,
        network: bool = False,
    ) -> QueryResult:
        """Run a query of any form, for callers that do not know it (the SPARQL endpoint)."""
        ...

    def run_isolated(self, work: Work, limits: QueryLimits, *, network: bool = False) -> tuple[bytes, dict[str, Any]]:
        """Run some work that reads this store (and scratch stores) as a query would run: in a worker
        slot, stopped at the deadline. Returns what the work wrote to its sink and the outcome it
        reported; graph.store.limits.raise_for_outcome turns a failure into its error."""
        ...

    def writing(self) -> AbstractContextManager[None]:
        """Hold the store's write lock (re-entrant): every write method takes it, and a caller that
        reads, decides and writes holds it around the whole so no other write lands in between."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update in one transaction."""
        ...

    def bulk_add(self, quads: Iterable[rdf.Quad]) -> None:
        """Add many quads fast, without a transaction. Callers make the result atomic by writing
        only into a graph that did not exist before, registering it last, and dropping it on
        failure; after a crash, start-up recovery drops it (graph.store.recovery)."""
        ...

    def load_triples(self, document: IO[bytes] | Path, rdf_format: rdf.RdfFormat, graph: rdf.NamedNode, *, base_iri: str | None = None) -> None:
        """Parse a document of triples (a stream, or a file's path) into `graph`, as bulk_add
        writes (no transaction, the same contract), its blank nodes renamed apart from the
        store's. Raises SyntaxError."""
        ...

    def add(self, quads: Iterable[rdf.Quad]) -> None:
        """Add quads in one transaction: all or nothing."""
        ...

    def remove(self, quads: Iterable[rdf.Quad]) -> None:
        """Remove quads (used for small metadata records)."""
        ...

    def add_graph(self, graph: rdf.NamedNode) -> None:
        """Create a named graph, empty, so it exists even before it holds a quad."""
        ...

    def named_graphs(self) -> list[rdf.NamedNode]:
        """Every named graph that holds at least one quad or was created explicitly."""
        ...

    def has_graph(self, graph: rdf.NamedNode) -> bool: ...

    def drop_graph(self, graph: rdf.NamedNode) -> None:
        """Remove a named graph and all its quads; no error if it does not exist."""
        ...

    def graph_size(self, graph: rdf.NamedNode) -> int: ...

    def size(self) -> int:
        """The number of quads in the whole store."""
        ...

    def dump(self, output: IO[bytes]) -> None:
        """Write every quad of the store as N-Quads."""
        ...

    def quads(self, graph: rdf.GraphName | None = None, *, subject: rdf.Subject | None = None) -> Iterable[rdf.Quad]:
        """Iterate the quads of one graph (the default graph included), or of the whole store; with
        `subject`, only that subject's."""
        ...

    @property
    def engine(self) -> str:
        """Which engine answers: "embedded" (pyoxigraph in this process), or a remote engine's
        scheme as in its store URL ("oxigraph", "virtuoso"). Queries may name engines they are
        known to answer wrongly on (queries/catalog.py, `# wrong-on:`)."""
        ...

    @property
    def local_scans(self) -> bool:
        """Whether `quads` scans run in this process, each cheaper than a query: readers then look
        nodes up one by one rather than batch them into queries (a remote store says False)."""
        ...

    def parses_apart(self, limits: QueryLimits, *, network: bool = False) -> bool:
        """Whether a query run under `limits` is parsed by a process apart from this one that reports
        a parser crash as graph.errors.ParserCrash (a 400): checking that it parses beforehand
        (graph.guards.parse_check) then only adds a round trip."""
        ...

    def flush(self) -> None:
        """Make what was written durable (a no-op for memory)."""
        ...

    def close(self) -> None: ...
