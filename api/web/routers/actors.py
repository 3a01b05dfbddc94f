"""Actors: find them by name, read a profile, trace an ego network at a date, read a timeline.

`{id}` is an IRI (URL-encoded or not), a kind/slug such as `fictional/unit/bn-72`, or a
dcterms:identifier (api.web.convertors). The logic lives in graph.index and graph.tracing;
this module only reads parameters and shapes the answer (api.web.models).
An unknown subject is a 404, an unusable parameter a 422 naming it (api.web.errors).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.dates import IsoDay
from api.web.convertors import SUBJECT_ID, SubjectId
from api.web.dependencies import DatasetDep, StoreDep
from api.web.models.tracing import ActorHit, ActorSearch, Network, Node, Profile, Term, Timeline
from api.web.views.export import EXPORT_FORMAT_DOC, FILE_FORMATS, download, export_format
from graph.index.cache import index_for
from graph.index.names import local_name
from graph.index.subjects import Hit, SubjectIndex
from graph.tracing import export
from graph.tracing.naming import resolve_kind
from graph.tracing.network import DEFAULT_MAX_NODES, MAX_DEPTH, network
from graph.tracing.profile import profile, term_ref
from graph.tracing.refs import node_ref
from graph.tracing.timeline import timeline
from ontology.namespaces import AG

router = APIRouter(prefix="/actors", tags=["Actors"])

Limit = Annotated[int, Query(ge=1, le=500, description="page size (at most 500)")]
Offset = Annotated[int, Query(ge=0, description="how many results to skip")]
TRACEABLE = ("actor", "program", "incident")


def _hit(index: SubjectIndex, hit: Hit) -> ActorHit:
    subject = hit.subject
    terms = index.terms
    return ActorHit(
        id=subject.iri,
        label=subject.label,
        types=[local_name(t) for t in terms.most_specific(subject.types, within=AG + "Actor")],
        country=Node.model_validate(node_ref(index, subject.country)) if subject.country else None,
        level=Term.model_validate(term_ref(terms, subject.level)) if subject.level else None,
        sector=Term.model_validate(term_ref(terms, subject.sector)) if subject.sector else None,
        match=hit.match,
        score=hit.score,
        matched_name=hit.matched_name,
    )


@router.get("", response_model=ActorSearch, summary="Find actors by name")
def find_actors(
    store: StoreDep,
    dataset: DatasetDep,
    q: Annotated[str | None, Query(max_length=200, description="name, alias or part of one; case and accents are ignored")] = None,
    type: Annotated[str | None, Query(description="actor class by short name or IRI, subclasses included (MilitaryUnit)")] = None,
    country: Annotated[str | None, Query(description="a state's IRI, kind/slug, country code or name")] = None,
    level: Annotated[str | None, Query(description="local, national, regional or international")] = None,
    sector: Annotated[str | None, Query(description="a sector, such as security or justice")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> ActorSearch:
    """Searches labels, names and aliases. Results are ranked: exact name, then names starting with
    the query, then names containing every query word, then fuzzy matches (typos)."""
    index = index_for(store, dataset)
    page = index.search(q, type_=type, country=country, level=level, sector=sector, limit=limit, offset=offset)
    return ActorSearch(q=q, total=page.total, limit=limit, offset=offset, results=[_hit(index, h) for h in page.hits])


@router.get(f"/{SUBJECT_ID}/network", response_model=Network, responses=FILE_FORMATS, summary="Ego network of an actor at a date")
def actor_network(
    request: Request,
    store: StoreDep,
    dataset: DatasetDep,
    id: SubjectId,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="rings of relations around the actor (1-3)")] = 1,
    at: Annotated[IsoDay | None, Query(description="only relations valid on this day (YYYY-MM-DD); all without it")] = None,
    types: Annotated[str | None, Query(description="relation classes to follow, comma-separated (Command,Subordination)")] = None,
    max_nodes: Annotated[int, Query(ge=1, le=5000, description="cap on nodes; `truncated` says if it was hit")] = DEFAULT_MAX_NODES,
    format: Annotated[str | None, Query(description=EXPORT_FORMAT_DOC)] = None,
) -> Any:
    """The actor, everything within `depth` relations of it, and those relations as edges. Relations
    are valid at `at` when they have no start or start on or before it, and have no end or end on
    or after it. As a file with `?format=graphml|gexf|csv|nodes-csv|edges-csv` (or the Accept header)."""
    chosen = export_format(request, "json")
    index = index_for(store, dataset)
    center = resolve_kind(store, dataset, index, id, TRACEABLE)
    result = network(store, dataset, center, depth=depth, at=at, types=types, max_nodes=max_nodes, index=index)
    if chosen != "json":
        return download(export.from_network(result, export.file_stem(index, center, at)), chosen)
    return Network.model_validate(result)


@router.get(f"/{SUBJECT_ID}/timeline", response_model=Timeline, summary="Relations and incidents of an actor in date order")
def actor_timeline(
    store: StoreDep,
    dataset: DatasetDep,
    id: SubjectId,
    limit: Annotated[int, Query(ge=1, le=500, description="page size (at most 500)")] = 100,
    offset: Offset = 0,
) -> Any:
    """Every relation of the actor and every incident it is recorded in, dated ones first in date
    order, undated ones last."""
    index = index_for(store, dataset)
    actor = resolve_kind(store, dataset, index, id, TRACEABLE)
    result = timeline(store, dataset, actor, limit=limit, offset=offset, index=index)
    return Timeline.model_validate(result)


@router.get(f"/{SUBJECT_ID}", response_model=Profile, summary="Profile of an actor")
def actor_profile(store: StoreDep, dataset: DatasetDep, id: SubjectId) -> Any:
    """Types, names and aliases, country, level and sector, and every relation grouped by class,
    each with the actor's role, the other party, dates, confidence and sources."""
    index = index_for(store, dataset)
    actor = resolve_kind(store, dataset, index, id, ("actor",))
    return Profile.model_validate(profile(store, dataset, actor, index=index))
