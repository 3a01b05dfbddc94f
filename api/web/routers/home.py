"""The home page: what the graph holds, and example queries to start from."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.web.dependencies import dataset_for_caller, store_of
from api.web.security import Caller, current_caller
from api.web.templating import templates
from graph.query import stats
from queries import catalog

router = APIRouter(tags=["Pages"])


def _example_links() -> list[dict[str, str]]:
    links = []
    for named in catalog.list_queries("library"):
        if named.params:
            continue  # parameterized queries need values; the query API covers them
        links.append(
            {
                "title": named.title,
                "description": named.description,
                "name": named.name,
                "href": "/sparql?" + urlencode({"query": named.text}),
            }
        )
    return links


@router.get("/", response_class=HTMLResponse, summary="Home page")
async def home(request: Request, caller: Caller = Depends(current_caller)) -> HTMLResponse:
    dataset = await run_in_threadpool(dataset_for_caller, request, caller)
    figures = await run_in_threadpool(stats.statistics, store_of(request), list(dataset.graphs))
    return templates.TemplateResponse(
        request,
        "home.html",
        {"stats": figures, "examples": _example_links()},
    )
