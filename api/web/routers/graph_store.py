"""The SPARQL 1.1 Graph Store HTTP Protocol at /graph-store?graph=IRI.

- GET (and HEAD): the graph, in the format the Accept header asks for (Turtle by default;
  N-Triples, JSON-LD, RDF/XML). 404 when there is no such graph or the caller may not read it:
  a reader cannot tell a restricted graph from a missing one.
- PUT (editor): replace the graph with the body. POST (editor): merge the body into it. Both are
  validated against the SHACL shapes and atomic (graph.ingest.loader); a new graph is registered and so
  visible at once (public, or restricted with `?restricted=true`; an existing graph keeps its
  flag). 201 when the graph was created, 200 otherwise, with a JSON summary. A POST to the bare
  endpoint (no `graph`) creates a new graph, named uploads/UUID, and answers 201 with its IRI
  in `Location`. A POST may send several documents as multipart/form-data, one per file part, each
  with its own Content-Type; they are merged as one upload.
- DELETE (editor): drop the graph and its registration.
- `graph` may be a full IRI or a short name (under https://w3id.org/actorgraph/graph/).
- `?default` is refused with 405 Method Not Allowed (the Graph Store Protocol's answer for an
  operation a graph store does not support), with an empty `Allow`: ActorGraph stores no default
  graph. The default graph of a query is the union of the graphs the caller may read, a view that
  cannot be written, and serving it here would dump the whole store in one response; fetch graphs
  by name, or CONSTRUCT at /sparql.
- Bodies over Settings.max_upload_bytes get 413, malformed RDF 400 with line and column (so do
  RDF/XML entities beyond graph.guards.xml_guard's bounds), an empty body or one without triples 400,
  an unknown Content-Type 415, shape violations 422 with the list. The ontology and derived
  graphs: admins only; meta, keys, audit and vetting-cases: never (graph.guards.write_policy).
- Writes name graphs by the one rule of graph.guards.write_policy (400 outside
  https://w3id.org/actorgraph/graph/), and a PUT or POST into a public graph is refused (403)
  when the body carries triples that only restricted graphs hold. After a write the derived
  links are recomputed
  (`?reason=false` skips that).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, ClassVar

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.web import negotiation, results
from api.web.dependencies import DatasetDep, Editor, StoreDep, WarmerDep
from api.web.models.writes import WriteReport
from api.web.protocol import ProtocolRoute, media_type, media_type_of, query_flag
from api.web.protocol_schema import GRAPH_DELETE, GRAPH_READ, GRAPH_WRITE
from api.web.security import Caller
from graph.errors import ActorGraphError, BadRequestError, UnsupportedMediaError
from graph.guards import write_policy
from graph.index.warming import Warmer
from graph.ingest import writes
from graph.ingest.formats import format_named
from graph.ingest.loader import LoadError, RdfSource, RdfSyntaxError, resolve_graph, source_triples
from graph.query.sparql import Dataset
from graph.store import GraphStore, rdf
from ontology.namespaces import GRAPH, PREFIXES

router = APIRouter(tags=["Graph Store"], route_class=ProtocolRoute)
GSP_DOC = "SPARQL 1.1 Graph Store HTTP Protocol. `graph` is a graph IRI or short name; `default` is refused (see README)."


class DefaultGraphRefused(ActorGraphError):
    """`?default`: ActorGraph stores no default graph, so no method applies to it."""

    status = 405
    headers: ClassVar[Mapping[str, str]] = {"Allow": ""}


def _graph(request: Request, *, write: bool = False, new: bool = False) -> rdf.NamedNode:
    """The graph of the request. Writes follow graph.guards.write_policy's one naming rule (400 outside
    ActorGraph's graph namespace); reads accept any IRI, and 404 for what is not there. With `new`
    and no graph named, a fresh graph (a POST to the bare endpoint)."""
    params = request.query_params
    if "default" in params:
        raise DefaultGraphRefused(
            "ActorGraph stores no default graph: the default graph of a query is the union of the graphs you may "
            "read, which cannot be written or downloaded here. Name a graph with ?graph=IRI, or CONSTRUCT at /sparql."
        )
    name = params.get("graph")
    if not name and new:
        return rdf.NamedNode(f"{GRAPH}uploads/{uuid.uuid4()}")
    if not name:
        raise BadRequestError("name the graph: /graph-store?graph=IRI (or a short name)")
    try:
        return write_policy.graph_for_write(name) if write else resolve_graph(name, name)
    except (LoadError, write_policy.BadWrite) as error:
        raise BadRequestError(str(error)) from None


def _readable(graph: rdf.NamedNode, dataset: Dataset) -> None:
    if graph not in dataset.graphs:
        raise writes.GraphNotFound(f"no graph {graph.value} (or none you may read)")


def _serialize(request: Request, store: GraphStore, dataset: Dataset, graph: rdf.NamedNode) -> Response:
    _readable(graph, dataset)
    chosen = negotiation.acceptable(request.headers.get("accept"), negotiation.GRAPH_MEDIA_TYPES)
    triples = (rdf.Triple(q.subject, q.predicate, q.object) for q in store.quads(graph))
    body, media = results.graph_bytes(triples, chosen, PREFIXES)
    return Response(content=body, media_type=media)


# A write that creates the graph answers 201, with the new graph's IRI as Location.
CREATED: dict[int | str, dict[str, Any]] = {201: {"description": "The graph was created", "model": WriteReport}}
GRAPH_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The graph, as the Accept header asks", "content": {media: {} for media in negotiation.GRAPH_MEDIA_TYPES}},
    404: {"description": "No such graph, or none the caller may read", "content": {"text/plain": {}}},
    405: {"description": "`?default`: ActorGraph stores no default graph", "content": {"text/plain": {}}},
    406: {"description": "No type in the Accept header can be produced", "content": {"text/plain": {}}},
}


@router.get(
    "/graph-store", summary="Read a graph", description=GSP_DOC, response_class=Response, responses=GRAPH_RESPONSES, openapi_extra=GRAPH_READ,
)
async def read_graph(request: Request, store: StoreDep, dataset: DatasetDep) -> Response:
    return await run_in_threadpool(_serialize, request, store, dataset, _graph(request))


@router.head(
    "/graph-store", summary="Check a graph", description=GSP_DOC, response_class=Response, responses=GRAPH_RESPONSES, openapi_extra=GRAPH_READ,
)
async def check_graph(request: Request, store: StoreDep, dataset: DatasetDep) -> Response:
    return await run_in_threadpool(_serialize, request, store, dataset, _graph(request))  # the server sends the headers only


async def _parts(request: Request, graph: rdf.NamedNode) -> RdfSource:
    """A multipart/form-data upload: every file part, parsed by its own Content-Type, as one source."""
    triples: list[rdf.Triple] = []
    names = []
    async with request.form() as form:
        for field, part in form.multi_items():
            if isinstance(part, str):
                continue
            name = f"part {part.filename or field!r}"
            if not part.content_type:
                raise UnsupportedMediaError(f"{name} has no Content-Type: give each file part text/turtle, application/n-triples, ...")
            data = await part.read()
            source = RdfSource.from_bytes(name, data, format_named(media_type_of(part.content_type)), base_iri=graph.value)
            triples.extend(await run_in_threadpool(source_triples, source))
            names.append(name)
    if not names:
        raise BadRequestError("the multipart/form-data body has no file part: send each RDF document as a file")
    if not triples:
        raise BadRequestError(f"the uploaded parts ({', '.join(names)}) hold no triples")
    return RdfSource.from_bytes(f"request body ({', '.join(names)})", rdf.triples_bytes(triples), writes.NTRIPLES, require_triples=True)


async def _upload(request: Request, graph: rdf.NamedNode) -> RdfSource:
    media = media_type(request)
    if media == "multipart/form-data":
        return await _parts(request, graph)
    if not media:
        raise UnsupportedMediaError("send the graph with a Content-Type: text/turtle, application/n-triples, application/ld+json, ...")
    fmt = format_named(media)  # UnknownFormat: a 415
    body = await request.body()  # api.web.body_limit bounds it
    if not body:
        raise BadRequestError(
            "the request body is empty: send the graph's content. To empty a graph use CLEAR GRAPH at /update; "
            "to remove it, DELETE /graph-store"
        )
    return RdfSource.from_bytes(f"request body ({fmt.name})", body, fmt, base_iri=graph.value, require_triples=True)


async def _write(request: Request, response: Response, store: GraphStore, caller: Caller, warmer: Warmer, merge: bool) -> dict[str, Any]:
    graph = _graph(request, write=True, new=merge)
    writes.check_writable(graph, admin=caller.is_admin)
    operation = writes.merge_graph if merge else writes.replace_graph
    try:
        upload = await _upload(request, graph)
        created, report = await run_in_threadpool(
            operation,
            store,
            graph,
            upload,
            admin=caller.is_admin,
            restricted=query_flag(request, "restricted", False),
            reason=query_flag(request, "reason", True),
        )
    except RdfSyntaxError as error:
        where = f"line {error.line}, column {error.column}" if error.line is not None else "somewhere"
        body = error.source if error.source.startswith("part ") else "the request body"
        raise BadRequestError(f"malformed RDF in {body} at {where}: {error.detail}") from None
    warmer.start()
    # The Graph Store Protocol's Location is the new graph's IRI (read it back with ?graph=IRI).
    if created:
        response.status_code = 201
        response.headers["Location"] = graph.value
    return report.as_dict()


@router.put(
    "/graph-store", response_model=WriteReport, responses=CREATED, summary="Replace a graph", description=GSP_DOC, openapi_extra=GRAPH_WRITE,
)
async def put_graph(request: Request, response: Response, store: StoreDep, caller: Editor, warmer: WarmerDep) -> dict[str, Any]:
    return await _write(request, response, store, caller, warmer, merge=False)


@router.post(
    "/graph-store", response_model=WriteReport, responses=CREATED, summary="Merge into a graph", description=GSP_DOC, openapi_extra=GRAPH_WRITE,
)
async def post_graph(request: Request, response: Response, store: StoreDep, caller: Editor, warmer: WarmerDep) -> dict[str, Any]:
    return await _write(request, response, store, caller, warmer, merge=True)


@router.delete("/graph-store", response_model=WriteReport, summary="Delete a graph", description=GSP_DOC, openapi_extra=GRAPH_DELETE)
async def delete_graph(request: Request, store: StoreDep, caller: Editor, dataset: DatasetDep, warmer: WarmerDep) -> dict[str, Any]:
    graph = _graph(request, write=True)
    writes.check_writable(graph, admin=caller.is_admin)
    _readable(graph, dataset)
    report = await run_in_threadpool(writes.delete_graph, store, graph, admin=caller.is_admin, reason=query_flag(request, "reason", True))
    warmer.start()
    return report.as_dict()
