"""Invented names: syllables, some with diacritics (to give search something to fold), ordinals
and acronyms, and country codes no real country has."""

from __future__ import annotations

import random

_SYLLABLES = (
    "val", "dor", "mar", "ken", "tes", "ri", "lo", "ven", "sa", "quel", "bran", "tor", "il", "ves",
    "cor", "an", "dru", "mel", "os", "tra", "pel", "var", "no", "kas", "rin", "thal", "or", "zen",
    "hal", "mir", "ul", "bre", "sen", "ta", "gar", "vo",
)
FIRST_NAMES = (
    "Aurel", "Mirela", "Oren", "Ilse", "Kasim", "Lio", "Hadrik", "Jorvan", "Selka", "Davor",
    "Renata", "Teodor", "Petra", "Emeric", "Yannick", "Bruna", "Amara", "Corin", "Odalric", "Tiberio",
    "Severin", "Ludo", "Vesna", "Anselm", "Ilka", "Marek", "Noemi", "Raslo", "Zorka", "Edvin",
)
_ACCENTS = {"a": "á", "e": "ê", "i": "í", "o": "ó", "u": "ú"}
PLACE_SUFFIXES = ("moor", "ford", "hollow", "vale", " Varno", "gate", "ridge", "haven")
_ORDINAL_SUFFIX = ("th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th")
REBEL_PATTERNS = ("{p} Liberation Front", "Popular Army of {p}", "{p} Resistance Movement")
ILLICIT_GOODS = ("Gold", "Fuel", "Cattle", "Timber", "Arms")
RANKS = ("Major", "Captain", "Colonel", "Lieutenant")


def invented_word(rng: random.Random, syllables: int) -> str:
    """An invented word from the syllable list; real names are unlikely to come out."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def accented(word: str, rng: random.Random) -> str:
    """The word with one vowel accented, to give search something to fold (Sêrra / Serra)."""
    vowels = [i for i, ch in enumerate(word) if ch in _ACCENTS]
    if not vowels:
        return word
    i = vowels[rng.randrange(len(vowels))]
    return word[:i] + _ACCENTS[word[i]] + word[i + 1 :]


def ordinal_of(n: int) -> str:
    """1st, 2nd, 3rd, 11th, 112th ..."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{_ORDINAL_SUFFIX[n % 10]}"


def acronym(name: str) -> str:
    """Capital initials of a name, the way armed groups and bodies abbreviate themselves."""
    return "".join(w[0] for w in name.replace("-", " ").split() if w[0].isupper())


# ISO 3166-1 reserves these alpha-2 codes for user assignment, so no real country has them.
# XN, XO and XV are taken by the fictional scenario's states.
_USER_ASSIGNED_CODES = ("AA", *(f"Q{c}" for c in "MNOPQRSTUVWXYZ"), *(f"X{c}" for c in "ABCDEFGHIJKLMPQRSTUWXYZ"), "ZZ")


def country_code(index: int) -> str | None:
    """A two-letter code that cannot clash with a real country; None once the reserved codes run out
    (the code is optional, and reusing one would make two synthetic states look the same)."""
    return _USER_ASSIGNED_CODES[index] if index < len(_USER_ASSIGNED_CODES) else None
