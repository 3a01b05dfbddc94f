"""Queries under limits: the same results, stopped at the deadline, capped, and never more at once
than the worker slots allow. How a backend stops a query is its own business."""

from __future__ import annotations

import os
import time

import pytest

from graph.store import Boolean, GraphStore, Solutions, Triples, rdf
from graph.store.limits import QueryBusy, QueryLimits, QueryTimeout, ResultCapExceeded, raise_for_outcome
from tests.store.support import G1, G2, quad

ISOLATIONS = ["pool", "process", "thread"] if hasattr(os, "fork") else ["pool", "thread"]
CROSS_PRODUCT = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 300^3 rows, streamed


@pytest.fixture
def filled(store: GraphStore) -> GraphStore:
    store.add(quad(f"s{i}", str(i), G1) for i in range(300))
    store.add([quad("other", "x", G2)])
    return store


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_limited_results_are_the_plain_results(filled: GraphStore, isolation: str) -> None:
    limits = QueryLimits(timeout=10, isolation=isolation)  # type: ignore[arg-type]
    text = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    plain = [tuple(row) for row in filled.select(text, default_graph=[G1])]
    limited = filled.select(text, default_graph=[G1], named_graphs=[], limits=limits)
    assert limited.variables == ["s", "o"] and [tuple(row) for row in limited] == plain
    construct = "CONSTRUCT WHERE { ?s ?p ?o }"
    assert set(filled.construct(construct, default_graph=[G2], named_graphs=[], limits=limits)) == set(
        filled.construct(construct, default_graph=[G2])
    )
    assert filled.ask("ASK { ?s ?p 'x' }", default_graph=[G2], named_graphs=[], limits=limits) is True
    assert isinstance(filled.evaluate("ASK {}", default_graph=[], named_graphs=[], limits=limits), Boolean)
    bound = filled.select(
        "SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"o": rdf.Literal("7")}, default_graph=[G1], named_graphs=[], limits=limits
    )
    assert [row["o"].value for row in bound] == ["7"]
    # The dataset holds under limits too: an empty list is an empty dataset.
    assert list(filled.select(text, default_graph=[], named_graphs=[], limits=limits)) == []
    with pytest.raises(SyntaxError):
        filled.select("SELEC ?x", default_graph=[], named_graphs=[], limits=limits)


def test_a_limited_query_needs_an_explicit_dataset(filled: GraphStore) -> None:
    with pytest.raises(ValueError, match="explicit dataset"):
        filled.select("SELECT * {}", default_graph=None, named_graphs=[], limits=QueryLimits())
    with pytest.raises(ValueError, match="explicit dataset"):
        filled.select("SELECT * {}", default_graph=[G1], limits=QueryLimits())


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_the_result_cap(filled: GraphStore, isolation: str) -> None:
    limits = QueryLimits(timeout=10, result_cap=50, isolation=isolation)  # type: ignore[arg-type]
    with pytest.raises(ResultCapExceeded, match="50"):
        filled.select("SELECT ?s WHERE { ?s ?p ?o }", default_graph=[G1], named_graphs=[], limits=limits)
    with pytest.raises(ResultCapExceeded):
        filled.construct("CONSTRUCT WHERE { ?s ?p ?o }", default_graph=[G1], named_graphs=[], limits=limits)
    assert len(list(filled.select("SELECT ?s WHERE { ?s ?p ?o } LIMIT 50", default_graph=[G1], named_graphs=[], limits=limits))) == 50


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_the_timeout(filled: GraphStore, isolation: str) -> None:
    limits = QueryLimits(timeout=0.5, result_cap=10**9, isolation=isolation)  # type: ignore[arg-type]
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        list(filled.select(CROSS_PRODUCT, default_graph=[G1], named_graphs=[], limits=limits))
    assert time.monotonic() - started < 3


def test_no_free_slot_is_busy(filled: GraphStore) -> None:
    limits = QueryLimits(timeout=0.3, isolation="thread", workers=1)
    assert limits.slots.acquire(timeout=1)
    try:
        with pytest.raises(QueryBusy):
            filled.ask("ASK {}", default_graph=[], named_graphs=[], limits=limits)
    finally:
        limits.slots.release()


def test_a_variant_shares_the_worker_slots() -> None:
    limits = QueryLimits(workers=2)
    threaded = limits.variant(isolation="thread")
    assert threaded.isolation == "thread" and threaded.slots is limits.slots
    with pytest.raises(ValueError, match="worker count"):
        limits.variant(workers=3)


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_isolated_work(filled: GraphStore, isolation: str) -> None:
    limits = QueryLimits(timeout=5, isolation=isolation)  # type: ignore[arg-type]

    def work(sink: object) -> dict[str, object]:
        sink(str(filled.graph_size(G1)).encode())  # type: ignore[operator]
        return {"kind": "count"}

    data, outcome = filled.run_isolated(work, limits)  # type: ignore[arg-type]
    raise_for_outcome(outcome, limits)
    assert (data, outcome) == (b"300", {"kind": "count"})


def test_result_types_do_not_leak_the_engine(filled: GraphStore) -> None:
    limits = QueryLimits(timeout=10, isolation="thread")
    for result in (
        filled.evaluate("SELECT * { ?s ?p ?o } LIMIT 1", default_graph=[G1], named_graphs=[], limits=limits),
        filled.evaluate("SELECT * { ?s ?p ?o } LIMIT 1", default_graph=[G1]),
    ):
        assert isinstance(result, Solutions)
    assert isinstance(filled.evaluate("CONSTRUCT WHERE { ?s ?p ?o }", default_graph=[G2]), Triples)
