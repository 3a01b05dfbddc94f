"""How deeply a SPARQL text nests its brackets, measured before any parser sees it.

Parsers of SPARQL are recursive: Oxigraph's crashes the whole process (a native stack overflow,
not an exception) on a few thousand nested `{`, and rdflib's raises RecursionError much sooner.
So every text from a client is measured here first, and one deeper than `MAX_NESTING` is refused.

Why two readings: brackets inside string literals, IRIs and comments do not nest, so they are
skipped; but `<` is either an IRI or the less-than operator, and only the grammar in context can
tell which. A text can be written so that one reading hides brackets the other counts (a quote or
`#` inside what looks like an IRI). The depth reported is the larger of the two readings, "`<`
opens an IRI wherever one can start" and "`<` is always an operator", and inside anything read
as an IRI an opening bracket still counts. A real depth can only be over-counted, never hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import BadRequestError

MAX_NESTING = 64
"""Deepest `{ ( [` nesting accepted: far beyond hand-written queries, far below any crash. Fixed,
not a setting, so that no configuration can bring a crash back within reach."""

_OPENERS = frozenset("{([")
_CLOSERS = frozenset("})]")
# SPARQL 1.1 IRIREF (grammar rule 139): no spaces, controls, or any of <>"{}|^`\
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_NOTABLE = re.compile(r"[{}()\[\]'\"#<\\]")


class NestingTooDeep(BadRequestError, ValueError):
    """A SPARQL text nests brackets deeper than the limit; the message says where."""

    def __init__(self, limit: int, offset: int) -> None:
        self.limit, self.offset = limit, offset
        super().__init__(
            f"the text nests brackets more than {limit} deep (at character {offset}); "
            f"at most {limit} levels of {{ ( [ are accepted"
        )


@dataclass(frozen=True)
class Depth:
    depth: int
    offset: int  # where the deepest opening bracket is


def _skip_string(text: str, start: int) -> int | None:
    """The index after the string literal opening at `start`, or None when it never closes
    (then the quote is read as an ordinary character, which only counts more brackets)."""
    quote = text[start]
    if text.startswith(quote * 3, start):
        i = start + 3
        while i < len(text):
            if text[i] == "\\":
                i += 2
            elif text.startswith(quote * 3, i):
                return i + 3
            else:
                i += 1
        return None
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
        elif char == quote:
            return i + 1
        elif char in "\r\n":
            return None
        else:
            i += 1
    return None


def _measure(text: str, *, iris: bool, stop_above: int) -> Depth:
    depth = deepest = deepest_at = 0
    i, length = 0, len(text)
    while i < length:
        notable = _NOTABLE.search(text, i)
        if notable is None:
            break
        i = notable.start()
        char = text[i]
        if char in _OPENERS:
            depth += 1
            if depth > deepest:
                deepest, deepest_at = depth, i
                if deepest > stop_above:
                    break
            i += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
            i += 1
        elif char in "'\"":
            end = _skip_string(text, i)
            i = i + 1 if end is None else end
        elif char == "\\":  # an escape in a prefixed name (`ex:a\#b`) is part of the name
            i += 2
        elif char == "#":
            newline = text.find("\n", i)
            i = length if newline < 0 else newline + 1
        elif char == "<" and iris and (match := _IRIREF.match(text, i)):
            for offset, inner in enumerate(match.group(), start=i):
                if inner in "([":
                    depth += 1
                    if depth > deepest:
                        deepest, deepest_at = depth, offset
            i = match.end()
        else:
            i += 1
    return Depth(deepest, deepest_at)


def nesting_depth(text: str, *, stop_above: int | None = None) -> Depth:
    """The deepest bracket nesting of `text` under either reading of `<` (see the module's
    docstring). With `stop_above`, counting stops as soon as that depth is passed."""
    bound = len(text) if stop_above is None else stop_above
    as_iris = _measure(text, iris=True, stop_above=bound)
    as_operators = _measure(text, iris=False, stop_above=bound)
    return max(as_iris, as_operators, key=lambda d: d.depth)


def check_nesting(text: str, *, limit: int = MAX_NESTING) -> None:
    """Raise NestingTooDeep when `text` nests brackets deeper than `limit`."""
    if sum(text.count(opener) for opener in _OPENERS) <= limit:
        return  # too few brackets to nest deeper, whatever they are
    found = nesting_depth(text, stop_above=limit)
    if found.depth > limit:
        raise NestingTooDeep(limit, found.offset)
