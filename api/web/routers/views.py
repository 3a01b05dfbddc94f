"""Interactive graph views: an actor's network at a date, a program and its partners, the paths
between two subjects, and a query's result, drawn by vis-network in the browser.

The pages (`/view/...`) embed the view's data as JSON; the data routes (`/view/data/...`) give the
same JSON for one more node (double-click expands it in place) and the details panel of a node.
Every answer comes from graph.tracing (and graph.query.named_queries for library queries) over the
caller's dataset, so a view never shows a graph the caller may not read.

vis-network is served from the copy the pyvis package installs (`/vendor/...`), never from a CDN:
field offices may be offline. It lives under /vendor and not /static/vendor because api.web.app
mounts the whole /static prefix on api/web/static, which would shadow any route below it.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.dates import parse_day
from api.web.convertors import NodeName
from api.web.dependencies import CallerDep, DatasetDep, LimitsDep, StoreDep
from api.web.models.views import NodeDetails, ViewData
from api.web.templating import templates
from api.web.views import build, details, graph_view, program_views, query_views
from api.web.views.export import EXPORT_FORMAT_DOC, FILE_FORMATS, download, export_format
from graph.errors import NotFoundError
from graph.index.cache import index_for
from graph.index.names import local_name
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing import export
from graph.tracing.edges import relation_classes
from graph.tracing.naming import resolve, resolve_kind
from graph.tracing.network import MAX_DEPTH, network
from graph.tracing.paths import MAX_PATH_HOPS, paths

router = APIRouter(tags=["Graph views"])

VIS_DIR = Path(str(resources.files("pyvis"))) / "templates" / "lib" / "vis-9.1.2"
# Only these files are served: a fixed list, so no path from a request ever reaches the disk.
VENDOR_FILES = {
    "vis-network.min.js": (VIS_DIR / "vis-network.min.js", "text/javascript"),
    "vis-network.css": (VIS_DIR / "vis-network.css", "text/css"),
}

Depth = Annotated[int, Query(ge=1, le=MAX_DEPTH, description="How many relations away from the centre")]
Limit = Annotated[int, Query(ge=1, le=graph_view.MAX_NODE_LIMIT, description="At most this many nodes")]
Format = Annotated[str | None, Query(description=EXPORT_FORMAT_DOC.replace("json", "html", 1))]


@router.get("/vendor/{name}", include_in_schema=False)
async def vendor(name: str) -> FileResponse:
    """vis-network's script and stylesheet, from the pyvis package's own copy."""
    found = VENDOR_FILES.get(name)
    if found is None or not found[0].is_file():
        raise NotFoundError(f"no vendored file {name!r}")
    path, media_type = found
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})


def _types(value: str | None) -> str | None:
    return value if value and value.strip() else None


def actor_view(
    store: GraphStore, dataset: Dataset, name: str, *, depth: int, at: date | None, types: str | None, limit: int
) -> graph_view.GraphView:
    """The ego network of `name` (an actor, or an incident or program seen the same way). Loaded
    without a date and with every relation type, so the page can move the date and toggle types
    without asking again; only when that would cut the view at the node limit does the server
    apply the date and types itself (the page then refetches when they change)."""
    index = index_for(store, dataset)
    iri = resolve_kind(store, dataset, index, name, ("actor", "incident", "program"))
    selected = relation_classes(index.terms, types)  # a bad type is a 422 before any work
    ego = network(store, dataset, iri, depth=depth, max_nodes=limit, index=index)
    mode = "client"
    if ego.truncated and (at is not None or types):
        ego = network(store, dataset, iri, depth=depth, at=at, types=types, max_nodes=limit, index=index)
        mode = "server"
    view = build.from_network(ego, index, kind="actor")
    view.at = at.isoformat() if at else None
    view.filter_mode = mode
    view.types = sorted(local_name(c) for c in selected) if selected is not None else None
    return view


def _render(request: Request, view: graph_view.GraphView, template: str = "graph_view.html", **extra: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, {"view": view, "data": view.data(), **extra})


def actor_export(
    store: GraphStore, dataset: Dataset, name: str, *, depth: int, at: date | None, types: str | None, limit: int
) -> export.Exported:
    """The network an actor view shows, with the date and the relation types applied."""
    index = index_for(store, dataset)
    iri = resolve_kind(store, dataset, index, name, ("actor", "incident", "program"))
    ego = network(store, dataset, iri, depth=depth, at=at, types=types, max_nodes=limit, index=index)
    return export.from_network(ego, export.file_stem(index, iri, at))


@router.get("/view/actors/{name:path}", response_class=HTMLResponse, responses=FILE_FORMATS, summary="Actor network view")
async def view_actor(
    request: Request,
    store: StoreDep,
    dataset: DatasetDep,
    name: NodeName,
    depth: Depth = 1,
    at: str | None = None,
    types: str | None = None,
    limit: Limit = graph_view.DEFAULT_NODE_LIMIT,
    format: Format = None,
) -> Response:
    """The actor's network at a date: colour and shape by kind of actor, dashed edges for alleged
    or low-confidence links; click for details, double-click to expand, move the date. With
    `?format=` the same network, at the date and of the types chosen, as a file."""
    chosen = export_format(request, "html")
    day = parse_day(at, "at")
    if chosen != "html":
        exported = await run_in_threadpool(actor_export, store, dataset, name, depth=depth, at=day, types=_types(types), limit=limit)
        return download(exported, chosen)
    view = await run_in_threadpool(actor_view, store, dataset, name, depth=depth, at=day, types=_types(types), limit=limit)
    return _render(request, view)


@router.get("/view/data/network/{name:path}", response_model=ViewData, summary="A node's network, as view data (JSON)")
async def view_data_network(
    store: StoreDep,
    dataset: DatasetDep,
    name: NodeName,
    depth: Depth = 1,
    at: str | None = None,
    types: str | None = None,
    limit: Limit = graph_view.DEFAULT_NODE_LIMIT,
) -> dict[str, Any]:
    """What a graph page adds when a node is double-clicked (or refetches when the server filters):
    the network around any subject, escaped and styled like the page's own data."""
    day = parse_day(at, "at")

    def work() -> dict[str, Any]:
        index = index_for(store, dataset)
        iri = resolve(store, dataset, name)
        ego = network(store, dataset, iri, depth=depth, at=day, types=_types(types), max_nodes=limit, index=index)
        return build.from_network(ego, index).data()

    return await run_in_threadpool(work)


