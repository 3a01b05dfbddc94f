"""The SPARQL 1.1 Protocol query endpoint: GET, POST form-encoded, and POST application/sparql-query.

Clients such as SPARQLWrapper, rdflib's SPARQLStore, YASGUI and curl use it without special
cases: results are negotiated by the Accept header, errors are plain text with the parser's
message, and the dataset is the protocol's default-graph-uri / named-graph-uri, else the
text's FROM / FROM NAMED (graph.query.dataset), within what the caller may read. Relative IRIs
resolve against the endpoint URL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urljoin

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.web import negotiation, results, service_description
from api.web.dependencies import CallerDep, DatasetDep, LimitsDep, StoreDep
from api.web.protocol import ProtocolRoute, media_type
from api.web.protocol_schema import QUERY_GET, QUERY_POST
from api.web.routers.sparql_text import checked, endpoint_url, engine_call, single, utf8_body
from api.web.worker_threads import run_store_work
from graph.errors import BadRequestError, UnsupportedMediaError
from graph.query.dataset import query_dataset
from graph.query.sparql import Dataset

router = APIRouter(tags=["SPARQL"], route_class=ProtocolRoute)

QUERY_PARAMETERS_DOC = (
    "SPARQL 1.1 Protocol query operation. Pass the query as `query` (GET or form POST) or as the "
    "body of a POST with Content-Type application/sparql-query. SELECT/ASK results: JSON, XML, CSV, "
    "TSV; CONSTRUCT/DESCRIBE: Turtle, N-Triples, JSON-LD, RDF/XML — chosen by the Accept header. A GET without "
    "`query` returns the SPARQL 1.1 Service Description (Turtle, N-Triples, JSON-LD, RDF/XML by Accept)."
)


async def _read_query(request: Request) -> tuple[str, list[str], list[str]]:
    """The query text and dataset parameters from any of the three protocol forms."""
    params = request.query_params
    default_uris = params.getlist("default-graph-uri")
    named_uris = params.getlist("named-graph-uri")
    if request.method == "GET":
        text = single({"query": params.getlist("query")}, "query")
    else:
        content_type = media_type(request)
        body = await request.body()  # api.web.body_limit bounds it
        if content_type == "application/sparql-query":
            text = utf8_body(request, body)
        elif content_type == "application/x-www-form-urlencoded":
            form = parse_qs(utf8_body(request, body), keep_blank_values=True)
            text = single({"query": form.get("query", []) + params.getlist("query")}, "query")
            default_uris += form.get("default-graph-uri", [])
            named_uris += form.get("named-graph-uri", [])
        else:
            raise UnsupportedMediaError(
                "POST the query as application/sparql-query, or as application/x-www-form-urlencoded "
                f"with a 'query' field; got {content_type or 'no Content-Type'}",
            )
    if not text or not text.strip():
        raise BadRequestError("missing the 'query' parameter")
    return text, default_uris, named_uris


async def _answer(request: Request, store: StoreDep, caller: CallerDep, dataset: DatasetDep, limits: LimitsDep) -> Response:
    # The caller is resolved first, as a dependency: a missing or bad key is a 401 whatever else is wrong.
    text, default_uris, named_uris = await _read_query(request)
    endpoint, accept = endpoint_url(request), request.headers.get("accept")

    def execute() -> tuple[bytes, str]:
        # The checks, the query and the serialization in one trip to the threadpool: each trip
        # costs the event loop a hand-over, and this is the endpoint's hot path.
        based = checked(endpoint, text, caller, limits, parsed_apart=store.parses_apart(limits, network=caller.is_admin))
        chosen_dataset = query_dataset(based, dataset.graphs, default_graph_uris=default_uris, named_graph_uris=named_uris)
        # A timeout, a result cap and a killable worker (graph.store.limits); the dataset lists are
        # never None, so FROM / FROM NAMED / GRAPH cannot reach beyond them.
        result = store.evaluate(
            based, default_graph=chosen_dataset.default, named_graphs=chosen_dataset.named, limits=limits, network=caller.is_admin
        )
        table = negotiation.GRAPH_MEDIA_TYPES if results.is_graph_result(result) else negotiation.SOLUTION_MEDIA_TYPES
        return results.serialize(result, negotiation.acceptable(accept, table))

    # Off the event loop, so one slow query does not stall others.
    body, media = await engine_call(lambda: run_store_work(execute))
    return Response(content=body, media_type=media)


def _service_description(request: Request, dataset: Dataset) -> Response:
    """The endpoint's SPARQL 1.1 Service Description, in the RDF format the Accept header asks for."""
    chosen = negotiation.acceptable(request.headers.get("accept"), negotiation.GRAPH_MEDIA_TYPES)
    endpoint = endpoint_url(request)
    triples = service_description.description(endpoint, urljoin(endpoint, "update"), dataset.graphs)
    body, media = results.graph_bytes(triples, chosen, service_description.DESCRIPTION_PREFIXES)
    return Response(content=body, media_type=media)


# What OpenAPI says the endpoint answers: every result and RDF media type it can negotiate.
RESULT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SELECT/ASK results, or a CONSTRUCT/DESCRIBE graph (or the service description), as the Accept header asks",
        "content": {media: {} for media in dict.fromkeys([*negotiation.SOLUTION_MEDIA_TYPES, *negotiation.GRAPH_MEDIA_TYPES])},
    },
    400: {"description": "A syntax error, a missing or repeated `query`", "content": {"text/plain": {}}},
    406: {"description": "No type in the Accept header can be produced", "content": {"text/plain": {}}},
    415: {"description": "A POST body that is neither application/sparql-query nor form-encoded", "content": {"text/plain": {}}},
}


@router.get(
    "/sparql", summary="SPARQL query (GET)", description=QUERY_PARAMETERS_DOC, response_class=Response, responses=RESULT_RESPONSES,
    openapi_extra=QUERY_GET,
)
async def sparql_get(request: Request, store: StoreDep, caller: CallerDep, dataset: DatasetDep, limits: LimitsDep) -> Response:
    if "query" not in request.query_params:
        return _service_description(request, dataset)
    return await _answer(request, store, caller, dataset, limits)


@router.post(
    "/sparql", summary="SPARQL query (POST)", description=QUERY_PARAMETERS_DOC, response_class=Response, responses=RESULT_RESPONSES,
    openapi_extra=QUERY_POST,
)
async def sparql_post(request: Request, store: StoreDep, caller: CallerDep, dataset: DatasetDep, limits: LimitsDep) -> Response:
    return await _answer(request, store, caller, dataset, limits)
