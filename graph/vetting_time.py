"""Time for vetting: does a dated link hold during an incident, or on the vetting date?

OWL has no time, so the reasoner's chains (ag:commands, ag:subOrganizationOf) say only that a link
held *at some time*. Vetting needs *when*: a commander who took over after a massacre bears no
command responsibility for it, and a brigade that joined a division after the massacre does not
make the division a party to it. This module is the one place that decides, and it says in words
which reading of the dates applied, so a vetter can check it.

Dates arrive as the graph stores them: ``ag:startDate`` / ``ag:endDate`` normalized to the first
(start) or last (end) day of their period, with ``ag:startPrecision`` / ``ag:endPrecision`` telling
whether the source gave a day, a month or a year, and ``ag:ongoing`` for a link the source says
continues. Each bound therefore stands for a *range* of possible days:

- a start given to the year 2018 began somewhere in 2018; to the month, somewhere in that month;
- a missing start means the link may have begun at any time before its end ("start unknown");
- a missing end means the link continues when ``ag:ongoing`` is true ("ongoing"), and otherwise
  that nobody recorded its end ("end unknown"): it may have ended any time after it started.

A link *certainly* overlaps a period when even its latest possible start and earliest possible end
overlap it, and *possibly* overlaps it when only the widest reading does. Vetting treats the two
differently (see ``Policy.unknown_dates``), which is why the answer is three-valued.

An incident's period is read at its widest (an incident dated to a month spans that month): it is
the time in which the violations happened, and a link that held on any day of it counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

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
        return _period_last_day(self.start, self.start_precision)

    @property
    def earliest_end(self) -> date:
        if self.end is not None:
            return _period_first_day(self.end, self.end_precision)
        if self.ongoing:
            return date.max
        return self.start if self.start is not None else date.min

    @property
    def latest_end(self) -> date:
        return self.end if self.end is not None and not self.ongoing else date.max

    def notes(self) -> list[str]:
        """Which reading of the dates applied, in words ("start unknown", "ongoing", ...)."""
        out = []
        if self.start is None:
            out.append("start unknown")
        elif self.start_precision != DAY:
            out.append(f"start given to the {self.start_precision} ({_partial(self.start, self.start_precision)})")
        if self.end is None:
            out.append("ongoing" if self.ongoing else "end unknown")
        elif self.end_precision != DAY:
            out.append(f"end given to the {self.end_precision} ({_partial(self.end, self.end_precision)})")
        return out

    def describe(self) -> str:
        """'2018-01-01 – 2020-12-31', 'start unknown – 2019-02-28', '2019-03-01 – ongoing'."""
        start = self.start.isoformat() if self.start else "start unknown"
        end = self.end.isoformat() if self.end else ("ongoing" if self.ongoing else "end unknown")
        return start if self.start and self.end == self.start else f"{start} – {end}"


def _partial(day: date, precision: str) -> str:
    return str(day.year) if precision == YEAR else f"{day.year}-{day.month:02d}" if precision == MONTH else day.isoformat()


def _period_last_day(day: date, precision: str) -> date:
    if precision == YEAR:
        return date(day.year, 12, 31)
    if precision == MONTH:
        return date(day.year + (day.month == 12), day.month % 12 + 1, 1) - timedelta(days=1)
    return day


def _period_first_day(day: date, precision: str) -> date:
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


def overlaps(link: Period, incident: Period, *, what: str = "the incident") -> TimeCheck:
    """Did `link` hold on some day of `incident`? Certain, possible, or ruled out, with the reason."""
    window_start, window_end = incident.earliest_start, incident.latest_end
    if incident.start is None and incident.end is None:
        return TimeCheck(Overlap.UNCERTAIN, f"{what} is undated, so the overlap cannot be checked")
    held = link.describe()
    if link.earliest_start > window_end:
        assert link.start is not None  # an unknown start is date.min, never after anything
        return TimeCheck(Overlap.NO, f"began {link.start.isoformat()}, after {what} ({incident.describe()})")
    if link.latest_end < window_start:
        assert link.end is not None  # an open end is date.max, never before anything
        return TimeCheck(Overlap.NO, f"ended {link.end.isoformat()}, before {what} ({incident.describe()})")
    certain = link.latest_start <= window_end and link.earliest_end >= window_start
    notes = link.notes()
    if certain:
        basis = f" ({'; '.join(notes)})" if notes else ""
        return TimeCheck(Overlap.YES, f"held {held}{basis}, during {what} ({incident.describe()})")
    return TimeCheck(
        Overlap.UNCERTAIN,
        f"held {held}: may have held during {what} ({incident.describe()}), but {'; '.join(notes) or 'the dates are partial'}",
    )


def holds_on(link: Period, day: date) -> TimeCheck:
    """Does `link` hold on `day` (the vetting date)? Used for current/former and 'as of' checks."""
    return overlaps(link, Period(day, day), what="the vetting date")


def known_by(link: Period, day: date) -> bool:
    """Had the link begun by `day`? A link that begins later does not exist yet as of `day`; an
    unknown start is taken as begun (it is on record, so it is known)."""
    return link.start is None or link.earliest_start <= day


def is_current(link: Period, day: date) -> tuple[bool, str]:
    """Current unless its end is recorded before `day`. An unknown end counts as current, because a
    vetter must not read a link as former only because nobody recorded its end."""
    if link.end is not None and not link.ongoing and link.latest_end < day:
        return False, f"ended {link.end.isoformat()}"
    if link.end is not None and not link.ongoing and link.earliest_end < day:
        return True, f"ends {_partial(link.end, link.end_precision)}: may have ended before the vetting date"
    if link.end is None and not link.ongoing:
        return True, "end unknown: taken as current"
    return True, "ongoing" if link.end is None else f"until {link.end.isoformat()}"


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


def parse_date(value: str | None) -> date | None:
    """An xsd:date (or the date part of an xsd:dateTime); None when absent or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
