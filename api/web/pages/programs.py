"""Program pages: the list of programs, and one program's page with its partners by role.

Like the actor pages they show what graph.tracing.programs gives over the caller's dataset, and
leave vetting outcomes to the page's script, which fetches them with the user's API key.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.web.convertors import NodeName
from api.web.dependencies import DatasetDep, StoreDep
from api.web.templating import quoted, templates
from api.web.views import program_views, prose
from graph.errors import InvalidValueError
from graph.index.cache import index_for
from graph.index.names import local_name
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing import programs

router = APIRouter(tags=["Pages"])


PAGE_SIZE = 100


def program_list(store: GraphStore, dataset: Dataset, origin: str | None, offset: int) -> programs.ProgramPage:
    """One page of programs, only the real or only the fictional ones when asked."""
    index = index_for(store, dataset)
    chosen = [p for p in index.of_kind("program") if origin is None or prose.origin(p.iri) == origin]
    page = [programs.program_summary(index, p.iri) for p in chosen[offset : offset + PAGE_SIZE]]
    return programs.ProgramPage(len(chosen), PAGE_SIZE, offset, page)


@router.get("/pages/programs", response_class=HTMLResponse, summary="Programs (page)")
async def programs_page(
    request: Request,
    store: StoreDep,
    dataset: DatasetDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    data: Annotated[str | None, Query(description="real, fictional or synthetic; all without it")] = None,
) -> HTMLResponse:
    """Every program, real and fictional told apart by a badge and a filter."""
    if data not in (None, "", *prose.ORIGINS):
        raise InvalidValueError(f"data: {data!r} is not one of {', '.join(prose.ORIGINS)}")
    origin = data or None
    listed = await run_in_threadpool(program_list, store, dataset, origin, offset)
    more = urlencode({k: v for k, v in {"data": origin, "offset": offset + PAGE_SIZE}.items() if v}) if offset + PAGE_SIZE < listed.total else None
    return templates.TemplateResponse(request, "programs.html", {"listed": listed, "data": origin or "", "more": more})


@router.get("/pages/programs/{name:path}", response_class=HTMLResponse, summary="Program page")
async def program_page(request: Request, store: StoreDep, dataset: DatasetDep, name: NodeName) -> HTMLResponse:
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
