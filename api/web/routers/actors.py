"""Actors: find them by name, read a profile, trace an ego network at a date, read a timeline.

`{id}` is an IRI (URL-encoded or not), a kind/slug such as `fictional/unit/bn-72`, or a
dcterms:identifier. IRIs and kind/slugs contain slashes, so the path parameter uses the `subject`
convertor below: like Starlette's `path`, but it never swallows a sub-resource name at the end
(`/network`, `/timeline`, `/vetting`), so `/actors/{id}` and `/actors/{id}/network` (and other
routers' `/programs/{id}/vetting`) can all exist whatever order the routers are included in.

The logic lives in graph/index/ and graph/tracing/; this module only reads parameters,
picks the caller's dataset and shapes the answer.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.convertors import Convertor, register_url_convertor

from api.web.dependencies import dataset_for_caller, store_of
from api.web.security import Caller, current_caller
from graph.index.cache import index_for
from graph.index.names import local_name
from graph.index.subjects import Hit, SubjectIndex, UnknownFilter
from graph.tracing.errors import BadParameter, NotFound
from graph.tracing.naming import resolve_kind
from graph.tracing.network import DEFAULT_MAX_NODES, MAX_DEPTH, network
from graph.tracing.profile import profile, term_ref
from graph.tracing.refs import node_ref
from graph.tracing.timeline import timeline
from ontology.namespaces import AG

#################################################################
# The {id} convertor
#################################################################

SUB_RESOURCES = ("network", "timeline", "vetting")


class SubjectConvertor(Convertor[str]):
    """A path segment run that may hold slashes but does not end in /network, /timeline or /vetting."""

    regex = r"(?:(?!/(?:" + "|".join(SUB_RESOURCES) + r")/?$).)+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("subject", SubjectConvertor())

#################################################################
# Response models (shared with the paths and programs routers)
#################################################################


class APIModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Node(APIModel):
    """A node of a network or path: an actor, a program or an incident."""

    id: str = Field(description="IRI")
    label: str
    types: list[str] = Field(description="most specific classes, by short name (MilitaryUnit)")
    kind: str = Field(description="actor, program, incident or other")


class Term(APIModel):
    """An ontology term: a class, or a concept of a typology (level, sector, role)."""

    id: str = Field(description="IRI")
    name: str = Field(description="short name, such as MilitaryUnit or LocalLevel")
    label: str


class Source(APIModel):
    id: str
    title: str | None
    publisher: str | None
    year: str | None
    url: str | None


class Edge(APIModel):
    """A relation node as an edge between its two role-players."""

    id: str = Field(description="IRI of the relation node")
    source: str
    target: str
    type: str = Field(description="relation class, by short name (Command, Subordination, ...)")
    label: str
    start: str | None
    end: str | None
    confidence: str | None = Field(description="low, medium or high")
    status: str | None = Field(description="alleged or established, for perpetrations")
    sources: int = Field(description="number of sources")
    directed: bool = Field(description="false for alliances and rivalries")


class Relation(APIModel):
    """A relation of the profiled actor, with its evidence."""

    id: str
    type: str
    label: str
    role: str = Field(description="the actor's role in the relation, such as 'commander'")
    counterpart: Node
    counterpart_role: str
    direction: str = Field(description="outgoing (the actor is the source), incoming, or mutual")
    start: str | None
    end: str | None
    confidence: str | None
    status: str | None
    sources: list[Source]


class RelationGroup(APIModel):
    type: str
    label: str
    relations: list[Relation]


class Profile(APIModel):
    id: str
    label: str
    kind: str
    types: list[Term]
    names: list[str]
    aliases: list[str]
    country: Node | None
    level: Term | None
    sector: Term | None
    location: str | None
    relations: list[RelationGroup] = Field(description="dated relations, grouped by relation class")


class ActorHit(APIModel):
    id: str
    label: str
    types: list[str]
    country: Node | None
    level: Term | None
    sector: Term | None
    match: str = Field(description="exact, prefix, token or fuzzy (all when there is no query)")
    score: float = Field(description="similarity 0-100 within the match tier")
    matched_name: str = Field(description="the label, name or alias that matched")


class ActorSearch(APIModel):
    q: str | None
    total: int
    limit: int
    offset: int
    results: list[ActorHit]


class Network(APIModel):
    center: str
    depth: int
    at: date | None
    nodes: list[Node]
    edges: list[Edge]
    truncated: bool = Field(description="true when more nodes were reachable than max_nodes")
    max_nodes: int


class TimelineEntry(APIModel):
    kind: str = Field(description="relation, or incident (a perpetration, dated by its incident)")
    date: str | None = Field(description="the date the entry is sorted by: start, else end")
    start: str | None
    end: str | None
    relation: str
    type: str
    label: str
    role: str
    counterpart: Node
    confidence: str | None
    status: str | None
    sources: int


class Timeline(APIModel):
    actor: Node
    total: int
    limit: int
    offset: int
    entries: list[TimelineEntry]


#################################################################
# Errors
#################################################################


def unprocessable(parameter: str, message: str, where: str = "query") -> HTTPException:
    """A 422 shaped like FastAPI's own validation errors, naming the parameter."""
    return HTTPException(status_code=422, detail=[{"loc": [where, parameter], "msg": message, "type": "value_error"}])


