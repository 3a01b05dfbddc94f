"""The nesting check refuses texts deeper than the limit, and cannot be fooled into counting less."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.guards.nesting import MAX_NESTING, NestingTooDeep, check_nesting, nesting_depth


def nested_groups(depth: int) -> str:
    return "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth


def test_the_limit_itself_is_accepted_and_one_more_is_refused() -> None:
    check_nesting(nested_groups(MAX_NESTING))
    with pytest.raises(NestingTooDeep) as refused:
        check_nesting(nested_groups(MAX_NESTING + 1))
    assert f"more than {MAX_NESTING} deep" in str(refused.value)
    assert refused.value.offset == len("SELECT * WHERE ") + MAX_NESTING


def test_a_text_at_the_limit_is_safe_for_the_engine() -> None:
    # What the check lets through, pyoxigraph parses and runs in this very process.
    solutions = ox.Store().query(nested_groups(MAX_NESTING))
    assert isinstance(solutions, ox.QuerySolutions) and list(solutions) == []
    parens = "SELECT * WHERE { FILTER(" + "(" * (MAX_NESTING - 2) + "true" + ")" * (MAX_NESTING - 2) + ") }"
    check_nesting(parens)
    one_row = ox.Store().query(parens)
    assert isinstance(one_row, ox.QuerySolutions) and len(list(one_row)) == 1


def test_the_reported_attack_is_refused() -> None:
    attack = "SELECT * WHERE { BIND(\"!\" AS ?a) FILTER(?a<'>') " + "{" * 5000 + "}" * 5000 + "}"
    with pytest.raises(NestingTooDeep):
        check_nesting(attack)


@pytest.mark.parametrize(
    "inert",
    [
        '"{{{{"',
        "'(((('",
        '"""{{{\n{{{"""',
        "'''[[[\n((('''",
        r'"\"{{{{"',
        "<http://example.org/{{{{>".replace("{", "%7B"),
        "# {{{{{{{{\n",
    ],
)
def test_brackets_in_literals_iris_and_comments_do_not_count(inert: str) -> None:
    text = "SELECT * WHERE { ?s ?p " + inert + " }"
    assert nesting_depth(text).depth == 1


@pytest.mark.parametrize(
    "hider",
    [
        "}}}}}}}}",  # closers never go below zero
        '"}}}}"',  # closers in a string do not count
        "<http://x/)))>",  # closers in what might be an IRI do not count
    ],
)
def test_closers_cannot_hide_depth(hider: str) -> None:
    text = hider + " " + "(" * 100 + "1" + ")" * 100
    assert nesting_depth(text).depth >= 100


def test_a_quote_inside_what_looks_like_an_iri_cannot_hide_brackets() -> None:
    # Read as an IRI, `<('>` hides nothing; read as less-than, the quote opens a string.
    # Either way the parentheses after it are counted by one of the two readings.
    text = "FILTER(?a<('> ' + " + "(" * 100 + "?x" + ")" * 100 + " = 'z')"
    assert nesting_depth(text).depth >= 100


def test_a_hash_inside_what_looks_like_an_iri_cannot_hide_brackets() -> None:
    text = "FILTER(?a <x#> " + "(" * 100 + "?x" + ")" * 100 + ")"
    assert nesting_depth(text).depth >= 100


def test_an_escaped_hash_in_a_prefixed_name_is_not_a_comment() -> None:
    text = "SELECT * WHERE { ex:a\\#b ?p " + "(" * 100 + "1" + ")" * 100 + " }"
    assert nesting_depth(text).depth >= 100


def test_an_unterminated_string_counts_what_follows() -> None:
    text = 'SELECT * WHERE { ?s ?p "open\n' + "{" * 100
    assert nesting_depth(text).depth >= 100


def test_a_custom_limit_applies() -> None:
    check_nesting(nested_groups(3), limit=3)
    with pytest.raises(NestingTooDeep, match="more than 3 deep"):
        check_nesting(nested_groups(4), limit=3)


def test_many_shallow_groups_are_not_deep() -> None:
    text = "SELECT * WHERE { " + "{ ?s ?p ?o } UNION " * 500 + "{ ?s ?p ?o } }"
    assert nesting_depth(text).depth == 2
    check_nesting(text)
