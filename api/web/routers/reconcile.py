"""The W3C Reconciliation Service API (v0.2) at /reconcile, so that researchers can reconcile a
spreadsheet column against ActorGraph in OpenRefine:

    GET  /reconcile                   the service manifest
    GET  /reconcile?queries={...}     a query batch (JSON in the query string)
    POST /reconcile                   a query batch as the form field `queries` (what OpenRefine sends)
    GET  /reconcile/preview?id=...    a small HTML card of one entity, for OpenRefine's hover preview
    GET  /reconcile/suggest/entity    actors whose names start with `prefix` (OpenRefine's search box)
    GET  /reconcile/suggest/type      actor classes whose names contain `prefix`

Matching is the screening matcher's (graph.vetting.screening.reconcile); this module reads the
request and shapes the answer. Callers see the graphs they may read, as everywhere: anonymous
callers the public graphs, analysts and above the restricted ones too.
"""

from __future__ import annotations

import json
from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from api.web.dependencies import DatasetDep, StoreDep
from api.web.json_body import check_depth
from api.web.models.reconcile import BatchResult, EntitySuggestions, Manifest, TypeSuggestions
from graph.errors import BadRequestError, NotFoundError
from graph.index.cache import index_for
from graph.index.identifiers import AmbiguousSubject, UnknownSubject, resolve
from graph.index.names import local_name, normalize
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.vetting.audit import data_version
from graph.vetting.screening.reconcile import entity_id, parse_batch, reconcile
from ontology.namespaces import AG, ID

router = APIRouter(tags=["Reconciliation"])

DEFAULT_TYPES = ("Actor", "Person", "Organization", "State", "SecurityForceUnit", "MilitaryUnit", "PoliceUnit", "NonStateArmedGroup")
QueriesParam = Annotated[
    str | None,
    Query(description='A query batch as JSON: {"q0": {"query": "7 Mtn Bde", "type": "MilitaryUnit", "properties": [{"pid": "country", "v": "Veldoria"}]}}. Without it, the manifest.'),
]


def _manifest(request: Request, store: GraphStore, dataset: Dataset) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    terms = index_for(store, dataset).terms
    types = [{"id": name, "name": terms.label(AG + name)} for name in DEFAULT_TYPES if terms.knows(AG + name)]
    return {
        "versions": ["0.2"],
        "name": "ActorGraph",
        "identifierSpace": ID,
        "schemaSpace": AG,
        "documentation": f"{base}/docs#/Reconciliation",
        "view": {"url": f"{base}/pages/actors/{{{{id}}}}"},
        "preview": {"url": f"{base}/reconcile/preview?id={{{{id}}}}", "width": 400, "height": 160},
        "defaultTypes": types,
        "suggest": {
            "entity": {"service_url": base, "service_path": "/reconcile/suggest/entity"},
            "type": {"service_url": base, "service_path": "/reconcile/suggest/type"},
        },
    }


