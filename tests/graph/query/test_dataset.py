"""The query's dataset read from its text, the base declaration, and parser positions."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.query.dataset import dataset_clauses, query_dataset, unshift_positions, with_base


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", None),
        ("SELECT * FROM <http://g/1> WHERE { ?s ?p ?o }", (["http://g/1"], [])),
        ("select * from named <http://g/1> from <http://g/2> { }", (["http://g/2"], ["http://g/1"])),
        ("PREFIX g: <http://g/> CONSTRUCT { ?s ?p ?o } FROM g:a FROM NAMED g:b WHERE { ?s ?p ?o }", (["http://g/a"], ["http://g/b"])),
        ("BASE <http://g/> ASK FROM <x> { }", (["http://g/x"], [])),
        ("DESCRIBE <http://x> FROM <http://g/1>", (["http://g/1"], [])),
        ('SELECT * { ?s ?p "FROM <http://g/1>" } # FROM <http://g/2>', None),
        ("SELECT * { { SELECT * { ?s ?p ?o } } } ", None),
        ("SELECT ?from ?named { ?from ?named ?o }", None),
    ],
)
def test_dataset_clauses(text: str, expected: tuple[list[str], list[str]] | None) -> None:
    assert dataset_clauses(text) == expected


def test_the_protocols_parameters_define_the_whole_dataset() -> None:
    a, b = ox.NamedNode("http://g/a"), ox.NamedNode("http://g/b")
    text = "SELECT * FROM <http://g/a> { }"
    assert query_dataset(text, [a, b], named_graph_uris=["http://g/b"]) == query_dataset("", [a, b], named_graph_uris=["http://g/b"])
    only_named = query_dataset(text, [a, b], named_graph_uris=["http://g/b", "http://g/hidden"])
    assert (only_named.default, only_named.named) == ([], [b])
    assert query_dataset(text, [b]).default == []  # FROM a graph the caller may not read: nothing
    everything = query_dataset("SELECT * { }", [a, b])
    assert (everything.default, everything.named) == ([a, b], [a, b])


def test_the_base_cannot_end_its_declaration_early() -> None:
    based = with_base("SELECT * { }", "http://a> SELECT {}/sparql")
    first_line = based.split("\n")[0]
    assert first_line.count("<") == first_line.count(">") == 1
    ox.Store().query(based)  # parses: the base is one IRI


def test_positions_are_the_callers_lines() -> None:
    text = "SELECT * WHERE {\n ?s ?p ?o .\n FILTER(?o ==) }"
    with pytest.raises(SyntaxError) as direct:
        ox.Store().query(text)
    with pytest.raises(SyntaxError) as based:
        ox.Store().query(with_base(text, "http://h/sparql"))
    assert unshift_positions(str(based.value)) == str(direct.value)
