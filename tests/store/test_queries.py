"""Queries: typed entry points, the store's own result types, bindings, and explicit datasets."""

from __future__ import annotations

import json

import pytest

from graph.store import ALL_GRAPHS, Boolean, GraphStore, Solutions, Triples, rdf, versioning
from tests.store.support import G1, G2, P, cannot, node, quad

ROWS = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"


@pytest.fixture
def filled(store: GraphStore) -> GraphStore:
    store.add([quad("a", "1", G1), quad("b", "2", G1), quad("c", "3", G2)])
    return store


def values(solutions: Solutions, name: str) -> list[str]:
    return [row[name].value for row in solutions]


def test_select_rows_by_name_and_position(filled: GraphStore) -> None:
    solutions = filled.select(ROWS, default_graph=[G1])
    assert isinstance(solutions, Solutions) and solutions.variables == ["s", "o"]
    rows = list(solutions)
    assert [row["s"] for row in rows] == [node("a"), node("b")]
    assert [row[1] for row in rows] == [rdf.Literal("1"), rdf.Literal("2")]
    subject, value = rows[0]
    assert (subject, value) == (node("a"), rdf.Literal("1"))


def test_an_unbound_variable_is_none(filled: GraphStore) -> None:
    rows = list(filled.select("SELECT ?s ?missing WHERE { ?s ?p ?o OPTIONAL { ?s <urn:none> ?missing } }", default_graph=[G2]))
    assert rows[0]["missing"] is None


def test_ask_and_construct(filled: GraphStore) -> None:
    assert filled.ask("ASK { ?s ?p '3' }", default_graph=[G2]) is True
    assert filled.ask("ASK { ?s ?p '3' }", default_graph=[G1]) is False
    triples = filled.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graph=[G1])
    assert isinstance(triples, Triples)
    assert set(triples) == {rdf.triple_of(quad("a", "1", G1)), rdf.triple_of(quad("b", "2", G1))}


def test_evaluate_returns_the_form_it_ran(filled: GraphStore) -> None:
    assert isinstance(filled.evaluate(ROWS, default_graph=[G1]), Solutions)
    answer = filled.evaluate("ASK {}", default_graph=[])
    assert isinstance(answer, Boolean) and bool(answer)
    assert isinstance(filled.evaluate("DESCRIBE <urn:contract:a>", default_graph=[G1]), Triples)


def test_the_wrong_entry_point_says_so(filled: GraphStore) -> None:
    with pytest.raises(ValueError, match="SELECT"):
        filled.select("ASK {}", default_graph=[])
    with pytest.raises(ValueError, match="ASK"):
        filled.ask(ROWS, default_graph=[])
    with pytest.raises(ValueError, match="CONSTRUCT"):
        filled.construct(ROWS, default_graph=[])


def test_syntax_errors_are_syntax_errors(filled: GraphStore) -> None:
    with pytest.raises(SyntaxError):
        filled.select("SELEC ?x", default_graph=[])


def test_bindings_bind_by_name(filled: GraphStore) -> None:
    solutions = filled.select("SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"s": node("b")}, default_graph=[G1, G2])
    assert values(solutions, "o") == ["2"]
    assert filled.ask("ASK { ?s ?p ?o }", bindings={"o": rdf.Literal("3")}, default_graph=[G2]) is True
    assert filled.ask("ASK { ?s ?p ?o }", bindings={"o": rdf.Literal("3")}, default_graph=[G1]) is False
    # A literal is bound as a term, never pasted into the text.
    hostile = rdf.Literal("x' } DROP ALL #")
    assert list(filled.select("SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"o": hostile}, default_graph=[G1])) == []


def test_explicit_datasets(filled: GraphStore) -> None:
    assert values(filled.select(ROWS, default_graph=[G1, G2]), "o") == ["1", "2", "3"]
    tokens = versioning.read(filled).split()  # the union of all graphs holds the store version too
    assert [v for v in values(filled.select(ROWS, default_graph=ALL_GRAPHS), "o") if v not in tokens] == ["1", "2", "3"]
    # Empty lists mean an empty dataset, whatever the text asks for.
    assert list(filled.select(ROWS, default_graph=[], named_graphs=[])) == []
    text = f"SELECT ?o WHERE {{ GRAPH <{G2.value}> {{ ?s ?p ?o }} }}"
    assert list(filled.select(text, default_graph=[], named_graphs=[])) == []
    assert values(filled.select(text, default_graph=[], named_graphs=[G2]), "o") == ["3"]
    named = filled.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?o", default_graph=[], named_graphs=[G1])
    assert [(row["g"], row["o"].value) for row in named] == [(G1, "1"), (G1, "2")]
    # Without a list the text decides.
    assert values(filled.select(f"SELECT ?o FROM <{G2.value}> WHERE {{ ?s ?p ?o }}"), "o") == ["3"]


def test_a_list_overrides_from_in_the_text(filled: GraphStore, backend: str, request: pytest.FixtureRequest) -> None:
    cannot(request, backend, "from-overrides")
    from_g2 = f"SELECT ?o FROM <{G2.value}> WHERE {{ ?s ?p ?o }}"
    assert sorted(values(filled.select(from_g2, default_graph=[G1]), "o")) == ["1", "2"]


def test_results_serialize(filled: GraphStore) -> None:
    document = json.loads(filled.select(ROWS, default_graph=[G2]).serialize(rdf.QueryResultsFormat.JSON))
    assert document["head"]["vars"] == ["s", "o"] and document["results"]["bindings"][0]["o"]["value"] == "3"
    assert b"true" in Boolean(True).serialize(rdf.QueryResultsFormat.XML)
    assert json.loads(Boolean(False).serialize(rdf.QueryResultsFormat.JSON))["boolean"] is False
    turtle = filled.construct("CONSTRUCT WHERE { ?s ?p ?o }", default_graph=[G2]).serialize(rdf.RdfFormat.TURTLE)
    assert set(rdf.parse(turtle, rdf.RdfFormat.TURTLE)) == {rdf.Quad(node("c"), P, rdf.Literal("3"), rdf.DefaultGraph())}


def test_solutions_are_read_once(filled: GraphStore) -> None:
    solutions = filled.select(ROWS, default_graph=[G1])
    assert len(list(solutions)) == 2
    with pytest.raises(RuntimeError, match="already read"):
        solutions.serialize(rdf.QueryResultsFormat.JSON)
