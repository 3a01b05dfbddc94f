"""Dates of the synthetic data: ordinals in, xsd:date literals out, partial dates normalized to the
first (start) or last (end) day they allow."""

from __future__ import annotations

from datetime import date

from graph.synthetic.vocabulary import (
    DATE_T,
    MONTH_P,
    YEAR_P,
)

D2010 = date(2010, 1, 1).toordinal()
D2023 = date(2023, 12, 31).toordinal()
_MONTH_END = {(y, m): (date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1) for y in range(1980, 2041) for m in range(1, 13)}


def iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def start_literal(ordinal: int, precision: str | None) -> str:
    """The xsd:date literal of a start: the first day of the month or year when the date is partial."""
    d = date.fromordinal(ordinal)
    if precision is MONTH_P:
        return f'"{d.year:04d}-{d.month:02d}-01{DATE_T}'
    if precision is YEAR_P:
        return f'"{d.year:04d}-01-01{DATE_T}'
    return f'"{d.isoformat()}{DATE_T}'


def end_literal(ordinal: int, precision: str | None) -> str:
    """The xsd:date literal of an end: the last day of the month or year when the date is partial."""
    d = date.fromordinal(ordinal)
    if precision is MONTH_P:
        return f'"{iso(_MONTH_END[(d.year, d.month)])}{DATE_T}'
    if precision is YEAR_P:
        return f'"{d.year:04d}-12-31{DATE_T}'
    return f'"{d.isoformat()}{DATE_T}'