@router.get("/view/data/node/{name:path}", response_model=NodeDetails, summary="A node's details, as view data (JSON)")
async def view_data_node(store: StoreDep, dataset: DatasetDep, name: NodeName) -> dict[str, Any]:
    """The details panel of a clicked node: names, types, and its relations with dates,
    confidence, status and sources, every string escaped."""
    return await run_in_threadpool(details.node_details, store, dataset, name)


@router.get("/view/programs/{name:path}", response_class=HTMLResponse, responses=FILE_FORMATS, summary="Program view")
async def view_program(
    request: Request, store: StoreDep, dataset: DatasetDep, name: NodeName, at: str | None = None, format: Format = None
) -> Response:
    """A program with its implementers, funders, partners and targets; partners are coloured by
    their vetting outcome when the program has been vetted. With `?format=`, as a file."""
    chosen = export_format(request, "html")
    day = parse_day(at, "at")
    if chosen != "html":
        exported = await run_in_threadpool(lambda: program_views.program_export(store, dataset, name, at=day))
        return download(exported, chosen)
    _, view = await run_in_threadpool(lambda: program_views.program_view(store, dataset, name, at=day))
    return _render(request, view)


@router.get("/view/paths", response_class=HTMLResponse, responses=FILE_FORMATS, summary="Paths view")
async def view_paths(
    request: Request,
    store: StoreDep,
    dataset: DatasetDep,
    source: Annotated[str | None, Query(alias="from")] = None,
    target: Annotated[str | None, Query(alias="to")] = None,
    max: Annotated[int, Query(ge=1, le=MAX_PATH_HOPS)] = 4,
    at: str | None = None,
    types: str | None = None,
    format: Format = None,
) -> Response:
    """The shortest paths between two subjects; without both ends, a form to choose them. With
    `?format=`, every node and relation on those paths as a file."""
    chosen = export_format(request, "html")
    if not source or not target:
        return templates.TemplateResponse(
            request, "paths_form.html", {"source": source or "", "target": target or "", "max": max, "at": at or ""}
        )
    day = parse_day(at, "at")

    def work() -> graph_view.GraphView | export.Exported:
        index = index_for(store, dataset)
        a = resolve(store, dataset, source, what="subject ('from')")
        b = resolve(store, dataset, target, what="subject ('to')")
        found = paths(store, dataset, a, b, max_hops=max, at=day, types=_types(types), index=index)
        if chosen != "html":
            return export.from_paths(found, export.file_stem(index, a, day, b))
        return build.from_paths(found, index)

    view = await run_in_threadpool(work)
    if isinstance(view, export.Exported):
        return download(view, chosen)
    return _render(request, view, form={"source": source, "target": target, "max": max, "at": at or ""})


@router.get("/view/query", response_class=HTMLResponse, summary="Query view (a library query)")
async def view_query(request: Request, store: StoreDep, dataset: DatasetDep, name: str | None = None) -> HTMLResponse:
    """A query of the library drawn as a graph; its parameters come as query-string fields."""
    if not name:
        return templates.TemplateResponse(request, "query_view_form.html", query_views.form_context())
    params = {k: v for k, v in request.query_params.items() if k not in {"name", "limit"}}
    view = await query_views.library_view(store, dataset, name, params)
    return _render(request, view, query_name=name)


@router.post("/view/query", response_class=HTMLResponse, summary="Query view (a posted CONSTRUCT or SELECT)")
async def view_posted_query(request: Request, store: StoreDep, caller: CallerDep, dataset: DatasetDep, limits: LimitsDep) -> HTMLResponse:
    """A CONSTRUCT (or SELECT) query posted from a form, run over the caller's dataset, as a graph."""
    form = await request.form()
    text = str(form.get("query") or "")
    view = await query_views.posted_view(store, dataset, caller, text, limits)
    return _render(request, view, posted_query=text)
