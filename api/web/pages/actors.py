"""Actor pages for people who do not know RDF: find an actor, and read its page.

Pages live under /pages/... so they never clash with the JSON resources (/actors/{id}) that the
API serves; every page links to the JSON and graph views. What a page shows comes from the graph
layer (graph.index, graph.tracing, graph.query.named_queries) over the caller's
dataset; this module only gathers it for the templates.

Vetting outcomes are role-dependent, and a browser following a link sends no API key, so pages do
not compute them: their script fetches the vetting resource with the key the user entered (kept in
sessionStorage) and the vetting router's own rules decide what comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.web.convertors import NodeName
from api.web.dependencies import DatasetDep, StoreDep
from api.web.pages import actor_search
from api.web.templating import quoted, templates
from api.web.views import build, graph_view
from graph.errors import WrongOnThisEngine
from graph.index.cache import index_for
from graph.query import named_queries
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing.hierarchy import IncidentBelow, incidents_below
from graph.tracing.naming import resolve_kind
from graph.tracing.network import network
from graph.tracing.profile import Profile, profile
from graph.tracing.timeline import TimelineEntry, timeline_entries
from graph.vetting.dates import parse_precision
from ontology.namespaces import AG

router = APIRouter(tags=["Pages"])
router.include_router(actor_search.router)  # the actors list, with its filters

@dataclass
class ActorPage:
    profile: Profile
    types: list[str]
    timeline: list[TimelineEntry]
    incidents: list[TimelineEntry]
    programs: list[dict[str, Any]]
    graph: dict[str, Any]
    graph_view: graph_view.GraphView
    incidents_below: list[IncidentBelow]
    programs_unavailable: str | None = None  # why the programs are not listed (an engine that answers the query wrongly)


def actor_page_data(store: GraphStore, dataset: Dataset, name: str) -> ActorPage:
    index = index_for(store, dataset)
    iri = resolve_kind(store, dataset, index, name, ("actor", "incident"))
    actor_profile = profile(store, dataset, iri, index=index)
    entries = timeline_entries(store, dataset, iri, index)
    incidents = [e for e in entries if e.kind == "incident"]
    program_rows: list[dict[str, Any]] = []
    programs_unavailable = None
    if actor_profile.kind == "actor":
        try:
            records = list(named_queries.run(store, dataset, "actor_programs", {"actor": iri}, limit=200).records())
        except WrongOnThisEngine as error:
            records, programs_unavailable = [], str(error)
        for record in records:
            program = record.get("program")
            program_rows.append(
                {
                    "iri": _value(program),
                    "name": _value(record.get("programName")),
                    "type": _value(record.get("programType")),
                    "role": _value(record.get("role")),
                    "start": _value(record.get("start")),
                    "end": _value(record.get("end")),
                    "start_precision": parse_precision(_value(record.get("startPrecision"))),
                    "end_precision": parse_precision(_value(record.get("endPrecision"))),
                    "ongoing": (_value(record.get("ongoing")) or "").lower() in ("true", "1"),
                    "confidence": _value(record.get("confidence")),
                }
            )
    ego = network(store, dataset, iri, depth=1, max_nodes=graph_view.DEFAULT_NODE_LIMIT, index=index)
    view = build.from_network(ego, index)
    types = [t.label for t in actor_profile.types if index.terms.is_a(t.id, AG + "Actor") or index.terms.is_a(t.id, AG + "Incident")] or [t.label for t in actor_profile.types]
    below = incidents_below(store, dataset, iri, index) if actor_profile.kind == "actor" else []
    return ActorPage(actor_profile, types, entries, incidents, program_rows, view.data(), view, below, programs_unavailable)


def _value(term: Any) -> str | None:
    return None if term is None else str(term.value)


@router.get("/pages/actors/{name:path}", response_class=HTMLResponse, summary="Actor page")
async def actor_page(request: Request, store: StoreDep, dataset: DatasetDep, name: NodeName) -> HTMLResponse:
    """Profile, names and aliases, relations by type with dates, confidence and sources, a
    timeline, incidents, programs, the network around the actor, and (for analysts) vetting."""
    page = await run_in_threadpool(actor_page_data, store, dataset, name)
    iri = page.profile.id
    return templates.TemplateResponse(
        request,
        "actor.html",
        {
            "page": page,
            "profile": page.profile,
            "data": page.graph,
            "view": page.graph_view,
            "json_href": "/actors/" + quoted(iri),
            "vetting_url": "/vetting/" + quoted(iri),
        },
    )
