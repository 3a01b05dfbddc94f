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
# Ordinals as English, Spanish, Portuguese and French write them (7th; 5to, 3ra, 2do; 1er, 2ème), so
# that numbers are compared as numbers. The marked forms (5º, 1ª, 4.º, 5°) lose their marker before
# folding, because folding turns "1ª" into "1a", which could also be a unit code.
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th|to|ra|do|da|vo|va|mo|ma|no|na|er|re|eme)\b")
_MARKED_ORDINAL = re.compile(r"(\d+)\.?\s?[\u00ba\u00aa\u00b0]")
_PARENS = re.compile(r"\([^)]*\)")
_DIGIT = re.compile(r"\d")
WORD = re.compile(r"[^\W_]+|&")


# Spellings that transliterations of one name differ by (Khodzhati, Hojati; Qadir, Kadir; Yusuf,
# Iusuf; Mohammed, Mohamed): each token is written in one of them, on both sides of a comparison.
_SOUNDS = (("dzh", "j"), ("dj", "j"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("q", "k"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("y", "i"), ("w", "v"))
_APOSTROPHES = re.compile("['\u2019`\u02bc]")  # Sab'awi, Sabawi: transliterations drop them or not
_DOUBLED = re.compile(r"([a-z])\1+")


def sound(token: str) -> str:
    """A token in the spelling _SOUNDS settles on, with doubled letters single."""
    for written, said in _SOUNDS:
        if written in token:
            token = token.replace(written, said)
    return _DOUBLED.sub(r"\1", token)


def tokens(text: str, *, person: bool = False, keep_qualifier: bool = False) -> list[str]:
    """Normalized tokens: folded, ordinals reduced, abbreviations expanded, titles dropped for
    persons, spellings of transliteration settled (`sound`)."""
    if not text.isascii():
        text = _MARKED_ORDINAL.sub(r"\1", text)
    folded = _APOSTROPHES.sub("", fold(text if keep_qualifier or "(" not in text else _PARENS.sub(" ", text)))
    if _DIGIT.search(folded):
        folded = _ORDINAL.sub(r"\1", folded)
    out = [sound(ABBREVIATIONS.get(t, t)) for t in WORD.findall(folded)]
    if person:
        kept = [t for t in out if t not in TITLES]
        out = kept or out
    return out


def key(text: str, *, person: bool = False) -> str:
    """The comparison key: sorted normalized tokens, so plain ratio is order-insensitive."""
    return " ".join(sorted(tokens(text, person=person)))


_JOINERS = re.compile(r"[-\u2010\u2011]")


def spellings(text: str, *, person: bool = False) -> list[str]:
    """The key of a name, and of the name with hyphens closed up ('Al-Tikriti' -> 'AlTikriti'):
    lists and sheets write them either way."""
    first = key(text, person=person)
    if not first:
        return []
    if not _JOINERS.search(text):
        return [first]
    joined = key(_JOINERS.sub("", text), person=person)
    return [first] if not joined or joined == first else [first, joined]


def acronym(text: str) -> str | None:
    """'Rapid Intervention Police Unit (Veldoria)' -> 'ripu'; None for one-word names."""
    words = [w for w in WORD.findall(fold(_PARENS.sub(" ", text))) if w not in ("of", "the", "and", "for", "de", "du", "des", "la", "le", "&")]
    if len(words) < 2:
        return None
    return "".join(w[0] for w in words)
