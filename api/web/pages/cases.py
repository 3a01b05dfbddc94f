"""The vetting cases page: list cases by status, show one, record a decision, sign one off.

Like the other vetting pages it is a form around the API: the browser calls /vetting/cases with
the API key the user entered, so the server renders nothing about real people here, and a caller
without an analyst's key sees the API's refusal.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.templating import templates
from graph.vetting.cases.records import DECISIONS
from graph.vetting.cases.review import STATUSES

router = APIRouter(tags=["Pages"])
DECISION_LABELS = [(value, value.replace("_", " ")) for value in DECISIONS]


@router.get("/pages/vetting/cases", response_class=HTMLResponse, summary="Vetting cases (page)")
async def cases_page(request: Request, case: str = "", status: str = "", subject: str = "", date: str = "") -> HTMLResponse:
    """The case list (filtered by status or subject), one case (`?case=ID`) with its sign-off, and
    the form that records a decision (prefilled with `?subject=` and `?date=`)."""
    return templates.TemplateResponse(
        request,
        "vetting_cases.html",
        {
            "case_id": case.strip(),
            "status": status.strip() if status.strip() in STATUSES else "",
            "subject": subject.strip(),
            "date": date.strip(),
            "statuses": STATUSES,
            "decisions": DECISION_LABELS,
        },
    )
