"""Dates: one parser for every date a request or a command sends, and the date part of the dates
the graph holds (their words are api.web.views.prose's)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator

from graph.errors import InvalidValueError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(value: object, name: str) -> date | None:
    """An optional YYYY-MM-DD value of the parameter, field or option `name`; InvalidValueError
    (a 422) naming it when it is not a date. None and "" mean not given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InvalidValueError(f"{name}: must be a date, YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidValueError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _iso_day(value: object) -> object:
    """Only YYYY-MM-DD passes on to pydantic, which would read a number ("0", "86400") as
    seconds since 1970 and answer for a day nobody asked about."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value.strip()):
        raise ValueError("must be a date, YYYY-MM-DD")
    return value.strip()


# A day as a typed request parameter: YYYY-MM-DD and nothing else, a 422 naming it otherwise.
IsoDay = Annotated[date, BeforeValidator(_iso_day)]


def day_or_today(value: object, name: str) -> date:
    return parse_day(value, name) or date.today()


def clean_date(value: str | None) -> str | None:
    """The YYYY-MM-DD part of a date or dateTime from the graph, or None when it is not a date."""
    if not value:
        return None
    match = _DATE.match(value)
    return match.group(0) if match else None

