"""One block of the output: its triples as lines and its relation nodes, and the country-level IRIs
that later blocks of the same country point to."""

from __future__ import annotations

import random
from dataclasses import dataclass

from graph.synthetic.dates import end_literal, start_literal
from graph.synthetic.vocabulary import (
    CONFIDENCE,
    CONFIDENCES,
    DERIVED,
    END,
    END_PREC,
    MONTH_P,
    ONGOING,
    START,
    START_PREC,
    TRUE,
    YEAR_P,
    A,
)


class Block:
    """The triples of one block, rendered as lines, plus the counters the stats need."""

    __slots__ = ("end", "lines", "rel_prefix", "relations", "rng", "source")

    def __init__(self, end: str, rel_prefix: str, rng: random.Random, source: str) -> None:
        self.lines: list[str] = []
        self.end = end
        self.relations = 0
        self.rel_prefix = rel_prefix
        self.rng = rng
        self.source = source

    def t(self, s: str, p: str, o: str) -> None:
        self.lines.append(s + p + o + self.end)

    def rel(
        self,
        cls: str,
        p1: str,
        o1: str | None,
        p2: str,
        o2: str | None,
        start: int | None = None,
        end: int | None = None,
        ongoing: bool = False,
        confidence: str | None = None,
        exact: bool = False,
    ) -> str | None:
        """A relation node with its roles, source, confidence and dates; None if an end is missing.

        Missing ends happen only in a truncated last block; skipping the relation keeps the output
        valid instead of pointing at actors that were never written. Precision is drawn here so
        that partial dates appear across all relation kinds, except where `exact` is asked for:
        normalizing a partial start to 1 January could move a hand-over before the event it must
        follow (a commander "after" an incident, a brigade's new parent after its old one).
        """
        if o1 is None or o2 is None:
            return None
        rng = self.rng
        self.relations += 1
        s = f"{self.rel_prefix}{self.relations}>"
        add, tail = self.lines.append, self.end
        add(s + A + cls + tail)
        add(s + p1 + o1 + tail)
        add(s + p2 + o2 + tail)
        add(s + CONFIDENCE + (confidence or CONFIDENCES[rng.randrange(3)]) + tail)
        add(s + DERIVED + self.source + tail)
        if start is not None:
            r = 1.0 if exact else rng.random()
            prec = YEAR_P if r < 0.06 else MONTH_P if r < 0.15 else None
            add(s + START + start_literal(start, prec) + tail)
            if prec is not None:
                add(s + START_PREC + prec + tail)
        if end is not None:
            prec = MONTH_P if not exact and rng.random() < 0.1 else None
            add(s + END + end_literal(end, prec) + tail)
            if prec is not None:
                add(s + END_PREC + prec + tail)
        elif ongoing:
            add(s + ONGOING + TRUE + tail)
        return s


@dataclass
class Country:
    """Country-level IRIs that later blocks of the same country point to."""

    index: int
    name: str
    state: str | None = None
    army: str | None = None
    police: str | None = None
    mod: str | None = None
    moi: str | None = None
    ssr: str | None = None
    ddr: str | None = None
    prev_div: str | None = None
