"""Time, said once: does a dated link hold during an incident, or on a given day, and is it current?

OWL has no time, so the reasoner's chains (ag:commands, ag:subOrganizationOf) say only that a link
held *at some time*. Vetting, "valid at a date" in tracing and the query library, and the views
need *when*: a commander who took over after a massacre bears no command responsibility for it.
This module is the one place that decides, and it says in words which reading of the dates applied.

Dates arrive as the graph stores them: ``ag:startDate`` / ``ag:endDate`` normalized to the first
(start) or last (end) day of their period, with ``ag:startPrecision`` / ``ag:endPrecision`` telling
whether the source gave a day, a month or a year, and ``ag:ongoing`` for a link the source says
continues. Each bound therefore stands for a *range* of possible days. The rules:

- **A relation** with a start given to the year 2018 began somewhere in 2018. A missing start means
  it may have begun at any time before its end. A missing end means it continues only when
  ``ag:ongoing`` is true; otherwise its end is *unknown*: it may have ended any day after it began,
  so it is never reported as current ("end unknown; last cited 2021", from its latest source).
- **An incident** with a start and no end happened within its start's precision window (that day,
  that month or that year), unless it is marked ``ag:ongoing``. A link that began after the window
  did not overlap it; one that began *inside* the window is uncertain, never certain.
- A link *certainly* overlaps an incident when its latest possible start is no later than the
  incident's earliest possible end, and its earliest possible end no earlier than the incident's
  latest possible start. It *possibly* overlaps it when only the widest reading of both does. The
  answer is three-valued (``Overlap``), and the policy decides what "possibly" means for vetting.
- **Current** means known to continue on the day: marked ongoing, or ending on a recorded date after
  it. An end recorded at month or year precision that may fall before the day is "end uncertain".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import NamedTuple

DAY, MONTH, YEAR = "day", "month", "year"


class Overlap(str, Enum):
    """Three-valued answer: the dates prove it, allow it, or rule it out."""

    YES = "yes"
    UNCERTAIN = "uncertain"
    NO = "no"


@dataclass(frozen=True)
class Period:
    """A link's or an incident's dates as recorded, with their precision."""

    start: date | None = None
    end: date | None = None
    start_precision: str = DAY
    end_precision: str = DAY
    ongoing: bool = False

    # -- the range of possible days of each bound ---------------------------------------------

    @property
    def earliest_start(self) -> date:
        return self.start if self.start is not None else date.min

    @property
    def latest_start(self) -> date:
        if self.start is None:
            # Started at the latest on its last day, or (no end either) at any time.
            return self.end if self.end is not None else date.max
        return period_last_day(self.start, self.start_precision)

    @property
    def earliest_end(self) -> date:
        if self.end is not None:
            return period_first_day(self.end, self.end_precision)
        if self.ongoing:
            return date.max
        return self.start if self.start is not None else date.min

    @property
    def latest_end(self) -> date:
        return self.end if self.end is not None and not self.ongoing else date.max

    def as_incident(self) -> Period:
        """An incident with a start and no end happened within its start's precision window (not
        forever): the same period with that window's last day as its end, at the same precision."""
        if self.start is None or self.end is not None or self.ongoing:
            return self
        return Period(self.start, period_last_day(self.start, self.start_precision), self.start_precision, self.start_precision)

    def notes(self) -> list[str]:
        """Which reading of the dates applied, in words ("start unknown", "ongoing", ...)."""
        out = []
        if self.start is None:
            out.append("start unknown")
        elif self.start_precision != DAY:
            out.append(f"start given to the {self.start_precision} ({partial(self.start, self.start_precision)})")
        if self.end is None:
            out.append("ongoing" if self.ongoing else "end unknown")
        elif self.end_precision != DAY:
            out.append(f"end given to the {self.end_precision} ({partial(self.end, self.end_precision)})")
        return out

    def describe(self) -> str:
        """'2018-01-01 – 2020-12-31', 'start unknown – 2019-02', '2019-03-01 – ongoing', '2019-05'."""
        start = partial(self.start, self.start_precision) if self.start else "start unknown"
        if self.end is None:
            return f"{start} – {'ongoing' if self.ongoing else 'end unknown'}"
        end = partial(self.end, self.end_precision)
        return start if self.start and end == start else f"{start} – {end}"


def partial(day: date, precision: str) -> str:
    """A date as precisely as the source gave it: '2018', '2018-04' or '2018-04-14'."""
    return str(day.year) if precision == YEAR else f"{day.year}-{day.month:02d}" if precision == MONTH else day.isoformat()


def as_given(value: str | None, precision: str) -> str | None:
    """A stored date as precisely as its source gave it: 2010-01-01 at year precision is "2010",
    never a day nobody recorded (pages say it in words); an unreadable value as it came."""
    day = parse_date(value) if value else None
    return partial(day, precision) if day else value


def period_last_day(day: date, precision: str) -> date:
    if precision == YEAR:
        return date(day.year, 12, 31)
    if precision == MONTH:
        return date(day.year + (day.month == 12), day.month % 12 + 1, 1) - timedelta(days=1)
    return day


def period_first_day(day: date, precision: str) -> date:
    if precision == YEAR:
        return date(day.year, 1, 1)
    if precision == MONTH:
        return date(day.year, day.month, 1)
    return day


@dataclass(frozen=True)
class TimeCheck:
    """The answer and the words that justify it."""

    overlap: Overlap
    note: str


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def on_date(day: date, precision: str) -> str:
    """"on 2019-06-01", or "in 2019" for a date given only to the year: never a day nobody recorded."""
    return f"on {day.isoformat()}" if precision == DAY else f"in {partial(day, precision)}"