def translate(error: Exception) -> HTTPException:
    """Domain errors to HTTP: unknown subjects are 404, unusable parameters 422."""
    if isinstance(error, NotFound):
        return HTTPException(status_code=404, detail=str(error))
    if isinstance(error, BadParameter):
        return unprocessable(error.parameter, error.message, "path" if error.parameter == "id" else "query")
    if isinstance(error, UnknownFilter):
        return unprocessable(error.parameter, f"{error.value!r}: {error.hint}")
    raise error


#################################################################
# Routes
#################################################################

router = APIRouter(prefix="/actors", tags=["Actors"])

Limit = Annotated[int, Query(ge=1, le=500, description="page size (at most 500)")]
Offset = Annotated[int, Query(ge=0, description="how many results to skip")]
ActorId = Annotated[str, Path(description="an IRI (URL-encoded), a kind/slug such as fictional/unit/bn-72, or an identifier")]


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
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="name, alias or part of one; case and accents are ignored")] = None,
    type: Annotated[str | None, Query(description="actor class by short name or IRI, subclasses included (MilitaryUnit)")] = None,
    country: Annotated[str | None, Query(description="a state's IRI, kind/slug, country code or name")] = None,
    level: Annotated[str | None, Query(description="local, national, regional or international")] = None,
    sector: Annotated[str | None, Query(description="a sector, such as security or justice")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
    caller: Caller = Depends(current_caller),
) -> ActorSearch:
    """Searches labels, names and aliases. Results are ranked: exact name, then names starting with
    the query, then names containing every query word, then fuzzy matches (typos)."""
    store = store_of(request)
    dataset = dataset_for_caller(request, caller)
    index = index_for(store, dataset)
    try:
        page = index.search(q, type_=type, country=country, level=level, sector=sector, limit=limit, offset=offset)
    except UnknownFilter as error:
        raise translate(error) from None
    return ActorSearch(q=q, total=page.total, limit=limit, offset=offset, results=[_hit(index, h) for h in page.hits])


@router.get("/{id:subject}/network", response_model=Network, summary="Ego network of an actor at a date")
def actor_network(
    request: Request,
    id: ActorId,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="rings of relations around the actor (1-3)")] = 1,
    at: Annotated[date | None, Query(description="only relations valid on this day (YYYY-MM-DD); all without it")] = None,
    types: Annotated[str | None, Query(description="relation classes to follow, comma-separated (Command,Subordination)")] = None,
    max_nodes: Annotated[int, Query(ge=1, le=5000, description="cap on nodes; `truncated` says if it was hit")] = DEFAULT_MAX_NODES,
    caller: Caller = Depends(current_caller),
) -> Any:
    """The actor, everything within `depth` relations of it, and those relations as edges. Relations
    are valid at `at` when they have no start or start on or before it, and have no end or end on
    or after it."""
    store = store_of(request)
    dataset = dataset_for_caller(request, caller)
    try:
        index = index_for(store, dataset)
        center = resolve_kind(store, dataset, index, id, ("actor", "program", "incident"))
        result = network(store, dataset, center, depth=depth, at=at, types=types, max_nodes=max_nodes, index=index)
    except (NotFound, BadParameter) as error:
        raise translate(error) from None
    return Network.model_validate(result)


@router.get("/{id:subject}/timeline", response_model=Timeline, summary="Relations and incidents of an actor in date order")
def actor_timeline(
    request: Request,
    id: ActorId,
    limit: Annotated[int, Query(ge=1, le=500, description="page size (at most 500)")] = 100,
    offset: Offset = 0,
    caller: Caller = Depends(current_caller),
) -> Any:
    """Every relation of the actor and every incident it is recorded in, dated ones first in date
    order, undated ones last."""
    store = store_of(request)
    dataset = dataset_for_caller(request, caller)
    try:
        index = index_for(store, dataset)
        actor = resolve_kind(store, dataset, index, id, ("actor", "program", "incident"))
        result = timeline(store, dataset, actor, limit=limit, offset=offset, index=index)
    except (NotFound, BadParameter) as error:
        raise translate(error) from None
    return Timeline.model_validate(result)


@router.get("/{id:subject}", response_model=Profile, summary="Profile of an actor")
def actor_profile(request: Request, id: ActorId, caller: Caller = Depends(current_caller)) -> Any:
    """Types, names and aliases, country, level and sector, and every relation grouped by class,
    each with the actor's role, the other party, dates, confidence and sources."""
    store = store_of(request)
    dataset = dataset_for_caller(request, caller)
    try:
        index = index_for(store, dataset)
        actor = resolve_kind(store, dataset, index, id, ("actor",))
        result = profile(store, dataset, actor, index=index)
    except (NotFound, BadParameter) as error:
        raise translate(error) from None
    return Profile.model_validate(result)
