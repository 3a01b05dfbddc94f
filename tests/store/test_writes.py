"""Writing and reading back quads: the calls every backend implements the same way."""

from __future__ import annotations

import io

import pytest

from graph.store import GraphStore, StoreError, rdf, versioning
from tests.store.support import G1, G2, P, Q, cannot, data_graphs, data_size, node, quad

MANY = 10_007  # more than one small batch: the embedded backend takes its bulk path


def test_add_and_read_back_by_graph(store: GraphStore) -> None:
    store.add([quad("a", "1", G1), quad("b", "2", G1), quad("a", "3", G2)])
    assert set(store.quads(G1)) == {quad("a", "1", G1), quad("b", "2", G1)}
    assert set(store.quads(G2)) == {quad("a", "3", G2)}
    assert len([q for q in store.quads() if q.graph_name != versioning.META]) == 3
    assert data_size(store) == 3
    assert (store.graph_size(G1), store.graph_size(G2)) == (2, 1)


def test_quads_of_one_subject(store: GraphStore) -> None:
    store.add([quad("a", "1", G1), quad("a", "2", G2), quad("b", "3", G1)])
    assert set(store.quads(subject=node("a"))) == {quad("a", "1", G1), quad("a", "2", G2)}
    assert list(store.quads(G1, subject=node("a"))) == [quad("a", "1", G1)]
    assert isinstance(store.local_scans, bool)


def test_bulk_add_small_and_large(store: GraphStore) -> None:
    store.bulk_add([quad("one", "1", G1)])
    store.bulk_add(quad(f"s{i}", str(i), G2) for i in range(MANY))
    assert store.graph_size(G1) == 1
    assert store.graph_size(G2) == MANY


def test_a_failing_input_adds_nothing(store: GraphStore) -> None:
    def broken() -> object:
        yield quad("a", "1", G1)
        raise SyntaxError("line 2: bad input")

    before = versioning.read(store)
    with pytest.raises(SyntaxError, match="line 2"):
        store.add(broken())  # type: ignore[arg-type]
    assert store.size() == len(list(store.quads(versioning.META))) and versioning.read(store) == before


def test_remove(store: GraphStore) -> None:
    store.add([quad("a", "1", G1), quad("b", "2", G1)])
    store.remove([quad("a", "1", G1), quad("never", "added", G1)])
    assert list(store.quads(G1)) == [quad("b", "2", G1)]


def test_named_graphs_empty_and_dropped(store: GraphStore, backend: str, request: pytest.FixtureRequest) -> None:
    cannot(request, backend, "empty-graphs")
    assert data_graphs(store) == [] and not store.has_graph(G1)
    store.add_graph(G1)
    assert store.has_graph(G1) and store.graph_size(G1) == 0 and G1 in data_graphs(store)
    store.add([quad("a", "1", G2)])
    assert set(data_graphs(store)) == {G1, G2}
    store.drop_graph(G2)
    store.drop_graph(rdf.NamedNode("urn:contract:never-there"))  # no error
    assert data_graphs(store) == [G1] and data_size(store) == 0


def test_the_default_graph_is_a_graph_of_its_own(store: GraphStore, backend: str, request: pytest.FixtureRequest) -> None:
    cannot(request, backend, "default-graph")
    in_default = rdf.Quad(node("d"), P, rdf.Literal("x"), rdf.DefaultGraph())
    store.add([in_default, quad("a", "1", G1)])
    assert list(store.quads(rdf.DefaultGraph())) == [in_default]
    assert data_graphs(store) == [G1]


def test_update(store: GraphStore) -> None:
    store.update(f"INSERT DATA {{ GRAPH <{G1.value}> {{ <urn:contract:a> <{Q.value}> 'u' }} }}")
    assert list(store.quads(G1)) == [rdf.Quad(node("a"), Q, rdf.Literal("u"), G1)]
    with pytest.raises(SyntaxError):
        store.update("INSERT NOTHING")


def test_dump_is_n_quads_of_everything(store: GraphStore) -> None:
    written = {quad("a", "1", G1), quad("b", "tab\there", G2), rdf.Quad(node("c"), P, rdf.BlankNode("b0"), G2)}
    store.add(written)
    output = io.BytesIO()
    store.dump(output)
    parsed = [q for q in rdf.parse(output.getvalue(), rdf.RdfFormat.N_QUADS) if q.graph_name != versioning.META]
    assert len(parsed) == 3
    assert {q for q in parsed if not isinstance(q.object, rdf.BlankNode)} == {quad("a", "1", G1), quad("b", "tab\there", G2)}


def test_flush_keeps_what_was_written(store: GraphStore) -> None:
    store.add([quad("a", "1", G1)])
    store.flush()
    assert store.graph_size(G1) == 1


def test_a_store_that_cannot_open_says_why(tmp_path: object) -> None:
    from pathlib import Path

    from graph.store import EmbeddedStore

    blocker = Path(str(tmp_path)) / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot open the store"):
        EmbeddedStore(blocker / "store")
