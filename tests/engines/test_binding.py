"""Binding variables by a VALUES table at the top of the WHERE group, for engines that take text."""

from __future__ import annotations

import pytest

from graph.store import open_store, rdf
from graph.store.remote.binding import bind, where_brace

X = rdf.NamedNode("urn:x")


@pytest.mark.parametrize(
    ("text", "before"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o }", "SELECT ?s WHERE "),
        ("SELECT * { ?s ?p ?o }", "SELECT * "),
        ("PREFIX a: <urn:a#> SELECT ?s WHERE { ?s a:p ?o }", "PREFIX a: <urn:a#> SELECT ?s WHERE "),
        ("# a comment { here\nASK { ?s ?p ?o }", "# a comment { here\nASK "),
        ("CONSTRUCT { ?s ?p '{' } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p '{' } WHERE "),
        ('CONSTRUCT { ?s <urn:p> """}""" } where { ?s ?p ?o }', 'CONSTRUCT { ?s <urn:p> """}""" } where '),
        ("SELECT ?where (COUNT(*) AS ?n) WHERE { ?where ?p ?o } GROUP BY ?where", "SELECT ?where (COUNT(*) AS ?n) WHERE "),
    ],
)
def test_the_where_brace(text: str, before: str) -> None:
    assert text[: where_brace(text)] == before


def test_no_where_group_is_a_syntax_error() -> None:
    with pytest.raises(SyntaxError):
        where_brace("DESCRIBE <urn:x>")
    with pytest.raises(SyntaxError, match="unterminated"):
        where_brace("SELECT ('open AS ?x) WHERE { ?s ?p ?o }")


def test_terms_are_serialized_not_pasted() -> None:
    tricky = rdf.Literal('a" } ; DROP ALL ; #\n"', language="en")
    text = bind("SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": tricky, "s": X})
    assert text == f"SELECT ?s ?o WHERE {{ VALUES (?o ?s) {{ ({tricky} <urn:x>) }} ?s ?p ?o }}"
    # What the engine would bind is the very term: evaluate the bound text on the embedded engine.
    store = open_store(None)
    store.add([rdf.Quad(X, X, tricky, rdf.DefaultGraph())])
    assert [row["o"] for row in store.select(text)] == [tricky]


def test_blank_nodes_and_bad_names_are_refused() -> None:
    with pytest.raises(TypeError, match="blank node"):
        bind("SELECT ?s { ?s ?p ?o }", {"s": rdf.BlankNode()})
    with pytest.raises(ValueError, match="variable name"):
        bind("SELECT ?s { ?s ?p ?o }", {"s) } DROP ALL": X})


def test_bound_aggregates_group_by_the_bound_value() -> None:
    store = open_store(None)
    graph = rdf.NamedNode("urn:g")
    store.add([rdf.Quad(rdf.NamedNode(f"urn:s{i}"), X, rdf.Literal(str(i)), graph) for i in range(5)])
    text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    bound = list(store.select(bind(text, {"g": graph})))
    substituted = list(store.select(text, bindings={"g": graph}))
    assert [(r["g"], r["n"]) for r in bound] == [(r["g"], r["n"]) for r in substituted] == [(graph, rdf.Literal("5", datatype=rdf.XSD_INTEGER))]
