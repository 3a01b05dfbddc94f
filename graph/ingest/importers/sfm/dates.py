"""Security Force Monitor dates: partial, in several spellings, normalized the way the ontology says.

SFM records how much of a date its sources give. The same export holds `2018-01-01`, `2010-05`,
`2010-05-`, `2017`, `1998-00-00` (the CMS's "approximate date" form, zeros for the unknown parts),
`10/21/2008` (incidents, month first), and `2019-11-29T10:25:45Z` (source timestamps). The ontology
keeps one xsd:date per end of a period plus its precision, so a partial date becomes the first day
of its period when it starts something and the last day when it ends something
(ag:startPrecision / ag:endPrecision keep what the source really said).

The export also repeats each date as `_year`, `_month`, `_day` columns. SFM's own importer builds
the date from those parts, so they win when the two disagree; the caller reports the disagreement.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from graph.errors import InvalidValueError


class Precision(str, Enum):
    """How much of a date the source gives; the values name the ag: precision concepts."""

    DAY = "DayPrecision"
    MONTH = "MonthPrecision"
    YEAR = "YearPrecision"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR

    def first_day(self) -> date:
        """The date this stands for when it opens a period."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The date this stands for when it closes a period."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


class DateError(InvalidValueError, ValueError):
    """A value is not a date in any spelling SFM uses; the message says what was expected."""


MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})

# Year, then optional month and day, each optionally zero ("unknown") and optionally followed by a
# dangling "-" as in "2010-05-" (the Mali extract writes partial dates that way).
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})?)?(?:-(\d{1,2})?)?(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")  # month/day/year, as incidents.csv writes it
_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{4})$")
_NAMED_MONTH = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")

EXPECTED = "YYYY, YYYY-MM, YYYY-MM-DD (00 for an unknown month or day), MM/DD/YYYY, MM/YYYY or 'Month YYYY'"


def _build(year: int, month: int | None, day: int | None, text: str) -> PartialDate:
    """Check the calendar: a day needs a month, and the day must exist in that month."""
    month = month or None
    day = day or None
    if not 1000 <= year <= 9999:
        raise DateError(f"{text!r}: year {year} is out of range")
    if month is None and day is not None:
        raise DateError(f"{text!r} gives a day but no month")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"{text!r}: there is no month {month}")
    if day is not None and month is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise DateError(f"{text!r}: there is no day {day} in {calendar.month_name[month]} {year}")
    return PartialDate(year, month, day)


def parse_date(text: str) -> PartialDate | None:
    """A partial date from any spelling SFM uses; None for an empty cell."""
    value = text.strip()
    if not value:
        return None
    if match := _ISO.match(value):
        year, month, day = match.groups()
        return _build(int(year), int(month) if month else None, int(day) if day else None, value)
    if match := _US.match(value):
        month, day, year = (int(part) for part in match.groups())
        return _build(year, month, day, value)
    if match := _MONTH_YEAR.match(value):
        month, year = (int(part) for part in match.groups())
        return _build(year, month, None, value)
    if (match := _NAMED_MONTH.match(value)) and match.group(1).lower() in MONTHS:
        return _build(int(match.group(2)), MONTHS[match.group(1).lower()], None, value)
    raise DateError(f"{value!r} is not a date; expected {EXPECTED}")


def _part(text: str, name: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not value.isdigit():
        raise DateError(f"the {name} part {value!r} is not a number")
    return int(value) or None


def from_parts(year: str, month: str, day: str) -> PartialDate | None:
    """A partial date from the `_year`, `_month` and `_day` columns; None when they are empty."""
    year_number = _part(year, "year")
    month_number = _part(month, "month")
    day_number = _part(day, "day")
    if year_number is None:
        if month_number is not None or day_number is not None:
            raise DateError("the date has a month or day part but no year part")
        return None
    return _build(year_number, month_number, day_number, "-".join(p for p in (year, month, day) if p.strip()))


@dataclass(frozen=True)
class ResolvedDate:
    """The date a row gives for one field, and whether its spelled-out value disagreed with its
    parts (SFM's importer trusts the parts, and so does this one)."""

    value: PartialDate | None
    disagreement: str | None = None


def resolve(text: str, year: str = "", month: str = "", day: str = "") -> ResolvedDate:
    """The date of one field from its value and its parts. Raises DateError for a bad value."""
    spelled = parse_date(text)
    parts = from_parts(year, month, day)
    if parts is None:
        return ResolvedDate(spelled)
    if spelled is not None and spelled != parts:
        return ResolvedDate(
            parts,
            f"the value {text.strip()!r} disagrees with its year/month/day parts ({parts}); the parts are used, as SFM's importer does",
        )
    return ResolvedDate(parts)


def parse_iso_day(text: str) -> date:
    """A full YYYY-MM-DD day, as given on the command line (--date-of-export)."""
    parsed = parse_date(text)
    if parsed is None or parsed.precision is not Precision.DAY or not re.match(r"^\d{4}-\d{2}-\d{2}$", text.strip()):
        raise DateError(f"{text!r} is not a day; expected YYYY-MM-DD")
    return parsed.first_day()
