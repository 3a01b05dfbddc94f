"""Bind query variables on an engine that takes only text: a VALUES table of serialized terms.

The table opens the query's outermost group (its WHERE clause), so the engine joins it first, as
the embedded engine's substitutions do, rather than after grouping (a trailing VALUES clause).
Terms are serialized by the term module, never pasted from a caller's string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from graph.store import rdf

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_WORD = re.compile(r"[A-Za-z]+")


def _term(name: str, term: rdf.Term) -> str:
    if isinstance(term, rdf.BlankNode | rdf.Triple):
        raise TypeError(f"?{name}: a remote engine cannot bind a blank node or a quoted triple")
    return str(term)


def _skip_string(text: str, at: int) -> int:
    """The index just past the string literal that opens at `at`."""
    quote = text[at]
    long = text.startswith(quote * 3, at)
    closing = quote * 3 if long else quote
    index = at + len(closing)
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(closing, index):
            return index + len(closing)
        if not long and text[index] == "\n":
            break
        index += 1
    raise SyntaxError("unterminated string in the query")


def where_brace(text: str) -> int:
    """The index of the brace that opens the query's WHERE group; raises SyntaxError if none."""
    depth, index, last_word = 0, 0, ""
    construct = False
    while index < len(text):
        char = text[index]
        if char == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
            continue
        if char in "\"'":
            index = _skip_string(text, index)
            continue
        if char == "<" and depth == 0 and re.match(r"<[^<>\"{}|^`\\\s]*>", text[index:]):
            index = text.index(">", index) + 1
            continue
        if char == "{":
            if depth == 0 and (not construct or last_word == "WHERE"):
                return index
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and (word := _WORD.match(text, index)) and (index == 0 or not (text[index - 1].isalnum() or text[index - 1] in "_:?$")):
            last_word = word.group().upper()
            construct = construct or last_word == "CONSTRUCT"
            index = word.end()
            continue
        elif not char.isspace():
            last_word = ""
        index += 1
    raise SyntaxError("the query has no WHERE group to bind variables in")


def bind(text: str, bindings: Mapping[str, rdf.Term] | None) -> str:
    """`text` with each bound variable fixed by a one-row VALUES table at the top of its WHERE."""
    if not bindings:
        return text
    for name in bindings:
        if not _NAME.match(name):
            raise ValueError(f"not a variable name: {name!r}")
    names = " ".join(f"?{name}" for name in bindings)
    row = " ".join(_term(name, term) for name, term in bindings.items())
    at = where_brace(text) + 1
    return f"{text[:at]} VALUES ({names}) {{ ({row}) }}{text[at:]}"
