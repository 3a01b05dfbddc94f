"""Vetting results as documents: the printable HTML report, and CSV of the findings.

The API (api.web.routers.vetting, programs) and the command line (`actorgraph vet --format html`)
render the same templates with the same links, through `render` and `report_context`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from fastapi.responses import PlainTextResponse

from api.web.templating import templates
from graph.vetting import audit
from graph.vetting.model import FindingSet
from graph.vetting.report import RULE_TITLES, findings_csv


def report_url(subject: str, day: str) -> str:
    """The HTML report of a subject as of a day, on this server."""
    return f"/vetting/{quote(subject, safe='/:')}?date={day}&format=html"


def http_url(url: str | None) -> bool:
    """Only http(s) source URLs become links; anything else (javascript:, data:) stays text."""
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def links() -> dict[str, Any]:
    """What every vetting template needs besides its data."""
    return {"rule_titles": RULE_TITLES, "http_url": http_url, "report_url": report_url}


def report_context(result: FindingSet, run: audit.RunRecord | None) -> dict[str, Any]:
    return {"result": result, "run": run, **links()}


def render(template: str, **context: object) -> str:
    """A vetting template as text (the command line's HTML output)."""
    return templates.env.get_template(template).render(**links(), **context)


def findings_download(results: Iterable[FindingSet], filename: str) -> PlainTextResponse:
    """The findings of `results` as a CSV attachment."""
    return PlainTextResponse(
        findings_csv(results),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
