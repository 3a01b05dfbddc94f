"""The embedded backend: a pyoxigraph Store on disk (default ./var/store) or in memory.

Query text goes straight to `pyoxigraph.Store.query`: never through rdflib, which would evaluate
the query in Python and be orders of magnitude slower. Bindings become pyoxigraph `substitutions`.

Every write takes the store's write lock (one writer at a time, re-entrant, so a caller can hold
it around a read-decide-write sequence) and runs inside WRITE_GATE.writing()
(graph/store/embedded/write_gate.py), so that no query worker is forked while the engine holds
its write locks. Every write also replaces the store version (graph.store.versioning): in the
same transaction where pyoxigraph allows it, and before the write lock is released.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from graph.store import versioning
from graph.store.base import ALL_GRAPHS, Bindings, DefaultGraph, StoreError, Work
from graph.store.embedded import isolation
from graph.store.embedded import pieces as file_pieces
from graph.store.embedded.pool import QueryPool
from graph.store.embedded.write_gate import WRITE_GATE
from graph.store.forms import QueryForms
from graph.store.limits import QueryLimits
from graph.store.results import Boolean, QueryResult, Solutions, Triples
from queries import catalog

SMALL_BATCH = 10_000  # quads: fewer go to bulk_add's one transaction rather than the bulk path

_Native = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def _substitutions(bindings: Mapping[Any, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None) -> dict[ox.Variable, Any] | None:
    if not bindings:
        return None
    return {name if isinstance(name, ox.Variable) else ox.Variable(name): term for name, term in bindings.items()}


def _wrap(result: _Native) -> QueryResult:
    if isinstance(result, ox.QuerySolutions):
        return Solutions(result)
    if isinstance(result, ox.QueryBoolean):
        return Boolean(bool(result))
    return Triples(result)


class StoreLocked(StoreError):
    """Another process (the server) holds the on-disk store for writing: only read-only opens work."""


class EmbeddedStore(QueryForms):
    """A GraphStore backed by pyoxigraph. `path=None` keeps everything in memory (tests)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False, gated: bool = True, versioned: bool = True) -> None:
        self.path = path
        # A scratch store is nobody's shared state: it keeps no version (and its meta graph stays empty).
        self._versioned = versioned
        # A scratch store no forked worker reads while it is written need not keep forks out.
        self._gate = WRITE_GATE.writing if gated else contextlib.nullcontext
        self._write_lock = threading.RLock()
        self._read_only = read_only
        self._pool: QueryPool | None = None
        self._pool_lock = threading.Lock()
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as error:
            if "lock" in str(error).lower() and not read_only:
                raise StoreLocked(
                    f"the store at {path} is open in another process (a running `actorgraph serve`?): to write to it, stop "
                    "that process first or make the change through the server's API; or run the server on an engine, "
                    "which every command can share (README, Deploying for a team)"
                ) from error
            raise StoreError(f"cannot open the store at {path}: {error}") from error

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph Store itself, for benchmarks and backend-specific fast paths."""
        return self._store

    # --- reads ---------------------------------------------------------------------------------

    def evaluate(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        default_graph: DefaultGraph = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        limits: QueryLimits | None = None,
        network: bool = False,
    ) -> QueryResult:
        if limits is not None:
            if default_graph is None or default_graph is ALL_GRAPHS or named_graphs is None:
                # pyoxigraph reads None as "no restriction" and would honour FROM over the whole store.
                raise ValueError("a query under limits needs an explicit dataset: default_graph and named_graphs")
            return isolation.run_limited(
                self._store,
                sparql,
                limits=limits,
                default_graph=default_graph,
                named_graphs=named_graphs,
                substitutions=_substitutions(bindings),
                network=network,
                pool=self._pool_for(limits),
            )
        return _wrap(self._native(sparql, bindings, default_graph, named_graphs))

    @property
    def query_pool(self) -> QueryPool | None:
        """The query workers, once started (isolation="pool" on an on-disk store)."""
        return self._pool

    def start_query_workers(self, limits: QueryLimits) -> None:
        """Start the query workers now (a server at start-up) rather than on the first query."""
        self._pool_for(limits)

    def stop_query_workers(self) -> None:
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def parses_apart(self, limits: QueryLimits, *, network: bool = False) -> bool:
        # Only the pool's workers parse first and say so. A forked worker would die alone too, but
        # its death reads as a failed query (a 500); a thread would take this process with it.
        # Right after a parser crash in the pool, the helper checks texts again (pool.PARSER_CRASH_COOLDOWN).
        pool = self._pool_for(limits) if limits.isolation == "pool" and not network else None
        return pool is not None and not pool.parser_crashed_lately()

    def _pool_for(self, limits: QueryLimits) -> QueryPool | None:
        """The query workers of `isolation="pool"`, started on first use. None where there is
        nothing to checkpoint (in memory) or no right to (read-only): those queries are forked."""
        if limits.isolation != "pool" or self.path is None or self._read_only:
            return None
        with self._pool_lock:
            if self._pool is None:
                root = self.path.with_name(self.path.name + ".query-checkpoints")
                self._pool = QueryPool(self._store, root, limits.workers, limits.niceness)
            return self._pool

    def _wrote(self) -> None:
        """After every write: a new store version, and a checkpoint for the query workers."""
        versioning.wrote(self)
        if self._pool is not None:
            self._pool.roll()

    def _native(
        self,
        sparql: str,
        bindings: Bindings | None,
        default_graph: DefaultGraph,
        named_graphs: Sequence[ox.NamedNode] | None,
    ) -> _Native:
        union = default_graph is ALL_GRAPHS
        return self._store.query(
            sparql,
            substitutions=_substitutions(bindings),
            default_graph=None if default_graph is None or default_graph is ALL_GRAPHS else list(default_graph),
            named_graphs=list(named_graphs) if named_graphs is not None else None,
            use_default_graph_as_union=union,
        )

    def run_isolated(self, work: Work, limits: QueryLimits, *, network: bool = False) -> tuple[bytes, dict[str, Any]]:
        return isolation.run_isolated(lambda _abandoned: work, limits, network=network)

    def named_graphs(self) -> list[ox.NamedNode]:
        return [g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]

    def has_graph(self, graph: ox.NamedNode) -> bool:
        return self._store.contains_named_graph(graph)

    def graph_size(self, graph: ox.NamedNode) -> int:
        solutions = self._store.query(catalog.text("store/graph_size"), substitutions={ox.Variable("graph"): graph})
        assert isinstance(solutions, ox.QuerySolutions)
        # An empty graph yields no group at all, hence no row.
        rows = list(solutions)
        return int(rows[0]["triples"].value) if rows else 0

    def size(self) -> int:
        return len(self._store)

    def dump(self, output: IO[bytes]) -> None:
        self._store.dump(output, ox.RdfFormat.N_QUADS)

    def quads(
        self, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None, *, subject: ox.NamedNode | ox.BlankNode | ox.Triple | None = None
    ) -> Iterable[ox.Quad]:
        return self._store.quads_for_pattern(subject, None, None, graph)

    @property
    def engine(self) -> str:
        return "embedded"

    @property
    def local_scans(self) -> bool:
        return True

    # --- writes --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self._write_lock:
            yield

    def _token(self) -> list[ox.Quad]:
        """The new version's quad, to add in the same transaction as a batch (none if unversioned)."""
        return [versioning.token_quad(versioning.new_token())] if self._versioned else []

    def _bump(self) -> None:
        """Replace the version after a write that could not carry it, or carried only its token."""
        if self._versioned:
            with self._gate():
                self._store.update(versioning.bump_text(versioning.new_token()))
        self._wrote()

    def update(self, sparql: str) -> None:
        with self._write_lock, self._gate():
            self._store.update(versioning.with_bump(sparql, versioning.new_token()) if self._versioned else sparql)
        self._wrote()

    def bulk_add(self, quads: Iterable[ox.Quad]) -> None:
        # The bulk path writes and ingests new files, which is costly even for one quad and was
        # most of what a small update through the API cost. A small batch goes through one
        # transaction instead, which is as atomic. Parsing the batch happens outside the gate.
        with self._write_lock:
            iterator = iter(quads)
            batch = list(itertools.islice(iterator, SMALL_BATCH))
            with self._gate():
                if len(batch) < SMALL_BATCH:
                    self._store.extend(batch + self._token())
                else:
                    self._store.bulk_extend(itertools.chain(batch, iterator, self._token()))
            self._bump()

    def bulk_load(self, path: Path, rdf_format: ox.RdfFormat) -> None:
        """Load a whole file fast, parsed by the engine (restoring a dump); raises SyntaxError."""
        with self._write_lock:
            with self._gate():
                self._store.bulk_load(path=str(path), format=rdf_format)
            self._bump()

    def load_triples(self, document: IO[bytes] | Path, rdf_format: ox.RdfFormat, graph: ox.NamedNode, *, base_iri: str | None = None) -> None:
        # The engine parses and writes in one pass with no Python object per triple, which was a
        # fifth of a large load's time through bulk_add. Given a path, it also reads the file
        # itself, which is faster again than reading through a Python stream; a large N-Triples
        # file it reads in pieces, on several threads (graph.store.embedded.pieces).
        pieces = None
        if isinstance(document, Path) and rdf_format == ox.RdfFormat.N_TRIPLES and file_pieces.WORKERS > 1:
            pieces = file_pieces.line_aligned_pieces(document)
        with self._write_lock:
            with self._gate():
                if isinstance(document, Path) and pieces is not None:
                    file_pieces.load_in_pieces(document, pieces, lambda data: self._store.bulk_load(data, format=rdf_format, to_graph=graph))
                elif isinstance(document, Path):
                    self._store.bulk_load(path=document, format=rdf_format, base_iri=base_iri, to_graph=graph)
                else:
                    self._store.bulk_load(input=document, format=rdf_format, base_iri=base_iri, to_graph=graph)
            self._bump()

    def add(self, quads: Iterable[ox.Quad]) -> None:
        with self._write_lock:
            with self._gate():
                self._store.extend(itertools.chain(quads, self._token()))
            self._bump()

    def remove(self, quads: Iterable[ox.Quad]) -> None:
        # Materialize first: removing while iterating the same store would skip quads.
        doomed = list(quads)
        with self._write_lock:
            with self._gate():
                for quad in doomed:
                    self._store.remove(quad)
            self._bump()

    def add_graph(self, graph: ox.NamedNode) -> None:
        with self._write_lock:
            with self._gate():
                self._store.add_graph(graph)
            self._bump()

    def drop_graph(self, graph: ox.NamedNode) -> None:
        with self._write_lock:
            if self._store.contains_named_graph(graph):
                with self._gate():
                    self._store.remove_graph(graph)
                self._bump()

    def flush(self) -> None:
        if self.path is not None:
            with self._write_lock, self._gate():
                self._store.flush()

    def close(self) -> None:
        self.stop_query_workers()
        self.flush()
        # pyoxigraph closes the database when the object is collected; drop our reference.
        del self._store
