"""The SPARQL 1.1 Graph Store HTTP Protocol at /graph-store?graph=IRI.

- GET (and HEAD): the graph, in the format the Accept header asks for (Turtle by default;
  N-Triples, JSON-LD, RDF/XML). 404 when there is no such graph or the caller may not read it:
  a reader cannot tell a restricted graph from a missing one.
- PUT (editor): replace the graph with the body. POST (editor): merge the body into it. Both are
  validated against the SHACL shapes and atomic (graph.ingest.loader); a new graph is registered and so
  visible at once (public, or restricted with `?restricted=true`; an existing graph keeps its
  flag). 201 when the graph was created, 200 otherwise, with a JSON summary.
- DELETE (editor): drop the graph and its registration.
- `graph` may be a full IRI or a short name (under https://w3id.org/actorgraph/graph/).
- `?default` is refused with 400: ActorGraph stores no default graph. The default graph of a query
  is the union of the graphs the caller may read, a view that cannot be written, and serving it
  here would dump the whole store in one response; fetch graphs by name, or CONSTRUCT at /sparql.
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

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from api.web import negotiation, results
from api.web.dependencies import dataset_for_caller, store_of
from api.web.routers.update import UpdateError, error_response, query_flag
from api.web.security import Caller, Role, current_caller, require
from graph.guards import write_policy
from graph.ingest import writes
from graph.ingest.formats import UnknownFormat, format_named
from graph.ingest.loader import LoadError, RdfSource, RdfSyntaxError, resolve_graph
from graph.store import rdf
from ontology.namespaces import PREFIXES

router = APIRouter(tags=["Graph Store"])
GSP_DOC = "SPARQL 1.1 Graph Store HTTP Protocol. `graph` is a graph IRI or short name; `default` is refused (see README)."


def _graph(request: Request, *, write: bool = False) -> rdf.NamedNode:
    """The graph of the request. Writes follow graph.guards.write_policy's one naming rule (400 outside
    ActorGraph's graph namespace); reads accept any IRI, and 404 for what is not there."""
    params = request.query_params
    if "default" in params:
        raise UpdateError(
            400,
            "ActorGraph stores no default graph: the default graph of a query is the union of the graphs you may "
            "read, which cannot be written or downloaded here. Name a graph with ?graph=IRI, or CONSTRUCT at /sparql.",
        )
    name = params.get("graph")
    if not name:
        raise UpdateError(400, "name the graph: /graph-store?graph=IRI (or a short name)")
    try:
        return write_policy.graph_for_write(name) if write else resolve_graph(name, name)
    except (LoadError, write_policy.BadWrite) as error:
        raise UpdateError(400, str(error)) from None


def _serialize(request: Request, caller: Caller, graph: rdf.NamedNode) -> Response:
    if graph not in dataset_for_caller(request, caller).graphs:
        return PlainTextResponse(f"no graph {graph.value} (or none you may read)", status_code=404)
    chosen = negotiation.choose(request.headers.get("accept"), negotiation.GRAPH_MEDIA_TYPES)
    if chosen is None:
        offered = ", ".join(sorted(set(negotiation.GRAPH_MEDIA_TYPES)))
        return PlainTextResponse(f"cannot produce any type in the Accept header; offered: {offered}", status_code=406)
    rdf_format, media_type = results.GRAPH_FORMATS[chosen]
    triples = (rdf.Triple(q.subject, q.predicate, q.object) for q in store_of(request).quads(graph))
    prefixes = PREFIXES if rdf_format == rdf.RdfFormat.TURTLE else None
    body = rdf.serialize(triples, format=rdf_format, prefixes=prefixes) or b""
    return Response(content=body, media_type=media_type)


async def _read(request: Request) -> Response:
    caller = current_caller(request)
    try:
        graph = _graph(request)
    except UpdateError as error:
        return error_response(error)
    return await run_in_threadpool(_serialize, request, caller, graph)


@router.get("/graph-store", summary="Read a graph", description=GSP_DOC)
async def read_graph(request: Request) -> Response:
    return await _read(request)


@router.head("/graph-store", summary="Check a graph", description=GSP_DOC)
async def check_graph(request: Request) -> Response:
    return await _read(request)  # the server sends the headers only


async def _upload(request: Request, graph: rdf.NamedNode) -> RdfSource:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not media_type:
        raise UpdateError(415, "send the graph with a Content-Type: text/turtle, application/n-triples, application/ld+json, ...")
    try:
        fmt = format_named(media_type)
    except UnknownFormat as error:
        raise UpdateError(415, str(error)) from None
    body = await request.body()  # api.web.body_limit bounds it
    if not body:
        raise UpdateError(
            400,
            "the request body is empty: send the graph's content. To empty a graph use CLEAR GRAPH at /update; "
            "to remove it, DELETE /graph-store",
        )
    return RdfSource.from_bytes(f"request body ({fmt.name})", body, fmt, base_iri=graph.value, require_triples=True)


def _syntax_error(error: RdfSyntaxError) -> Response:
    where = f"line {error.line}, column {error.column}" if error.line is not None else "somewhere"
    return PlainTextResponse(f"malformed RDF in the request body at {where}: {error.detail}", status_code=400)


async def _write(request: Request, caller: Caller, merge: bool) -> Response:
    try:
        graph = _graph(request, write=True)
        writes.check_writable(graph, admin=caller.is_admin)
        upload = await _upload(request, graph)
        operation = writes.merge_graph if merge else writes.replace_graph
        created, report = await run_in_threadpool(
            operation,
            store_of(request),
            graph,
            upload,
            admin=caller.is_admin,
            restricted=query_flag(request, "restricted", False),
            reason=query_flag(request, "reason", True),
        )
    except RdfSyntaxError as error:
        return _syntax_error(error)
    except Exception as error:  # mapped to a status by error_response, or re-raised
        return error_response(error)
    return JSONResponse(report.as_dict(), status_code=201 if created else 200)


@router.put("/graph-store", summary="Replace a graph", description=GSP_DOC)
async def put_graph(request: Request, caller: Caller = Depends(require(Role.EDITOR))) -> Response:
    return await _write(request, caller, merge=False)


@router.post("/graph-store", summary="Merge into a graph", description=GSP_DOC)
async def post_graph(request: Request, caller: Caller = Depends(require(Role.EDITOR))) -> Response:
    return await _write(request, caller, merge=True)


@router.delete("/graph-store", summary="Delete a graph", description=GSP_DOC)
async def delete_graph(request: Request, caller: Caller = Depends(require(Role.EDITOR))) -> Response:
    try:
        graph = _graph(request, write=True)
        writes.check_writable(graph, admin=caller.is_admin)
        if graph not in dataset_for_caller(request, caller).graphs:
            raise writes.GraphNotFound(f"no graph {graph.value} (or none you may read)")
        report = await run_in_threadpool(
            writes.delete_graph, store_of(request), graph, admin=caller.is_admin, reason=query_flag(request, "reason", True)
        )
    except Exception as error:  # mapped to a status by error_response, or re-raised
        return error_response(error)
    return JSONResponse(report.as_dict())
