"""Paths: the shortest chains of relations between two actors, hop by hop, with each relation's
type, dates and confidence. The search itself is graph.tracing.paths.paths (bidirectional BFS over
the same edge query as the ego network)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from api.web.dependencies import dataset_for_caller, store_of
from api.web.routers.actors import APIModel, Edge, Node, translate
from api.web.security import Caller, current_caller
from graph.index.cache import index_for
from graph.tracing.errors import BadParameter, NotFound
from graph.tracing.naming import resolve_kind
from graph.tracing.paths import MAX_PATH_HOPS, paths

router = APIRouter(tags=["Paths"])


class Hop(APIModel):
    """One step: from `source` to `target` through a relation (whichever way the relation points)."""

    source: str
    target: str
    relation: Edge


class Path(APIModel):
    length: int
    nodes: list[str]
    hops: list[Hop]


class Paths(APIModel):
    source: str
    target: str
    max_hops: int
    at: date | None
    length: int | None = Field(description="the length of the shortest paths; null when none within max_hops")
    paths: list[Path]
    nodes: list[Node] = Field(description="every node on the returned paths, with labels")
    truncated: bool = Field(description="true when there were more shortest paths than `limit`")
    expanded: int = Field(description="nodes whose relations were read: the cost of the search")
    budget_exhausted: bool = Field(
        description="true when the search stopped at its budget of nodes (through a hub) before max hops; "
        "then 'no path' is not proof that none exists"
    )


@router.get("/paths", response_model=Paths, summary="Shortest relationship paths between two actors")
def find_paths(
    request: Request,
    source: Annotated[str, Query(alias="from", description="an IRI, kind/slug or identifier")],
    target: Annotated[str, Query(alias="to", description="an IRI, kind/slug or identifier")],
    max_hops: Annotated[int, Query(alias="max", ge=1, le=MAX_PATH_HOPS, description="longest path searched (1-6)")] = 4,
    at: Annotated[date | None, Query(description="only relations valid on this day (YYYY-MM-DD)")] = None,
    types: Annotated[str | None, Query(description="relation classes to follow, comma-separated")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="at most this many paths")] = 10,
    caller: Caller = Depends(current_caller),
) -> Any:
    """Every shortest path (up to `limit`) of at most `max` relations between the two, ignoring
    which way relations point; each hop gives the relation node's IRI, type, dates and confidence."""
    store = store_of(request)
    dataset = dataset_for_caller(request, caller)
    kinds = ("actor", "program", "incident")
    try:
        index = index_for(store, dataset)
        try:
            start = resolve_kind(store, dataset, index, source, kinds)
        except NotFound as error:
            raise NotFound(f"from: {error}") from None
        try:
            end = resolve_kind(store, dataset, index, target, kinds)
        except NotFound as error:
            raise NotFound(f"to: {error}") from None
        result = paths(store, dataset, start, end, max_hops=max_hops, at=at, types=types, limit=limit, index=index)
    except (NotFound, BadParameter) as error:
        raise translate(error) from None
    return Paths.model_validate(result)
