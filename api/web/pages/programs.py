"""Program pages: the list of programs, and one program's page with its partners by role.

Like the actor pages they show what graph.tracing.programs gives over the caller's dataset, and
leave vetting outcomes to the page's script, which fetches them with the user's API key.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.web.dependencies import DatasetDep, StoreDep
from api.web.templating import quoted, templates
from api.web.views import program_views
from graph.index.names import local_name
from graph.tracing import programs

router = APIRouter(tags=["Pages"])


@router.get("/pages/programs", response_class=HTMLResponse, summary="Programs (page)")
async def programs_page(request: Request, store: StoreDep, dataset: DatasetDep, offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    listed = await run_in_threadpool(lambda: programs.list_programs(store, dataset, limit=100, offset=offset))
    return templates.TemplateResponse(request, "programs.html", {"listed": listed})


@router.get("/pages/programs/{name:path}", response_class=HTMLResponse, summary="Program page")
async def program_page(request: Request, store: StoreDep, dataset: DatasetDep, name: str) -> HTMLResponse:
    """A program's period, level, sector and place; its partners by role with dates and sources;
    the program view; and the vetting table when the caller may see it."""
    detail, view = await run_in_threadpool(program_views.program_view, store, dataset, name)
    groups = [
        ("Implementers", detail.implementers),
        ("Funders", detail.funders),
        ("Partners", detail.partners),
        ("Targets", detail.targets),
        ("Other participants", detail.participants),
    ]
    return templates.TemplateResponse(
        request,
        "program.html",
        {
            "program": detail,
            "groups": [(title, members) for title, members in groups if members],
            "data": view.data(),
            "view": view,
            "json_href": "/programs/" + quoted(detail.id),
            "vetting_url": view.vetting_url,
            "local_name": local_name,
        },
    )
