"""A GraphStore on a SPARQL engine reached over HTTP (graph.store.remote.protocol).

Reads send the caller's dataset as protocol parameters and bind variables by a VALUES table
(graph.store.remote.binding). Writes go through SPARQL Update and the Graph Store Protocol; one
writer at a time per process, as on the embedded store. Timeouts are the engine's own, with the
client's deadline as a backstop, and a cancelled answer is a QueryTimeout, never a short result.
Every write replaces the store version (graph.store.versioning): an update carries the bump in the
same request, a posted batch carries its new token and the old ones are replaced right after.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from graph.store import rdf, versioning
from graph.store.base import ALL_GRAPHS, Bindings, DefaultGraph, StoreError, Work
from graph.store.embedded.forking import outcome_of
from graph.store.forms import QueryForms
from graph.store.limits import QueryBusy, QueryFailed, QueryLimits, QueryTimeout
from graph.store.remote.binding import bind
from graph.store.remote.dialects import NTRIPLES, TSV, XML, Dialect
from graph.store.remote.protocol import Answer, Protocol
from graph.store.results import Boolean, QueryResult, Solutions, Triples
from queries import catalog

_BATCH = 50_000  # quads per N-Quads request chunk
_ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
_NAMED_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } %s }"
_GRAPH_QUADS = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
_DEFAULT_QUADS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
_RESULTS_FORMATS = {TSV: rdf.QueryResultsFormat.TSV, XML: rdf.QueryResultsFormat.XML}


def _result(answer: Answer) -> QueryResult:
    if answer.media_type == NTRIPLES:
        return Triples([rdf.triple_of(q) for q in rdf.parse(answer.body, rdf.RdfFormat.N_TRIPLES)])
    results_format = _RESULTS_FORMATS.get(answer.media_type)
    if results_format is None:
        raise QueryFailed(f"the engine answered in {answer.media_type or 'an unnamed format'}, not TSV, SPARQL XML or N-Triples")
    body = answer.body
    if results_format is rdf.QueryResultsFormat.XML:
        # Virtuoso names blank nodes nodeID://b1, which is no blank node label; text content
        # escapes '<', so the tag is never part of a literal.
        body = body.replace(b"<bnode>nodeID://", b"<bnode>")
    parsed = rdf.parse_query_results(body, results_format)
    if isinstance(parsed, rdf.SolutionStream):
        return Solutions(parsed)
    return Boolean(bool(parsed))


def _iri(graph: rdf.NamedNode) -> str:
    return str(graph)


class RemoteStore(QueryForms):
    """A GraphStore backed by a SPARQL 1.1 Protocol endpoint."""

    def __init__(self, dialect: Dialect, scheme: str) -> None:
        self.dialect, self.scheme = dialect, scheme  # scheme: the engine as its URL names it ("virtuoso")
        self._http = Protocol(dialect)
        self._write_lock = threading.RLock()

    def __repr__(self) -> str:
        return f"RemoteStore({self.dialect.engine} at {self.dialect.query})"

    # --- reads ---------------------------------------------------------------------------------

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
        del network  # the engine evaluates SERVICE itself; non-admins' text is refused before (graph.guards.outbound)
        text = bind(sparql, bindings)
        union = default_graph is ALL_GRAPHS
        default = None if default_graph is None or default_graph is ALL_GRAPHS else list(default_graph)
        if union and self.dialect.union_parameter is None:
            # The engine's own union would take in the graphs it keeps for itself: name the store's.
            union, default = False, self.named_graphs()
        if limits is None:
            return _result(self._http.query(text, default_graph=default, named_graphs=named_graphs, union=union))
        if default is None or named_graphs is None:
            raise ValueError("a query under limits needs an explicit dataset: default_graph and named_graphs")
        deadline = time.monotonic() + limits.timeout
        if not limits.slots.acquire(timeout=limits.timeout):
            raise QueryBusy(limits.workers, limits.timeout)
        try:
            answer = self._http.query(text, default_graph=default, named_graphs=named_graphs, limits=limits, deadline=deadline)
        finally:
            limits.slots.release()
        return _result(answer)

    def run_isolated(self, work: Work, limits: QueryLimits, *, network: bool = False) -> tuple[bytes, dict[str, Any]]:
        """Run the work in a thread under a slot and the deadline. It keeps the network (it reads
        this store over HTTP); the text it runs was checked for SERVICE and LOAD by graph.guards.outbound."""
        del network
        if not limits.slots.acquire(timeout=limits.timeout):
            raise QueryBusy(limits.workers, limits.timeout)
        chunks: list[bytes] = []
        box: dict[str, Any] = {}
        done = threading.Event()

        def run() -> None:
            try:
                box.update(outcome_of(work, chunks.append))
            finally:
                done.set()
                limits.slots.release()

        threading.Thread(target=run, name="remote-work", daemon=True).start()
        if not done.wait(limits.timeout):
            raise QueryTimeout(limits.timeout)
        return b"".join(chunks), box

    def _rows(self, text: str, bindings: Bindings | None = None) -> Iterator[rdf.Row]:
        result = self.evaluate(text, bindings=bindings)
        assert isinstance(result, Solutions)
        return iter(result)

    def _not_system(self) -> str:
        """A FILTER that keeps ?g off the graphs the engine keeps for itself (its own constants)."""
        tests = [f'!STRSTARTS(STR(?g), "{prefix}")' for prefix in self.dialect.system_graphs]
        return f"FILTER({' && '.join(tests)})" if tests else ""

    def named_graphs(self) -> list[rdf.NamedNode]:
        text = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
        if not self.dialect.empty_graphs:
            text = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._not_system()} }}"
        return [row["g"] for row in self._rows(text) if isinstance(row["g"], rdf.NamedNode)]

    def has_graph(self, graph: rdf.NamedNode) -> bool:
        # An engine without empty graphs says yes to GRAPH <any iri> { }: ask for a triple there.
        name = "store/graph_exists" if self.dialect.empty_graphs else "store/graph_has_triples"
        return self.ask(catalog.text(name), bindings={"graph": graph})

    def graph_size(self, graph: rdf.NamedNode) -> int:
        rows = list(self._rows(catalog.text("store/graph_size"), {"graph": graph}))
        return int(rows[0]["triples"].value) if rows else 0

    def size(self) -> int:
        text = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        if not self.dialect.own_default_graph:
            text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._not_system()} }}"
        rows = list(self._rows(text))
        return int(rows[0]["n"].value)

    def dump(self, output: IO[bytes]) -> None:
        if self.dialect.dataset_quads:
            for chunk in self._http.get_dataset():
                output.write(chunk)
            return
        batch: list[rdf.Quad] = []
        for quad in self.quads():
            batch.append(quad)
            if len(batch) >= _BATCH:
                rdf.serialize(batch, output, rdf.RdfFormat.N_QUADS)
                batch = []
        rdf.serialize(batch, output, rdf.RdfFormat.N_QUADS)

    def quads(self, graph: rdf.GraphName | None = None, *, subject: rdf.Subject | None = None) -> Iterable[rdf.Quad]:
        bindings: dict[str, rdf.Term] = {} if subject is None else {"s": subject}
        if graph is None:
            text = _ALL_QUADS if self.dialect.own_default_graph else _NAMED_QUADS % self._not_system()
            for row in self._rows(text, bindings):
                name = row["g"]
                yield rdf.Quad(row["s"], row["p"], row["o"], rdf.DefaultGraph() if name is None else name)
            return
        if isinstance(graph, rdf.DefaultGraph):
            if not self.dialect.own_default_graph:  # its default graph is every graph: nothing is stored there
                return
            rows = self._rows(_DEFAULT_QUADS, bindings)
        else:
            rows = self._rows(_GRAPH_QUADS, {**bindings, "g": graph})
        for row in rows:
            yield rdf.Quad(row["s"], row["p"], row["o"], graph)

    @property
    def engine(self) -> str:
        return self.scheme

    @property
    def local_scans(self) -> bool:
        return False

    def parses_apart(self, limits: QueryLimits, *, network: bool = False) -> bool:
        return False  # a text that crashes the engine's parser would take the engine down

    # --- writes --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self._write_lock:
            yield

    def update(self, sparql: str) -> None:
        with self._write_lock:
            self._http.update(versioning.with_bump(sparql, versioning.new_token()))
        versioning.wrote(self)

    def _post(self, quads: Iterable[rdf.Quad], *, last: bool = False) -> None:
        batch = list(quads)
        if last:  # the batch that ends a write carries the new version with it, then it replaces the old
            batch.append(versioning.token_quad(versioning.new_token()))
        if batch:
            self._post_batch(batch)
        if last:
            self._http.update(versioning.bump_text(versioning.new_token()))
            versioning.wrote(self)

    def _post_batch(self, batch: list[rdf.Quad]) -> None:
        if self.dialect.dataset_quads:
            self._http.post_quads(rdf.serialize(batch, None, rdf.RdfFormat.N_QUADS) or b"")
            return
        by_graph: dict[rdf.NamedNode, list[rdf.Triple]] = {}
        for quad in batch:
            if not isinstance(quad.graph_name, rdf.NamedNode):
                raise StoreError(
                    f"{self.dialect.engine} keeps every quad in a named graph (its default graph is the union of them all); "
                    f"cannot store {quad} in the default graph"
                )
            by_graph.setdefault(quad.graph_name, []).append(rdf.triple_of(quad))
        for graph, triples in by_graph.items():
            self._http.post_quads(rdf.triples_bytes(triples), graph.value)

    def bulk_add(self, quads: Iterable[rdf.Quad]) -> None:
        # One request per batch: a failure part-way leaves what earlier batches wrote, which the
        # callers' protocol (a new graph, registered last) already makes invisible.
        with self._write_lock:
            batch: list[rdf.Quad] = []
            for quad in quads:
                batch.append(quad)
                if len(batch) >= _BATCH:
                    self._post(batch)
                    batch = []
            self._post(batch, last=True)

    def load_triples(self, document: IO[bytes] | Path, rdf_format: rdf.RdfFormat, graph: rdf.NamedNode, *, base_iri: str | None = None) -> None:
        # Parsed here rather than posted as it is: the engines differ in how they name a posted
        # document's blank nodes, and the parser's errors should read the same on every store.
        if isinstance(document, Path):
            with document.open("rb") as stream:
                self.load_triples(stream, rdf_format, graph, base_iri=base_iri)
            return
        parsed = rdf.parse(document, rdf_format, base_iri=base_iri, rename_blank_nodes=True)
        self.bulk_add(rdf.Quad(quad.subject, quad.predicate, quad.object, graph) for quad in parsed)

    def add(self, quads: Iterable[rdf.Quad]) -> None:
        # One Graph Store Protocol request, which the engine applies in one transaction.
        with self._write_lock:
            self._post(quads, last=True)

    def remove(self, quads: Iterable[rdf.Quad]) -> None:
        doomed = list(quads)
        if not doomed:
            return
        lines = []
        for quad in doomed:
            if any(isinstance(term, rdf.BlankNode) for term in (quad.subject, quad.object, quad.graph_name)):
                raise StoreError("a remote store cannot remove a quad that holds a blank node")
            triple = f"{quad.subject} {quad.predicate} {quad.object} ."
            lines.append(triple if isinstance(quad.graph_name, rdf.DefaultGraph) else f"GRAPH {quad.graph_name} {{ {triple} }}")
        self.update("DELETE DATA {\n" + "\n".join(lines) + "\n}")

    def add_graph(self, graph: rdf.NamedNode) -> None:
        self.update(f"CREATE SILENT GRAPH {_iri(graph)}")

    def drop_graph(self, graph: rdf.NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {_iri(graph)}")

    def flush(self) -> None:
        """The engine makes each request durable before it answers."""

    def close(self) -> None:
        self._http.close()
