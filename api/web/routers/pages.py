"""HTML pages for people who do not know RDF: find an actor, read its page, read a program's page.

Pages live under /pages/... so they never clash with the JSON resources (/actors/{id},
/programs/{id}) that other routers serve; every page links to the JSON and graph views. What a
page shows comes from the graph layer (graph.index, graph.tracing, graph.query.named_queries) over the caller's dataset; this module only gathers it for the templates.

Vetting outcomes are role-dependent, and a browser following a link sends no API key, so pages do
not compute them: their script fetches the vetting resource with the key the user entered (kept in
sessionStorage) and the vetting router's own rules decide what comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.web.dependencies import dataset_for_caller, store_of
from api.web.security import Caller, current_caller
from api.web.templating import templates
from api.web.views import build, program_views, safety
from graph.index.cache import index_for, search_actors
from graph.index.names import local_name
from graph.index.subjects import UnknownFilter
from graph.ingest import registry
from graph.query import named_queries
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing import programs
from graph.tracing.errors import BadParameter, NotFound
from graph.tracing.naming import resolve_kind
from graph.tracing.network import network
from graph.tracing.profile import Profile, profile
from graph.tracing.timeline import TimelineEntry, timeline_entries
from ontology.namespaces import AG

router = APIRouter(tags=["Pages"])

PAGE_SIZE = 25


def page_href(kind: str, iri: str) -> str | None:
    return safety.page_href(kind, iri)


def _quoted(iri: str) -> str:
    return quote(iri, safe="/:")


# Templates build links with these, so a URL is made the same way everywhere.
templates.env.globals["page_href"] = page_href
templates.env.globals["view_href"] = safety.view_href
templates.env.globals["safe_url"] = safety.safe_url
templates.env.globals["quoted"] = _quoted
templates.env.filters["period"] = lambda pair: build.period(build.clean_date(pair[0]), build.clean_date(pair[1]))


async def _call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Graph work off the event loop; the graph layer's errors become readable 4xx pages."""
    try:
        return await run_in_threadpool(function, *args, **kwargs)
    except NotFound as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    except (BadParameter, UnknownFilter) as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    except named_queries.NamedQueryError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None


#################################################################
# Home page additions
#################################################################


@dataclass(frozen=True)
class HomeExtras:
    recent_imports: list[registry.GraphInfo]
    programs: list[programs.ProgramSummary]
    actor_classes: frozenset[str]
    actor_count: int


def home_extras(request: Request) -> HomeExtras:
    """What home.html adds to the statistics: recent imports the caller may see, programs, and
    which classes are actor classes (their counts link to the actor list). A template global
    because the home route (api/web/routers/home.py) passes only the statistics."""
    caller = current_caller(request)
    store = store_of(request)
    dataset = dataset_for_caller(request, caller)
    visible = {g.value for g in dataset.graphs}
    recent = sorted((g for g in registry.registered_graphs(store) if g.graph.value in visible), key=lambda g: g.imported_at, reverse=True)
    index = index_for(store, dataset)
    actor_top = AG + "Actor"
    classes = frozenset(c for s in index.of_kind("actor") for c in s.types if index.terms.is_a(c, actor_top))
    listed = programs.list_programs(store, dataset, limit=12)
    return HomeExtras(recent[:8], listed.programs, classes, len(index.of_kind("actor")))


templates.env.globals["home_extras"] = home_extras


#################################################################
# Search
#################################################################


@dataclass(frozen=True)
class HitRow:
    iri: str
    label: str
    types: list[str]
    country: str | None
    match: str
    matched_name: str


def _search(store: GraphStore, dataset: Dataset, q: str | None, type_: str | None, country: str | None, offset: int) -> tuple[int, list[HitRow]]:
    index = index_for(store, dataset)
    found = search_actors(store, dataset, q, type_=type_, country=country, limit=PAGE_SIZE, offset=offset)
    rows = []
    for hit in found.hits:
        subject = hit.subject
        types = index.terms.most_specific(subject.types, within=AG + "Actor")
        rows.append(
            HitRow(
                iri=subject.iri,
                label=subject.label,
                types=[index.terms.label(t) for t in types],
                country=index.label(subject.country) if subject.country else None,
                match=hit.match,
                matched_name=hit.matched_name,
            )
        )
    return found.total, rows


