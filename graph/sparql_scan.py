"""A SPARQL tokenizer that finds what a request could do without rewriting or evaluating it.

Two questions are answered here, both without touching the query text:

- Does the text contain SERVICE or LOAD, the operations that make pyoxigraph open outbound HTTP
  connections (SSRF)? `outbound_operations` says where.
- Which IRIs does the text mention (resolved against BASE, prefixed names expanded)? The sandboxed
  update in graph.writes copies the graphs so named; a miss there only hides data from the update.

Why a tokenizer and not a regular expression over the text: the keywords must not be found inside
string literals, IRIs, comments, variables (`?service`), prefixed-name local parts (`ex:load`),
language tags or blank node labels, and must be found in any case (`service`).

Why it flags more than the keywords themselves: pyoxigraph's parser matches keywords without a
word boundary. It reads `SERVICEex:g { }` as `SERVICE ex:g { }`, `LOADex:x` as `LOAD ex:x`, and
`?s ?p trueSERVICE <x> { }` as the object `true` followed by SERVICE. So every bare word, and
every prefix of a prefixed name, that *contains* "service" or "load" is flagged. The price is a
false alarm on a prefix such as `services:` or `download:`, and the message says how to avoid it.
Local parts are never flagged: the parser reads them greedily, so `ex:SERVICE` is a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

# The character classes of the SPARQL 1.1 grammar (section 19.8).
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"

_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
             |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
             |'(?:[^'\\\r\n]|\\.)*'
             |"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?)
  | (?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)
  | (?P<pname>(?P<prefix>[{_PN_CHARS_U}0-9][{_PN_CHARS}.]*)?:
               (?P<local>(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:[{_PN_CHARS}.:]|{_PLX})*)?)
  | (?P<word>[{_PN_CHARS_U}0-9][{_PN_CHARS}.]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_OUTBOUND = re.compile("service|load", re.IGNORECASE)
_LOCAL_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Token:
    kind: str  # ws, comment, string, iri, var, langtag, bnode, pname, word, other
    text: str
    start: int  # offset in the text

    @property
    def name(self) -> str:
        """For words and prefixed names: the text without trailing dots, which end a triple."""
        return self.text.rstrip(".") or self.text

    @property
    def prefix(self) -> str | None:
        """For prefixed names: the part before the colon ('' for the empty prefix)."""
        return self.text.split(":", 1)[0] if self.kind == "pname" else None


@dataclass(frozen=True)
class OutboundUse:
    """One place where the text may ask for an outbound connection."""

    keyword: str  # SERVICE or LOAD
    token: str
    line: int
    column: int

    def __str__(self) -> str:
        shown = self.keyword if self.token.upper() == self.keyword else f"{self.keyword} (in {self.token!r})"
        return f"{shown} at line {self.line}, column {self.column}"


def tokens(text: str) -> Iterator[Token]:
    """Split SPARQL text into tokens, in order and without gaps. Never fails: anything unknown is
    a one-character token, so text the real parser rejects is still scanned (then rejected)."""
    for match in _TOKEN.finditer(text):
        # lastgroup is the outer group that matched: `pname`, never its inner `prefix`/`local`.
        yield Token(match.lastgroup or "other", match.group(0), match.start())


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def outbound_operations(text: str) -> list[OutboundUse]:
    """Every SERVICE or LOAD the parser could see, in text order (see the module docstring)."""
    uses = []
    for token in tokens(text):
        candidate = token.text if token.kind == "word" else token.prefix if token.kind == "pname" else None
        if not candidate:
            continue
        match = _OUTBOUND.search(candidate)
        if match:
            line, column = _position(text, token.start)
            uses.append(OutboundUse(match.group(0).upper(), token.name, line, column))
    return uses


def _significant(text: str) -> list[Token]:
    return [token for token in tokens(text) if token.kind not in {"ws", "comment"}]


def mentioned_iris(text: str) -> set[str]:
    """The IRIs the text names: IRI references resolved against BASE, and prefixed names
    expanded with the PREFIX declarations. A best effort (pyoxigraph resolves IRIs itself); the
    callers only use it to decide which graphs to copy, so a miss can hide data, never leak it."""
    significant = _significant(text)
    base: str | None = None
    prefixes: dict[str, str] = {}
    iris: set[str] = set()

    def resolve(reference: str) -> str:
        return urljoin(base, reference) if base else reference

    index = 0
    while index < len(significant):
        token = significant[index]
        upper = token.text.upper()
        following = significant[index + 1] if index + 1 < len(significant) else None
        if upper == "BASE" and following is not None and following.kind == "iri":
            base = resolve(following.text[1:-1])
            index += 2
            continue
        if (
            upper == "PREFIX"
            and following is not None
            and following.kind == "pname"
            and following.name.endswith(":")
            and index + 2 < len(significant)
            and significant[index + 2].kind == "iri"
        ):
            prefixes[following.name[:-1]] = resolve(significant[index + 2].text[1:-1])
            index += 3
            continue
        if token.kind == "iri":
            iris.add(resolve(token.text[1:-1]))
        elif token.kind == "pname":
            name, _, local = token.name.partition(":")
            if name in prefixes:
                iris.add(prefixes[name] + _LOCAL_ESCAPE.sub(r"\1", local))
        index += 1
    return iris