def overlaps(link: Period, incident: Period, *, what: str = "the incident", began: str = "began", ended: str = "ended") -> TimeCheck:
    """Did `link` hold on some day of `incident`? Certain, possible, or ruled out, with the reason
    in words: "took command on 2019-06-01, 12 days after the incident of 2019-05-20: not during it"."""
    incident = incident.as_incident()
    if incident.start is None and incident.end is None:
        return TimeCheck(Overlap.UNCERTAIN, f"{what} is undated, so the overlap cannot be checked")
    of = f"{what} of {incident.describe()}"
    if link.earliest_start > incident.latest_end:
        assert link.start is not None  # an unknown start is date.min, never after anything
        gap = (link.earliest_start - incident.latest_end).days
        return TimeCheck(Overlap.NO, f"{began} {on_date(link.start, link.start_precision)}, {_days(gap)} after {of}: not during it")
    if link.latest_end < incident.earliest_start:
        assert link.end is not None  # an open end is date.max, never before anything
        gap = (incident.earliest_start - link.latest_end).days
        return TimeCheck(Overlap.NO, f"{ended} {on_date(link.end, link.end_precision)}, {_days(gap)} before {of}: not during it")
    held = link.describe()
    notes = link.notes()
    if link.latest_start <= incident.earliest_end and link.earliest_end >= incident.latest_start:
        basis = f" ({'; '.join(notes)})" if notes else ""
        return TimeCheck(Overlap.YES, f"held {held}{basis}, during {of}")
    reasons = list(notes)
    if incident.start_precision != DAY or incident.end_precision != DAY:
        reasons.append(f"{what} is dated only to the {incident.start_precision if incident.start_precision != DAY else incident.end_precision}")
    if link.start is not None and incident.earliest_start <= link.start <= incident.latest_end and link.earliest_start > incident.earliest_start:
        reasons.append(f"{began} {on_date(link.start, link.start_precision)}, within the dates of {what}")
    return TimeCheck(Overlap.UNCERTAIN, f"held {held}: may have held during {of}, but {'; '.join(reasons) or 'the dates are partial'}")


def holds_on(link: Period, day: date) -> TimeCheck:
    """Does `link` hold on `day`? Yes, perhaps (an unknown or partial bound), or no."""
    return overlaps(link, Period(day, day), what="the day", began="began", ended="ended")


def valid_at(link: Period, day: date) -> Overlap:
    """The reading tracing and the views use for "valid at `day`": YES, UNCERTAIN or NO."""
    return holds_on(link, day).overlap


def known_by(link: Period, day: date) -> bool:
    """Had the link begun by `day`? A link that begins later does not exist yet as of `day`; an
    unknown start is taken as begun (it is on record, so it is known)."""
    return link.start is None or link.earliest_start <= day


class Currency(NamedTuple):
    """Is a link current on a day, which reading of its end applied, and the words for it.

    `reading` is one of: ongoing (marked ag:ongoing), until (a recorded end after the day), ended
    (a recorded end before it), end_uncertain (a partial end that may fall before it),
    end_unknown (no end recorded and not marked ongoing). Only the first two are current."""

    current: bool
    reading: str
    basis: str


def last_cited_words(last_cited: int | None) -> str:
    return f"; last cited {last_cited}" if last_cited else ""


def is_current(link: Period, day: date, last_cited: int | None = None) -> Currency:
    """Current only when known to continue on `day`; an unknown end is never reported as current."""
    if link.ongoing and (link.end is None or link.end >= day):
        return Currency(True, "ongoing", "ongoing")
    if link.end is None:
        return Currency(False, "end_unknown", f"end unknown{last_cited_words(last_cited)}")
    if link.latest_end < day:
        return Currency(False, "ended", f"ended {partial(link.end, link.end_precision)}")
    if link.earliest_end < day:
        return Currency(False, "end_uncertain", f"ends {partial(link.end, link.end_precision)}: may have ended before {day.isoformat()}")
    return Currency(True, "until", f"until {partial(link.end, link.end_precision)}")


def lookback_start(day: date, years: int) -> date:
    """The first day of the lookback window of `years` years ending on `day` (29 Feb safe)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def combine(checks: list[TimeCheck]) -> Overlap:
    """Every link of a path must hold: NO if one is ruled out, YES if all are certain."""
    if any(c.overlap is Overlap.NO for c in checks):
        return Overlap.NO
    if all(c.overlap is Overlap.YES for c in checks):
        return Overlap.YES
    return Overlap.UNCERTAIN


def parse_precision(iri: str | None) -> str:
    """ag:YearPrecision -> 'year'; anything else (or nothing) is day precision."""
    if not iri:
        return DAY
    if iri.endswith("YearPrecision"):
        return YEAR
    if iri.endswith("MonthPrecision"):
        return MONTH
    return DAY


def parse_flag(value: str | None) -> bool:
    """An xsd:boolean's lexical form (ag:ongoing): "true" or "1"; anything else, or nothing, is false."""
    return (value or "").lower() in ("true", "1")


def parse_date(value: str | None) -> date | None:
    """An xsd:date (or the date part of an xsd:dateTime); None when absent or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse_partial(value: str | None) -> tuple[date, date] | None:
    """A publication date as sources give it (xsd:gYear '2022', gYearMonth '2022-03', date or
    dateTime): the first and last day it may stand for; None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) == 4 and text.isdigit():
            first = date(int(text), 1, 1)
            return first, period_last_day(first, YEAR)
        if len(text) == 7 and text[4] == "-":
            first = date(int(text[:4]), int(text[5:7]), 1)
            return first, period_last_day(first, MONTH)
        day = date.fromisoformat(text[:10])
        return day, day
    except ValueError:
        return None
