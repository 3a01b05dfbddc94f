"""What every vetting route reads from its request: the policy, the day, the knowledge date, the
answer's format, and who is asking (the agent its runs and decisions are recorded against).

Shared by the vetting routers (api.web.routers.vetting, cases, and programs for a program's
participants), so a parameter means the same on each. A bad value is a 422 naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from api.dates import day_or_today, parse_day
from api.web import negotiation
from api.web.security import Caller
from graph.errors import BadRequestError
from graph.vetting import audit
from graph.vetting.policy import CONFIDENCES, DEFAULT_POLICY, DIRECTIONS, Policy, policy_from_dict

# A program or a screening list vets many subjects in one request: a larger time budget.
MANY_SUBJECTS_BUDGET_FACTOR = 6
REQUEST_POLICY = "default with request settings"


# What graph.vetting.policy accepts, declared in OpenAPI; the policy's own check (a 422) enforces it.
LOOKBACK: dict[str, Any] = {"minimum": 0, "maximum": 200}
CONFIDENCE: dict[str, Any] = {"enum": list(CONFIDENCES)}
DEPTH: dict[str, Any] = {"minimum": 1, "maximum": 20}
DIRECTION: dict[str, Any] = {"enum": list(DIRECTIONS)}
UNKNOWN_DATES: dict[str, Any] = {"enum": ["review", "assume"]}
# Days that api.dates.parse_day reads: YYYY-MM-DD (an empty value means not given).
DAY: dict[str, Any] = {"format": "date"}


def policy_params(
    lookback_years: Annotated[int | None, Query(description="Years back that count (default 10).", json_schema_extra=LOOKBACK)] = None,
    min_confidence: Annotated[str | None, Query(description="low, medium or high (default medium).", json_schema_extra=CONFIDENCE)] = None,
    hierarchy_depth: Annotated[int | None, Query(description="Chain-of-command levels walked (default 3).", json_schema_extra=DEPTH)] = None,
    hierarchy_direction: Annotated[str | None, Query(description="down, up or both (default down).", json_schema_extra=DIRECTION)] = None,
    unknown_dates: Annotated[str | None, Query(description="review or assume (default review).", json_schema_extra=UNKNOWN_DATES)] = None,
) -> Policy:
    """The default policy with the settings given in the query string (PolicyError, a 422, for a bad one)."""
    given = {
        key: value
        for key, value in {
            "lookback_years": lookback_years,
            "min_confidence": min_confidence,
            "hierarchy_depth": hierarchy_depth,
            "hierarchy_direction": hierarchy_direction,
            "unknown_dates": unknown_dates,
        }.items()
        if value is not None
    }
    return policy_with(given) if given else DEFAULT_POLICY


def policy_with(settings: Mapping[str, object]) -> Policy:
    """The default policy with some settings changed (PolicyError for a bad one)."""
    return policy_from_dict({**DEFAULT_POLICY.as_dict(), "name": REQUEST_POLICY, **settings})


PolicyParam = Annotated[Policy, Depends(policy_params)]
KnownOn = Annotated[
    str | None,
    Query(description="Use only statements whose sources were published, or imported, by this day (YYYY-MM-DD).", json_schema_extra=DAY),
]
REPORT_FORMAT: dict[str, Any] = {"enum": ["json", "html", "csv", "pdf"]}


class VetOptions:
    """The query parameters every vetting route shares: the day, the answer's format, the knowledge date."""

    def __init__(
        self,
        date_: Annotated[str | None, Query(alias="date", description="Vet as of this day (default today).", json_schema_extra=DAY)] = None,
        fmt: Annotated[
            str | None, Query(alias="format", description="json, html, csv or pdf (default: by Accept).", json_schema_extra=REPORT_FORMAT)
        ] = None,
        as_known_on: KnownOn = None,
    ) -> None:
        self.format = fmt
        self.day: date = day_or_today(date_, "date")
        self.as_known_on: date | None = parse_day(as_known_on, "as_known_on")


Options = Annotated[VetOptions, Depends()]


def answer_format(request: Request, fmt: str | None, allowed: tuple[str, ...]) -> str:
    """?format= wins; otherwise the Accept header by q-values (text/html, text/csv, application/pdf), otherwise JSON."""
    if fmt:
        if fmt not in allowed:
            raise BadRequestError(f"format: {fmt!r} is not one of {', '.join(allowed)}")
        return fmt
    offered = {media: name for media, name in negotiation.PAGE_MEDIA_TYPES.items() if name in allowed}
    return negotiation.choose(request.headers.get("accept"), offered) or "json"


def agent_of(caller: Caller) -> audit.Agent:
    """The API key behind a run, a decision or a sign-off."""
    return audit.Agent(caller.key_id or "anonymous", caller.key_name or "anonymous", caller.role.label)
