"""The SPARQL 1.1 Protocol query endpoint: GET, POST form-encoded, and POST application/sparql-query.

Clients such as SPARQLWrapper, rdflib's SPARQLStore, YASGUI and curl use it without special
cases: results are negotiated by the Accept header, errors are plain text with the parser's
message, and the protocol's default-graph-uri / named-graph-uri parameters narrow the dataset.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from api.web import negotiation, results
from api.web.auth import outbound_refusal
from api.web.dependencies import dataset_for_caller, store_of
from api.web.limits import limits_of, status_for
from api.web.security import current_caller
from api.web.text_checks import TextRefused, check_request_text
from api.web.worker_threads import run_store_work
from graph.query.sparql import Dataset, SparqlSyntaxError
from graph.store import rdf
from graph.store.limits import QueryFailed, QueryLimitExceeded

router = APIRouter(tags=["SPARQL"])

QUERY_PARAMETERS_DOC = (
    "SPARQL 1.1 Protocol query operation. Pass the query as `query` (GET or form POST) or as the "
    "body of a POST with Content-Type application/sparql-query. SELECT/ASK results: JSON, XML, CSV, "
    "TSV; CONSTRUCT/DESCRIBE: Turtle, N-Triples, JSON-LD, RDF/XML — chosen by the Accept header."
)


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _narrow(dataset: Dataset, default_uris: list[str], named_uris: list[str]) -> tuple[list[rdf.NamedNode], list[rdf.NamedNode]]:
    """Apply the protocol's dataset parameters, but never beyond what the caller may see."""
    visible = {graph.value: graph for graph in dataset.graphs}
    default = [visible[uri] for uri in default_uris if uri in visible] if default_uris else list(dataset.graphs)
    named = [visible[uri] for uri in named_uris if uri in visible] if named_uris else list(dataset.graphs)
    return default, named



async def _read_query(request: Request) -> tuple[str, list[str], list[str]]:
    """The query text and dataset parameters from any of the three protocol forms."""
    params = request.query_params
    default_uris = params.getlist("default-graph-uri")
    named_uris = params.getlist("named-graph-uri")
    if request.method == "GET":
        text = params.get("query")
    else:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()  # api.web.body_limit bounds it
        if content_type == "application/sparql-query":
            text = body.decode("utf-8", errors="replace")
        elif content_type == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            text = (form.get("query") or [""])[0]
            default_uris += form.get("default-graph-uri", [])
            named_uris += form.get("named-graph-uri", [])
        else:
            raise ProtocolError(
                415,
                "POST the query as application/sparql-query, or as application/x-www-form-urlencoded "
                f"with a 'query' field; got {content_type or 'no Content-Type'}",
            )
    if not text or not text.strip():
        raise ProtocolError(400, "missing the 'query' parameter")
    return text, default_uris, named_uris


async def _answer(request: Request) -> Response:
    caller = current_caller(request)  # first: a missing or bad key is a 401 whatever else is wrong
    try:
        text, default_uris, named_uris = await _read_query(request)
    except ProtocolError as error:
        return PlainTextResponse(error.message, status_code=error.status)
    refusal = await run_in_threadpool(outbound_refusal, text, caller)  # measures nesting first
    if refusal:
        return PlainTextResponse(refusal[1], status_code=refusal[0])
    limits = limits_of(request)
    try:
        await check_request_text(text, limits=limits)  # before Oxigraph parses it in this process
    except TextRefused as refused:
        return PlainTextResponse(refused.message, status_code=refused.status)
    store = store_of(request)
    dataset = await run_in_threadpool(dataset_for_caller, request, caller)
    default, named = _narrow(dataset, default_uris, named_uris)

    def execute() -> tuple[bytes, str] | ProtocolError:
        try:
            # A timeout, a result cap and a killable worker (graph.store.limits); the dataset lists are
            # never None, so FROM / FROM NAMED / GRAPH cannot reach beyond them.
            result = store.evaluate(text, default_graph=default, named_graphs=named, limits=limits, network=caller.is_admin)
        except SyntaxError as error:
            return ProtocolError(400, f"SPARQL syntax error: {error.args[0] if error.args else error}")
        except (QueryLimitExceeded, QueryFailed) as error:
            return ProtocolError(status_for(error)[0], str(error))
        table = negotiation.GRAPH_MEDIA_TYPES if results.is_graph_result(result) else negotiation.SOLUTION_MEDIA_TYPES
        chosen = negotiation.choose(request.headers.get("accept"), table)
        if chosen is None:
            offered = ", ".join(sorted(set(table)))
            return ProtocolError(406, f"cannot produce any type in the Accept header; offered: {offered}")
        return results.serialize(result, chosen)

    # Query and serialization both run off the event loop, so one slow query does not stall others.
    outcome = await run_store_work(execute)
    if isinstance(outcome, ProtocolError):
        return PlainTextResponse(outcome.message, status_code=outcome.status)
    body, media_type = outcome
    return Response(content=body, media_type=media_type)


@router.get("/sparql", summary="SPARQL query (GET)", description=QUERY_PARAMETERS_DOC)
async def sparql_get(request: Request) -> Response:
    return await _answer(request)


@router.post("/sparql", summary="SPARQL query (POST)", description=QUERY_PARAMETERS_DOC)
async def sparql_post(request: Request) -> Response:
    return await _answer(request)


__all__ = ["SparqlSyntaxError", "router"]