@router.get("/pages/search", response_class=HTMLResponse, summary="Find actors (page)")
async def search_page(
    request: Request,
    caller: Annotated[Caller, Depends(current_caller)],
    q: str | None = None,
    type: str | None = None,
    country: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    """Names, aliases and other-language names, accents and case ignored: "Brigada Serra" finds
    the unit also called "Brigada Sêrra"."""
    dataset = dataset_for_caller(request, caller)
    error = None
    total, hits = 0, []
    try:
        total, hits = await _call(_search, store_of(request), dataset, q, type or None, country or None, offset)
    except HTTPException as problem:
        if problem.status_code != 422:
            raise
        error = problem.detail
    params = {k: v for k, v in {"q": q, "type": type, "country": country}.items() if v}
    more = urlencode({**params, "offset": offset + PAGE_SIZE}) if offset + PAGE_SIZE < total else None
    back = urlencode({**params, "offset": max(offset - PAGE_SIZE, 0)}) if offset else None
    return templates.TemplateResponse(
        request,
        "search.html",
        {"q": q or "", "type": type or "", "country": country or "", "total": total, "hits": hits, "offset": offset, "more": more, "back": back, "error": error},
        status_code=422 if error else 200,
    )


#################################################################
# Actor page
#################################################################


@dataclass
class ActorPage:
    profile: Profile
    types: list[str]
    timeline: list[TimelineEntry]
    incidents: list[TimelineEntry]
    programs: list[dict[str, Any]]
    graph: dict[str, Any]
    graph_view: build.GraphView


def actor_page_data(store: GraphStore, dataset: Dataset, name: str) -> ActorPage:
    index = index_for(store, dataset)
    iri = resolve_kind(store, dataset, index, name, ("actor", "incident"))
    actor_profile = profile(store, dataset, iri, index=index)
    entries = timeline_entries(store, dataset, iri, index)
    incidents = [e for e in entries if e.kind == "incident"]
    program_rows: list[dict[str, Any]] = []
    if actor_profile.kind == "actor":
        page = named_queries.run(store, dataset, "actor_programs", {"actor": iri}, limit=200)
        for record in page.records():
            program = record.get("program")
            program_rows.append(
                {
                    "iri": program.value if program is not None else None,
                    "name": _value(record.get("programName")),
                    "type": _value(record.get("programType")),
                    "role": _value(record.get("role")),
                    "start": _value(record.get("start")),
                    "end": _value(record.get("end")),
                    "confidence": _value(record.get("confidence")),
                }
            )
    ego = network(store, dataset, iri, depth=1, max_nodes=build.DEFAULT_NODE_LIMIT, index=index)
    view = build.from_network(ego, index)
    types = [t.label for t in actor_profile.types if index.terms.is_a(t.id, AG + "Actor") or index.terms.is_a(t.id, AG + "Incident")] or [t.label for t in actor_profile.types]
    return ActorPage(actor_profile, types, entries, incidents, program_rows, view.data(), view)


def _value(term: Any) -> str | None:
    return None if term is None else str(term.value)


@router.get("/pages/actors/{name:path}", response_class=HTMLResponse, summary="Actor page")
async def actor_page(request: Request, name: str, caller: Annotated[Caller, Depends(current_caller)]) -> HTMLResponse:
    """Profile, names and aliases, relations by type with dates, confidence and sources, a
    timeline, incidents, programs, the network around the actor, and (for analysts) vetting."""
    dataset = dataset_for_caller(request, caller)
    page = await _call(actor_page_data, store_of(request), dataset, name)
    iri = page.profile.id
    return templates.TemplateResponse(
        request,
        "actor.html",
        {
            "page": page,
            "profile": page.profile,
            "data": page.graph,
            "view": page.graph_view,
            "json_href": "/actors/" + _quoted(iri),
            "vetting_url": "/vetting/" + _quoted(iri),
        },
    )


#################################################################
# Programs
#################################################################


@router.get("/pages/programs", response_class=HTMLResponse, summary="Programs (page)")
async def programs_page(
    request: Request, caller: Annotated[Caller, Depends(current_caller)], offset: Annotated[int, Query(ge=0)] = 0
) -> HTMLResponse:
    dataset = dataset_for_caller(request, caller)
    listed = await _call(programs.list_programs, store_of(request), dataset, limit=100, offset=offset)
    return templates.TemplateResponse(request, "programs.html", {"listed": listed})


@router.get("/pages/programs/{name:path}", response_class=HTMLResponse, summary="Program page")
async def program_page(request: Request, name: str, caller: Annotated[Caller, Depends(current_caller)]) -> HTMLResponse:
    """A program's period, level, sector and place; its partners by role with dates and sources;
    the program view; and the vetting table when the caller may see it."""
    dataset = dataset_for_caller(request, caller)
    detail, view = await _call(program_views.program_view, store_of(request), dataset, name)
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
            "json_href": "/programs/" + _quoted(detail.id),
            "vetting_url": view.vetting_url,
            "local_name": local_name,
        },
    )
