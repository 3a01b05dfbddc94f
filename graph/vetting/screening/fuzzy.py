"""The fuzzy pass of screening, for many names at once.

Screening scores each row's name key against every key of a block of the name index (all persons,
or all organizations: tens of thousands of keys on a large graph). One `process.extract` per row
compares the keys one pair at a time; `process.cdist` compares a batch of rows with the whole
block at once, several rows per CPU instruction (rapidfuzz's SIMD path for short strings), which
is several times faster. Both use the same scorer (fuzz.ratio) and cut-off.

cdist gives a score per key; `extract_many` turns each row of it into exactly what
`process.extract(query, keys, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)` returns: the
`limit` best keys, best first, ties in key order. cdist's scores are float32, so the few keys
near the row's `limit`-th score are scored again with fuzz.ratio in double precision, and the
order and the scores come from those exact scores.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

Hits = list[tuple[float, int]]  # (score, position in the block's keys), best first
ROWS_PER_CALL = 64  # rows scored by one cdist call: a 64 x 50,000 float32 matrix is 13 MB
FLOAT32_SLACK = 0.001  # float32 keeps ~7 digits of a score <= 100: far closer than this


def extract(query: str, keys: Sequence[str], limit: int, cutoff: float) -> Hits:
    """One row, one block: rapidfuzz's own extract."""
    return [(float(score), position) for _, score, position in process.extract(query, keys, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)]


def extract_many(queries: Sequence[str], keys: Sequence[str], limit: int, cutoff: float) -> list[Hits]:
    """`extract` of each query against the same keys, computed a batch of queries at a time.
    The cut-off must be positive: cdist writes 0 for "below the cut-off"."""
    if cutoff <= 0:
        raise ValueError("extract_many needs a positive cut-off")
    try:
        import numpy as np  # a dependency (pyproject); an environment installed before it was one still screens
    except ImportError:
        return [extract(query, keys, limit, cutoff) for query in queries]
    out: list[Hits] = []
    for start in range(0, len(queries), ROWS_PER_CALL):
        chunk = queries[start : start + ROWS_PER_CALL]
        matrix = process.cdist(chunk, keys, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.float32)
        for query, scores in zip(chunk, matrix):
            positions = np.flatnonzero(scores)  # below the cut-off cdist writes 0
            if len(positions) > limit:
                kept = scores[positions]
                floor = np.partition(kept, len(kept) - limit)[len(kept) - limit]
                positions = positions[kept >= floor - FLOAT32_SLACK]
            exact = [(fuzz.ratio(query, keys[int(p)], score_cutoff=cutoff), int(p)) for p in positions]
            exact = [hit for hit in exact if hit[0] >= cutoff]
            exact.sort(key=lambda hit: (-hit[0], hit[1]))
            out.append(exact[:limit])
    return out


__all__ = ["Hits", "extract", "extract_many"]
