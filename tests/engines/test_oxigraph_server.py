"""What only a remote engine does: its own timeout, the empty and union datasets over the protocol,
and failures that must never read as short results."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from graph.store import ALL_GRAPHS, open_store, rdf, versioning
from graph.store.base import StoreError
from graph.store.limits import QueryLimits, QueryTimeout
from graph.store.remote import RemoteStore
from tests.engines.engines import Engine, clear
from tests.store.support import data_size

G1, G2 = rdf.NamedNode("urn:g1"), rdf.NamedNode("urn:g2")
P = rdf.NamedNode("urn:p")
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture
def remote(oxigraph_engine: Engine) -> Iterator[RemoteStore]:
    clear(oxigraph_engine.location)
    store = open_store(oxigraph_engine.location, recover=False)
    assert isinstance(store, RemoteStore)
    store.add(rdf.Quad(rdf.NamedNode(f"urn:s{i}"), P, rdf.Literal(str(i)), G1 if i % 2 else G2) for i in range(200))
    yield store
    store.close()


def test_the_engines_own_timeout_is_a_query_timeout(remote: RemoteStore) -> None:
    # The engine runs with --timeout-s 2 and answers 200, then its cancellation message; a limit
    # longer than that must still come back as a timeout, not as a truncated result.
    limits = QueryLimits(timeout=30, isolation="thread")
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        remote.select(CROSS_PRODUCT, default_graph=[G1, G2], named_graphs=[], limits=limits)
    assert 1.5 < time.monotonic() - started < 10
    with pytest.raises(StoreError, match="cancelled"):
        remote.select(CROSS_PRODUCT, default_graph=[G1, G2])


def test_the_client_deadline_stops_a_streaming_result(remote: RemoteStore) -> None:
    limits = QueryLimits(timeout=0.3, result_cap=10**9, isolation="thread")
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        remote.select("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", default_graph=[G1, G2], named_graphs=[], limits=limits)
    assert time.monotonic() - started < 1.5


def test_datasets_over_the_protocol(remote: RemoteStore) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    in_graphs = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

    def n(text: str, **dataset: object) -> int:
        return int(next(iter(remote.select(text, **dataset)))["n"].value)  # type: ignore[arg-type]

    assert n(count, default_graph=ALL_GRAPHS) == 200 + len(list(remote.quads(versioning.META)))  # the union holds the store version too
    assert n(count, default_graph=[G1]) == 100
    assert n(count) == 0  # the engine's default graph holds nothing
    assert n(count, default_graph=[], named_graphs=[]) == 0
    assert n(in_graphs, default_graph=[], named_graphs=[]) == 0
    assert n(in_graphs, default_graph=[], named_graphs=[G2]) == 100
    # FROM and GRAPH <iri> in the text do not widen a dataset given by the caller.
    assert n("SELECT (COUNT(*) AS ?n) FROM <urn:g1> WHERE { ?s ?p ?o }", default_graph=[], named_graphs=[]) == 0
    assert n("SELECT (COUNT(*) AS ?n) FROM NAMED <urn:g1> WHERE { GRAPH <urn:g1> { ?s ?p ?o } }", default_graph=[G2], named_graphs=[G2]) == 0


def test_writes_and_reads_through_the_protocols(remote: RemoteStore) -> None:
    assert remote.graph_size(G1) == 100 and data_size(remote) == 200
    remote.remove([rdf.Quad(rdf.NamedNode("urn:s1"), P, rdf.Literal("1"), G1)])
    assert remote.graph_size(G1) == 99
    with pytest.raises(StoreError, match="blank node"):
        remote.remove([rdf.Quad(rdf.BlankNode(), P, rdf.Literal("1"), G1)])
    with pytest.raises(SyntaxError):
        remote.update("INSERT DATA { <urn:a> <urn:b> }")
    assert [q.object for q in remote.quads(G1, subject=rdf.NamedNode("urn:s3"))] == [rdf.Literal("3")]
