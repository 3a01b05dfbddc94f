"""Values as a reader writes them: "14 April 2018" rather than 2018-04-14, "US$24,000,000" rather
than 24000000 USD, and whether a subject is real or invented, which every page must show because
vetting statements about real people and the fictional scenario must never be confused."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ontology.namespaces import FICTIONAL, SYNTHETIC

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
# Currencies with a symbol readers know; any other keeps its ISO code before the figure.
SYMBOLS = {"USD": "US$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF ", "CAD": "C$", "AUD": "A$"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")

@dataclass(frozen=True)
class Origin:
    label: str  # the badge
    title: str  # its hover text


ORIGINS = {
    "real": Origin("real data", "Public data about real actors, from the sources cited"),
    "fictional": Origin("fictional", "Invented for demonstration: no real person, unit or program"),
    "synthetic": Origin("synthetic", "Generated for tests and benchmarks: no real person, unit or program"),
}


def day(value: object) -> str:
    """A date, or a partial one (2018, 2018-04), in words; anything else as it came."""
    if value is None:
        return ""
    text = str(value)
    match = _DATE.match(text)
    if not match:
        return text
    year, month, dom = match.groups()
    if month is None or not 1 <= int(month) <= 12:
        return year
    if dom is None:
        return f"{MONTHS[int(month) - 1]} {year}"
    return f"{int(dom)} {MONTHS[int(month) - 1]} {year}"


def period(start: str | None, end: str | None, ongoing: bool = False) -> str:
    """A relation's or program's dates in words. An open end says only what is known: "since"
    when the data says the link is ongoing, "from" when its end is simply not recorded."""
    if start and end:
        return day(start) if start == end else f"{day(start)} – {day(end)}"
    if start:
        return f"since {day(start)}" if ongoing else f"from {day(start)}"
    if end:
        return f"until {day(end)}"
    return ""


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
