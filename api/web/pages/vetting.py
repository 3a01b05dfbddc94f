"""Vetting pages: check one subject, and screen a list of names from a CSV file.

The vetting itself (graph.vetting.engine, api.web.routers.vetting) decides outcomes and who may see
them. These pages are forms around it: the browser calls the vetting API with the API key the user
entered (kept in sessionStorage), so a reader sees the vetting router's refusal and an analyst the
report, and nothing role-dependent is rendered on the server without the caller's key.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.templating import templates

router = APIRouter(tags=["Pages"])


@router.get("/pages/vetting", response_class=HTMLResponse, summary="Vetting (page)")
async def vetting_page(request: Request) -> HTMLResponse:
    """Vet a subject (opens its report) or upload a CSV of names to screen, with the results as
    a table and as a CSV download."""
    return templates.TemplateResponse(request, "vetting.html", {})


@router.get("/pages/vetting/report", response_class=HTMLResponse, summary="Vetting report (page)")
async def vetting_report_page(request: Request, subject: str = "", date: str = "") -> HTMLResponse:
    """The vetting report of one subject, fetched with the user's API key and shown in a sandboxed
    frame (the report is the vetting router's own HTML; the sandbox lets it run no script)."""
    return templates.TemplateResponse(request, "vetting_report_page.html", {"subject": subject.strip(), "date": date.strip()})
