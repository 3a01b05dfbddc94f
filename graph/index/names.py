"""Names as the graph's indexes compare them, and the short forms users type for IRIs.

Every part of the graph that matches names (the subject index, list screening, the SFM importer's
code lists) folds them here, so that "Tállavar" finds "TALLAVAR" the same way everywhere.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

from ontology.namespaces import FICTIONAL, ID, SYNTHETIC

_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Accents removed, other scripts transliterated, case folded, whitespace runs as one space:
    'Fuerza  Aérea ' -> 'fuerza aerea', 'Орен Таллавар' -> 'oren tallavar'.

    NFKD splits an accented letter into the letter and a combining mark, which is then dropped;
    anyascii (a maintained transliteration table) then writes every other script in Latin letters;
    casefold handles ß and the like better than lower()."""
    if not text.isascii():  # most names are ASCII: skip the decomposition for them
        decomposed = unicodedata.normalize("NFKD", text)
        text = anyascii("".join(char for char in decomposed if not unicodedata.combining(char)))
    return " ".join(text.casefold().split())


def normalize(text: str) -> str:
    """Folded, and punctuation as spaces: "Brigada Sêrra, 2" -> "brigada serra 2"."""
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


# Short forms of data IRIs: "unit/bn-72" (kind/slug, in any of our namespaces) and
# "fictional/unit/bn-72" or "synthetic/unit/b0-div" (namespace, kind and slug).
NAMESPACE_PREFIXES = {"fictional/": FICTIONAL, "synthetic/": SYNTHETIC, "id/": ID}


def candidate_iris(name: str) -> list[str]:
    """The IRIs a short form may stand for, most specific first; an IRI stands for itself."""
    name = name.strip()
    if "://" in name or name.startswith("urn:"):
        return [name]
    if "/" not in name or " " in name:
        return []
    found = [base + name[len(prefix) :].strip("/") for prefix, base in NAMESPACE_PREFIXES.items() if name.startswith(prefix)]
    return found + [base + name.strip("/") for base in (ID, FICTIONAL, SYNTHETIC)]


def local_name(iri: str) -> str:
    """The part of an IRI after its last '#' or '/': ag:MilitaryUnit -> MilitaryUnit."""
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]