def _batch(store: GraphStore, dataset: Dataset, text: str) -> dict[str, Any]:
    check_depth(text.encode("utf-8"))  # a deeply nested batch is a 400, never a RecursionError
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadRequestError(f"queries: not JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    queries = parse_batch(payload)
    found = reconcile(store, dataset, queries, version_digest=data_version(store, dataset).digest)
    return {key: {"result": [candidate.as_dict() for candidate in candidates]} for key, candidates in found.items()}


@router.get("/reconcile", response_model=Manifest | BatchResult, summary="Reconciliation service: manifest, or a query batch")
async def reconcile_get(request: Request, store: StoreDep, dataset: DatasetDep, queries: QueriesParam = None) -> dict[str, Any]:
    """The service manifest; with `queries`, the candidates of each query, best first, each with a
    score from 0 to 100, its ActorGraph classes and `match: true` only for a confident single match."""
    if queries is None:
        return await run_in_threadpool(_manifest, request, store, dataset)
    return await run_in_threadpool(_batch, store, dataset, queries)


@router.post("/reconcile", response_model=BatchResult, summary="Reconciliation service: a query batch (form field `queries`)")
async def reconcile_post(request: Request, store: StoreDep, dataset: DatasetDep) -> dict[str, Any]:
    """A query batch sent as OpenRefine sends it: `application/x-www-form-urlencoded` (or multipart)
    with the field `queries` holding the batch as JSON."""
    form = await request.form()
    queries = form.get("queries")
    if not isinstance(queries, str):
        raise BadRequestError("queries: send the query batch as the form field 'queries' (JSON)")
    return await run_in_threadpool(_batch, store, dataset, queries)


def _preview(store: GraphStore, dataset: Dataset, identifier: str) -> str:
    try:
        iri = resolve(store, dataset, identifier).value
    except (UnknownSubject, AmbiguousSubject, ValueError):
        raise NotFoundError(f"id: no entity {identifier!r} in the graphs you may read") from None
    index = index_for(store, dataset)
    subject = index.get(iri)
    if subject is None or subject.kind != "actor":
        raise NotFoundError(f"id: {identifier!r} is not an actor")
    classes = ", ".join(index.terms.label(c) for c in index.terms.most_specific(subject.types, within=AG + "Actor"))
    country = index.label(subject.country) if subject.country else ""
    aliases = ", ".join(subject.aliases[:8])
    rows = [("Type", classes), ("Country", country), ("Also known as", aliases), ("Id", entity_id(iri))]
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows if v)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
        f"{escape(subject.label)}</title></head><body style=\"font: 13px sans-serif; margin: 6px\">"
        f'<strong><a href="/pages/actors/{escape(entity_id(iri))}" target="_blank">{escape(subject.label or iri)}</a></strong>'
        f"<table>{cells}</table></body></html>"
    )


@router.get("/reconcile/preview", response_class=HTMLResponse, summary="Reconciliation service: preview of an entity")
async def reconcile_preview(store: StoreDep, dataset: DatasetDep, id: Annotated[str, Query(max_length=500, description="an entity id from a result")]) -> HTMLResponse:
    """A small HTML card (names, classes, country) for OpenRefine's preview pane; data is escaped."""
    return HTMLResponse(await run_in_threadpool(_preview, store, dataset, id))


Prefix = Annotated[str, Query(max_length=200, description="what the user has typed so far")]
Cursor = Annotated[int, Query(ge=0, le=10_000, description="how many suggestions to skip")]
SUGGESTIONS = 10


def _suggest_entities(store: GraphStore, dataset: Dataset, prefix: str, cursor: int) -> dict[str, Any]:
    index = index_for(store, dataset)
    found = []
    for hit in index.search(prefix, limit=SUGGESTIONS, offset=cursor).hits:
        subject = hit.subject
        notable = [{"id": local_name(c), "name": index.terms.label(c)} for c in index.terms.most_specific(subject.types, within=AG + "Actor")]
        entry: dict[str, Any] = {"id": entity_id(subject.iri), "name": subject.label or hit.matched_name, "notable": notable}
        if subject.country:
            entry["description"] = index.label(subject.country)
        found.append(entry)
    return {"result": found}


def _suggest_types(store: GraphStore, dataset: Dataset, prefix: str) -> dict[str, Any]:
    terms = index_for(store, dataset).terms
    wanted = normalize(prefix)
    classes = sorted(terms.descendants(AG + "Actor"), key=terms.label)
    found = [{"id": local_name(c), "name": terms.label(c)} for c in classes if wanted in normalize(terms.label(c)) or wanted in normalize(local_name(c))]
    return {"result": found[:SUGGESTIONS]}


@router.get("/reconcile/suggest/entity", response_model=EntitySuggestions, response_model_exclude_none=True, summary="Reconciliation service: suggest actors")
async def reconcile_suggest_entity(store: StoreDep, dataset: DatasetDep, prefix: Prefix = "", cursor: Cursor = 0) -> dict[str, Any]:
    """Actors whose label, name or alias matches what was typed, best first (as /actors?q= ranks them)."""
    return await run_in_threadpool(_suggest_entities, store, dataset, prefix, cursor)


@router.get("/reconcile/suggest/type", response_model=TypeSuggestions, summary="Reconciliation service: suggest actor classes")
async def reconcile_suggest_type(store: StoreDep, dataset: DatasetDep, prefix: Prefix = "") -> dict[str, Any]:
    """ActorGraph's actor classes whose label or short name contains what was typed."""
    return await run_in_threadpool(_suggest_types, store, dataset, prefix)
