"""Whether a SPARQL query or update asks the server to open outbound connections.

Oxigraph opens an HTTP connection for `SERVICE <iri> { }` in a query or an update's WHERE, and
for `LOAD <iri>`. Letting any caller do that lets them reach hosts only the server can reach
(SSRF), so only admins may. The answer here comes from a real parse, rdflib's SPARQL parser, and
not from scanning the text: a scanner has to agree with the engine on where every literal, IRI,
comment and escape ends, and a text that makes them disagree hides the keyword (that happened).

Two layers, because a parser can also disagree with the engine:
- this parse gives non-admins a clear 403 (or a 400 when the text does not parse, or is nested
  too deeply for rdflib's recursive parser: a few dozen levels, below graph.guards.nesting's limit);
- the worker that evaluates a non-admin's text cannot open a connection at all (graph.store.embedded.netguard,
  applied by graph.store.embedded.isolation), whatever the parse said.

The nesting check runs first, so a deep text never reaches either parser. rdflib's parser is
slow (tens of milliseconds for a library query), so it only sees texts that could hold one of the
keywords at all: Oxigraph matches keywords by their ASCII letters, so a text in which "service"
and "load" (and, for updates, "clear" and "drop") appear nowhere, in any case, cannot use them,
whatever its literals and comments. Parses are cached by the text's digest.

One known disagreement is closed here: rdflib replaces every `\\uXXXX` escape before it parses
(as the SPARQL text says), Oxigraph only reads it inside a literal or an IRI. So `"\\u0022"`
ends a string for rdflib and not for Oxigraph, and a SERVICE can hide behind it. The parse
here drops the backslash of such escapes instead and calls rdflib's grammar directly, so both
parsers see the same token boundaries.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import Query, UpdateUnit
from rdflib.plugins.sparql.parserutils import CompValue

from graph.errors import BadRequestError, ForbiddenError
from graph.guards.nesting import check_nesting

_CACHE_SIZE = 2048
# rdflib's parser is pyparsing, whose packrat cache is shared: one parse at a time.
_PARSE_LOCK = threading.Lock()


class OutboundRefused(ForbiddenError):
    """The text uses SERVICE or LOAD and the caller is not an admin (HTTP 403)."""


class UncheckableText(BadRequestError, SyntaxError):
    """The text cannot be parsed, so it cannot be cleared of SERVICE and LOAD (HTTP 400)."""


@dataclass(frozen=True)
class Use:
    """One outbound operation found by the parse."""

    keyword: str  # SERVICE or LOAD
    target: str  # the IRI, or the variable for SERVICE ?e

    def __str__(self) -> str:
        return f"{self.keyword} {self.target}"


@dataclass(frozen=True)
class Verdict:
    uses: tuple[Use, ...]
    error: str | None = None  # the parser's message when the text does not parse
    too_deep: bool = False  # rdflib ran out of recursion on a text within the nesting limit
    # CLEAR or DROP of ALL or NAMED: graph.ingest.writes then gives the update every data graph
    whole_store: bool = False


_QUERY_WORDS = re.compile("service|load", re.IGNORECASE)
_UPDATE_WORDS = re.compile("service|load|clear|drop", re.IGNORECASE)
_NOTHING = Verdict(())
_cache: OrderedDict[bytes, Verdict] = OrderedDict()
_CACHE_LOCK = threading.Lock()
# Escapes are consumed left to right, so in `\\u0022` the backslashes escape each other.
_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)


def _as_the_engine_reads(text: str) -> str:
    """The text with the backslash of every code-point escape dropped (see the module docstring):
    the escape then reads as plain characters inside whatever token holds it."""

    def plain(match: re.Match[str]) -> str:
        escape = match.group(0)
        return escape[1:] if len(escape) > 2 else escape

    return _ESCAPE.sub(plain, text)


def _target(value: Any) -> str:
    text = value.n3() if hasattr(value, "n3") else str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def _walk(tree: Any) -> Iterator[Use]:
    """Every SERVICE pattern and LOAD operation in a parse tree, without recursion (a parse tree
    is as deep as the text's nesting)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                yield Use("SERVICE", _target(node.get("term")))
            elif node.name == "Load":
                yield Use("LOAD", _target(node.get("iri")))
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _clears_all(tree: Any) -> bool:
    """Whether an update's operations include CLEAR or DROP of ALL or NAMED (top level only)."""
    operations = tree["request"] if isinstance(tree, CompValue) and "request" in tree else []
    return any(
        isinstance(op, CompValue) and op.name in {"Clear", "Drop"} and str(op["graphiri"] if "graphiri" in op else "").upper() in {"ALL", "NAMED"}  # noqa: SIM401 - CompValue.get has another signature
        for op in operations
    )


def _parse(text: str, update: bool) -> Verdict:
    try:
        with _PARSE_LOCK:
            plain = _as_the_engine_reads(text)
            tree = UpdateUnit.parse_string(plain, parse_all=True)[0] if update else Query.parse_string(plain, parse_all=True)
    except ParseBaseException as error:
        said = str(error).split("  (at char", 1)[0]
        return Verdict((), error=f"line {error.lineno}, column {error.col}: {said}")
    except RecursionError:
        return Verdict((), too_deep=True)
    except Exception as error:  # noqa: BLE001 - rdflib raises plain exceptions for some invalid input
        return Verdict((), error=f"{type(error).__name__}: {error}")
    return Verdict(tuple(dict.fromkeys(_walk(tree))), whole_store=_clears_all(tree))


def verdict(text: str, *, update: bool) -> Verdict:
    """What the parse says about `text` (cached). Raises NestingTooDeep before parsing."""
    check_nesting(text)
    if not (_UPDATE_WORDS if update else _QUERY_WORDS).search(text):
        return _NOTHING  # none of the keywords' letters: nothing to find, no parse needed
    key = hashlib.sha256((b"U" if update else b"Q") + text.encode("utf-8", "surrogatepass")).digest()
    with _CACHE_LOCK:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    found = _parse(text, update)
    with _CACHE_LOCK:
        _cache[key] = found
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def check(text: str, *, update: bool, admin: bool, who: str) -> None:
    """Refuse `text` unless it is safe to evaluate for this caller: OutboundRefused when it uses
    SERVICE or LOAD and the caller is no admin, UncheckableText when a text that could use them
    does not parse (other syntax errors are the engine's to report), NestingTooDeep beyond
    graph.guards.nesting's limit (for admins too: a deep text crashes Oxigraph's parser whoever sent it).
    Admins' texts are not checked for SERVICE and LOAD."""
    if admin:
        check_nesting(text)
        return
    found = verdict(text, update=update)
    if not _QUERY_WORDS.search(text):
        return  # parsed for CLEAR/DROP only: what rdflib cannot read is the engine's to report
    if found.error is not None:
        raise UncheckableText(found.error)
    if found.too_deep:
        raise UncheckableText(
            "the text mentions 'service' or 'load' and is nested too deeply for the parser that checks it "
            "for SERVICE and LOAD; reduce the nesting of { ( [ (or rename what contains those words)"
        )
    if found.uses:
        keywords = " and ".join(sorted({use.keyword for use in found.uses}))
        shown = "; ".join(str(use) for use in found.uses[:5])
        raise OutboundRefused(
            f"{keywords} refused: it makes the server open outbound connections, which only admins may do "
            f"(found {shown}; you are {who})"
        )
