"""The embedded backend: a pyoxigraph Store on disk (default ./var/store) or in memory.

Query text goes straight to `pyoxigraph.Store.query`: never through rdflib, which would evaluate
the query in Python and be orders of magnitude slower.

Every call that writes runs inside WRITE_GATE.writing() (graph/store/write_gate.py), so that no
query worker is forked while the engine holds its write locks.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from graph.store.base import QueryResult, StoreError, Term
from graph.store.write_gate import WRITE_GATE
from queries import catalog

SMALL_BATCH = 10_000  # quads: fewer go to bulk_add's one transaction rather than the bulk path


class EmbeddedStore:
    """A GraphStore backed by pyoxigraph. `path=None` keeps everything in memory (tests)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as error:
            raise StoreError(f"cannot open the store at {path}: {error}") from error

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph Store itself, for benchmarks and backend-specific fast paths."""
        return self._store

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
        bound = (
            {name if isinstance(name, ox.Variable) else ox.Variable(name): term for name, term in substitutions.items()}
            if substitutions
            else None
        )
        return self._store.query(
            sparql,
            substitutions=bound,
            default_graph=list(default_graph) if default_graph is not None else None,
            named_graphs=list(named_graphs) if named_graphs is not None else None,
            use_default_graph_as_union=use_default_graph_as_union,
            prefixes=dict(prefixes) if prefixes else None,
        )

    def update(self, sparql: str) -> None:
        with WRITE_GATE.writing():
            self._store.update(sparql)

    def bulk_add(self, quads: Iterable[ox.Quad]) -> None:
        # The bulk path writes and ingests new files: on disk about 100 ms even for one quad,
        # most of what a small update through the API cost. A small batch goes through one
        # transaction instead, which is as atomic. Parsing the batch happens outside the gate.
        iterator = iter(quads)
        batch = list(itertools.islice(iterator, SMALL_BATCH))
        with WRITE_GATE.writing():
            if len(batch) < SMALL_BATCH:
                self._store.extend(batch)
            else:
                self._store.bulk_extend(itertools.chain(batch, iterator))

    def add(self, quads: Iterable[ox.Quad]) -> None:
        with WRITE_GATE.writing():
            self._store.extend(quads)

    def remove(self, quads: Iterable[ox.Quad]) -> None:
        # Materialize first: removing while iterating the same store would skip quads.
        doomed = list(quads)
        with WRITE_GATE.writing():
            for quad in doomed:
                self._store.remove(quad)

    def named_graphs(self) -> list[ox.NamedNode]:
        return [g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]

    def has_graph(self, graph: ox.NamedNode) -> bool:
        return self._store.contains_named_graph(graph)

    def drop_graph(self, graph: ox.NamedNode) -> None:
        if self._store.contains_named_graph(graph):
            with WRITE_GATE.writing():
                self._store.remove_graph(graph)

    def graph_size(self, graph: ox.NamedNode) -> int:
        solutions = self._store.query(
            catalog.text("store/graph_size"), substitutions={ox.Variable("graph"): graph}
        )
        assert isinstance(solutions, ox.QuerySolutions)
        # An empty graph yields no group at all, hence no row.
        rows = list(solutions)
        return int(rows[0]["triples"].value) if rows else 0

    def size(self) -> int:
        return len(self._store)

    def dump(self, output: IO[bytes]) -> None:
        self._store.dump(output, ox.RdfFormat.N_QUADS)

    def quads(self, graph: ox.NamedNode | None = None) -> Iterable[ox.Quad]:
        return self._store.quads_for_pattern(None, None, None, graph)

    def flush(self) -> None:
        if self.path is not None:
            with WRITE_GATE.writing():
                self._store.flush()

    def close(self) -> None:
        self.flush()
        # pyoxigraph closes the database when the object is collected; drop our reference.
        del self._store
