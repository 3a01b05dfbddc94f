"""Fuzzy passes over many strings that only score the strings whose length allows a match."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 80.0  # rapidfuzz ratio (0-100) a fuzzy match needs


class LengthBuckets:
    """Strings sorted by length, so a fuzzy pass only scores those whose length allows a match.

    rapidfuzz's ratio is 2*matches/(len(a)+len(b)), so a score of at least c (0-1) needs the
    other string's length within [len*c/(2-c), len*(2-c)/c]: for c=0.8, two thirds to one and a
    half times the query's. That leaves a third to a half of the names, and the pass is that much
    faster (it is the largest cost of a search)."""

    def __init__(self, strings: Sequence[str]) -> None:
        order = sorted(range(len(strings)), key=lambda i: len(strings[i]))
        self._ids = order
        self._strings = [strings[i] for i in order]
        self._lengths = [len(text) for text in self._strings]

    def fuzzy(self, query: str, cutoff: float = FUZZY_CUTOFF) -> list[tuple[int, float]]:
        """(original index, score) of every string scoring at least `cutoff` against `query`."""
        c = cutoff / 100.0
        low = bisect.bisect_left(self._lengths, int(len(query) * c / (2 - c)))
        high = bisect.bisect_right(self._lengths, int(len(query) * (2 - c) / c) + 1)
        found = process.extract(query, self._strings[low:high], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
        return [(self._ids[low + position], score) for _, score, position in found]


def intersect(sets: list[set[int]]) -> set[int]:
    if not sets:
        return set()
    ordered = sorted(sets, key=len)
    found = set(ordered[0])
    for other in ordered[1:]:
        if not found:
            break
        found &= other
    return found
