"""Comparison keys of names: folded, ordinals reduced, common abbreviations expanded, ranks and
honorifics dropped from persons' names, a parenthesized qualifier dropped, and the tokens sorted, so
that rapidfuzz's plain ratio on two keys is a token-sort ratio."""

from __future__ import annotations

import re

from graph.index.names import fold

ABBREVIATIONS = {
    "bn": "battalion", "btn": "battalion", "bde": "brigade", "div": "division", "coy": "company", "regt": "regiment",
    "mtn": "mountain", "inf": "infantry", "cmd": "command", "hq": "headquarters", "min": "ministry", "natl": "national",
    "nat": "national", "intl": "international", "govt": "government", "gov": "government", "dept": "department",
    "assn": "association", "assoc": "association", "org": "organization", "organisation": "organization",
    "orgs": "organizations", "int": "integrated", "sta": "station", "pol": "police", "&": "and",
}
# Ranks and honorifics: dropped from persons' names, where they come and go between sources.
TITLES = frozenset({
    "gen", "general", "lt", "lieutenant", "col", "colonel", "maj", "major", "capt", "captain", "brig", "brigadier",
    "supt", "superintendent", "sgt", "sergeant", "cpl", "corporal", "pte", "private", "cmdr", "commander", "comandante",
    "chief", "dr", "mr", "mrs", "ms", "sir", "hon", "justice", "judge", "paramount", "president", "minister", "field",
    "marshal", "insp", "inspector",
})
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_PARENS = re.compile(r"\([^)]*\)")
_DIGIT = re.compile(r"\d")
WORD = re.compile(r"[^\W_]+|&")


def tokens(text: str, *, person: bool = False, keep_qualifier: bool = False) -> list[str]:
    """Normalized tokens: folded, ordinals reduced, abbreviations expanded, titles dropped for persons."""
    folded = fold(text if keep_qualifier or "(" not in text else _PARENS.sub(" ", text))
    if _DIGIT.search(folded):
        folded = _ORDINAL.sub(r"\1", folded)
    out = [ABBREVIATIONS.get(t, t) for t in WORD.findall(folded)]
    if person:
        kept = [t for t in out if t not in TITLES]
        out = kept or out
    return out


def key(text: str, *, person: bool = False) -> str:
    """The comparison key: sorted normalized tokens, so plain ratio is order-insensitive."""
    return " ".join(sorted(tokens(text, person=person)))


def acronym(text: str) -> str | None:
    """'Rapid Intervention Police Unit (Veldoria)' -> 'ripu'; None for one-word names."""
    words = [w for w in WORD.findall(fold(_PARENS.sub(" ", text))) if w not in ("of", "the", "and", "for", "de", "du", "des", "la", "le", "&")]
    if len(words) < 2:
        return None
    return "".join(w[0] for w in words)
