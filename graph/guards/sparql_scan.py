"""A SPARQL tokenizer that lists the IRIs a text mentions, without rewriting or evaluating it.

The sandboxed update in graph.ingest.writes copies the graphs so named into its scratch store; a miss
there only hides a graph from the update, never shows one. (Whether a text uses SERVICE or LOAD
is not decided here but by a real parse: graph.guards.outbound.)

Why a tokenizer and not a regular expression over the text: IRIs inside string literals and
comments are not mentions, and prefixed names must be expanded with the text's own PREFIX and
BASE declarations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from urllib.parse import urljoin

# The character classes of the SPARQL 1.1 grammar (section 19.8).
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"

_TOKEN_PATTERN = (
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
    """
)
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


@cache
def _token_regex() -> re.Pattern[str]:
    """Compiled on first use: the Unicode classes take tens of milliseconds, which every process
    that opens a store would otherwise pay at import, scanning or not."""
    return re.compile(_TOKEN_PATTERN, re.VERBOSE | re.DOTALL)


def tokens(text: str) -> Iterator[Token]:
    """Split SPARQL text into tokens, in order and without gaps. Never fails: anything unknown is
    a one-character token, so text the real parser rejects is still scanned (then rejected)."""
    for match in _token_regex().finditer(text):
        # lastgroup is the outer group that matched: `pname`, never its inner `prefix`/`local`.
        yield Token(match.lastgroup or "other", match.group(0), match.start())


def _significant(text: str) -> list[Token]:
    return [token for token in tokens(text) if token.kind not in {"ws", "comment"}]


def resolved_tokens(text: str) -> Iterator[tuple[Token, str | None]]:
    """The significant tokens (no whitespace or comments) after the prologue's BASE and PREFIX
    declarations are consumed, each with the IRI it names: IRI references resolved against BASE,
    prefixed names expanded with the PREFIX declarations (None for other tokens)."""
    significant = _significant(text)
    base: str | None = None
    prefixes: dict[str, str] = {}

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
        iri: str | None = None
        if token.kind == "iri":
            iri = resolve(token.text[1:-1])
        elif token.kind == "pname":
            name, _, local = token.name.partition(":")
            if name in prefixes:
                iri = prefixes[name] + _LOCAL_ESCAPE.sub(r"\1", local)
        yield token, iri
        index += 1


def mentioned_iris(text: str) -> set[str]:
    """The IRIs the text names. A best effort (Oxigraph resolves IRIs itself); the callers only use
    it to decide which graphs to copy, so a miss can hide data, never leak it."""
    return {iri for _, iri in resolved_tokens(text) if iri is not None}
