"""Values as a reader writes them: "14 April 2018" rather than 2018-04-14, "US$24,000,000" rather
than 24000000 USD, and whether a subject is real or invented, which every page must show because
vetting statements about real people and the fictional scenario must never be confused."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from graph.vetting.dates import MONTH, YEAR, as_given
from ontology.namespaces import FICTIONAL, SYNTHETIC

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
# Currencies with a symbol readers know; any other keeps its ISO code before the figure.
SYMBOLS = {"USD": "US$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF ", "CAD": "C$", "AUD": "A$"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
# A date standing alone in a sentence (not part of a case number such as SCD-2020-07), or a range
# of two ("2017-01-01 – 2020-12-31"), which reads as a period.
_DATE_IN_TEXT = re.compile(r"(?<![\w-])(\d{4}-\d{2}(?:-\d{2})?)(?:\s+–\s+(\d{4}-\d{2}(?:-\d{2})?))?(?![\w-])")
_CUT = (YEAR, MONTH)  # precisions that say less than a day

@dataclass(frozen=True)
class Origin:
    label: str  # the badge
    title: str  # its hover text


ORIGINS = {
    "real": Origin("real data", "Public data about real actors, from the sources cited"),
    "fictional": Origin("fictional", "Invented for demonstration: no real person, unit or program"),
    "synthetic": Origin("synthetic", "Generated for tests and benchmarks: no real person, unit or program"),
}


def day(value: object, precision: str | None = None) -> str:
    """A date, or a partial one (2018, 2018-04), in words; anything else as it came. With the
    precision the source gave ("year", "month"), a stored 2010-01-01 reads "2010", never a day
    nobody recorded."""
    if value is None:
        return ""
    text = str(value)
    if precision in _CUT:
        text = as_given(text, precision) or text
    match = _DATE.match(text)
    if not match:
        return text
    year, month, dom = match.groups()
    if month is None or not 1 <= int(month) <= 12:
        return year
    if dom is None:
        return f"{MONTHS[int(month) - 1]} {year}"
    return f"{int(dom)} {MONTHS[int(month) - 1]} {year}"


def _whole(start: str, end: str) -> str | None:
    """"year" or "month" when start and end cover whole years or months exactly (2017-01-01 to
    2020-12-31, 2019-03-01 to 2020-02-29): the same days then read as "2017 – 2020", so a period
    stored from a year or month the source gave does not gain days nobody recorded."""
    a, b = _DATE.match(start), _DATE.match(end)
    if not (a and b and a.group(3) and b.group(3)):
        return None
    year, month, last = int(b.group(1)), int(b.group(2)), int(b.group(3))
    if not 1 <= month <= 12 or a.group(3) != "01" or last != calendar.monthrange(year, month)[1]:
        return None
    return "year" if a.group(2) == "01" and month == 12 else "month"


def period(
    start: str | None,
    end: str | None,
    ongoing: bool = False,
    precision: str | None = None,
    *,
    start_precision: str | None = None,
    end_precision: str | None = None,
) -> str:
    """A relation's or program's dates in words. An open end says only what is known: "since"
    when the data says the link is ongoing, "from" when its end is simply not recorded. Whole
    years or months read as such ("2017 – 2020", "August 2019"). `precision` ("year", "month")
    says both ends only to that precision: a graph's edge labels give years, short and never
    more precise than the data. `start_precision` and `end_precision` are the precision each end
    was recorded with (ag:startPrecision, ag:endPrecision): a start given as "2010" is stored
    2010-01-01 and reads "2010", an end given as June 2020 reads "June 2020"."""
    first_cut = _coarser(precision, start_precision)
    last_cut = _coarser(precision, end_precision)
    if start and end:
        if first_cut in _CUT or last_cut in _CUT:
            first, last = day(start, first_cut), day(end, last_cut)
        else:
            whole = _whole(start, end)
            first, last = day(start, whole), day(end, whole)
        return first if first == last else f"{first} – {last}"
    if start:
        return f"since {day(start, first_cut)}" if ongoing else f"from {day(start, first_cut)}"
    if end:
        return f"until {day(end, last_cut)}"
    return ""


def _coarser(one: str | None, other: str | None) -> str | None:
    """The coarser of two precisions (year over month over day), None when neither is given."""
    order = {"year": 0, "month": 1}
    given = [p for p in (one, other) if p]
    return min(given, key=lambda p: order.get(p, 2)) if given else None


def dates_in_words(text: object) -> str:
    """A sentence with its dates in words: "the incident of 2018-04-14" reads "the incident of 14
    April 2018", a partial "2019-03" reads "March 2019" (the engine writes dates as precisely as
    the source gave them, so nothing is added), and a range as `period` says it, whole years as
    years ("2017-01-01 – 2020-12-31" reads "2017 – 2020")."""
    if text is None:
        return ""
    return _DATE_IN_TEXT.sub(lambda m: period(m.group(1), m.group(2)) if m.group(2) else day(m.group(1)), str(text))


def count(value: object) -> str:
    """A whole number with thousands separators (12,345); anything else as it came."""
    try:
        return f"{int(str(value)):,}"
    except ValueError:
        return "" if value is None else str(value)


def amount(value: object, currency: str | None = None) -> str:
    """A sum of money with its currency: US$24,000,000, €1,250.50, or "XOF 3,000,000"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return f"{value} {currency or ''}".strip()
    figure = f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"
    code = (currency or "").strip().upper()
    if not code:
        return figure
    symbol = SYMBOLS.get(code)
    return f"{symbol}{figure}" if symbol else f"{code} {figure}"


def origin(iri: str) -> str:
    """real, fictional or synthetic, from the namespace the subject's IRI is minted in."""
    if iri.startswith(FICTIONAL):
        return "fictional"
    if iri.startswith(SYNTHETIC):
        return "synthetic"
    return "real"
