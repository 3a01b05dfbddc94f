"""Paths: the shortest chains of relations between two actors, hop by hop, with each relation's
type, dates and confidence. The search itself is graph.tracing.paths.paths (bidirectional BFS over
the same edge query as the ego network)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.dates import IsoDay
from api.web.dependencies import DatasetDep, StoreDep
from api.web.models.tracing import Paths
from api.web.views.export import EXPORT_FORMAT_DOC, FILE_FORMATS, download, export_format
from graph.index.cache import index_for
from graph.tracing import export
from graph.tracing.errors import NotFound
from graph.tracing.naming import resolve_kind
from graph.tracing.paths import MAX_PATH_HOPS, paths

router = APIRouter(tags=["Paths"])


@router.get("/paths", response_model=Paths, responses=FILE_FORMATS, summary="Shortest relationship paths between two actors")
def find_paths(
    request: Request,
    store: StoreDep,
    dataset: DatasetDep,
    source: Annotated[str, Query(alias="from", description="an IRI, kind/slug or identifier")],
    target: Annotated[str, Query(alias="to", description="an IRI, kind/slug or identifier")],
    max_hops: Annotated[int, Query(alias="max", ge=1, le=MAX_PATH_HOPS, description="longest path searched (1-6)")] = 4,
    at: Annotated[IsoDay | None, Query(description="only relations valid on this day (YYYY-MM-DD)")] = None,
    types: Annotated[str | None, Query(description="relation classes to follow, comma-separated")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="at most this many paths")] = 10,
    format: Annotated[str | None, Query(description=EXPORT_FORMAT_DOC)] = None,
) -> Any:
    """Every shortest path (up to `limit`) of at most `max` relations between the two, ignoring
    which way relations point; each hop gives the relation node's IRI, type, dates and confidence.
    As a file of every node and relation on those paths with `?format=` (or the Accept header)."""
    chosen = export_format(request, "json")
    kinds = ("actor", "program", "incident")
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
    if chosen != "json":
        return download(export.from_paths(result, export.file_stem(index, start, at, end)), chosen)
    return Paths.model_validate(result)
