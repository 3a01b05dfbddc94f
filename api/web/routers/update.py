"""The SPARQL 1.1 Protocol update operation at /update, for editors and admins.

POST the update as `application/sparql-update`, or form-encoded as `update=`. What it may do, and
which graphs are visible afterwards (graph.ingest.writes explains how this is enforced):

- An update sees only the graphs its text names (GRAPH <iri>, WITH, USING, USING NAMED, or any
  IRI in the text equal to a graph name) among those the caller may read; `GRAPH ?g` ranges over
  those, and CLEAR/DROP ALL or NAMED over the data graphs. Its default graph is empty, and
  writing to it is refused: name a graph. The ontology and derived graphs change only by an
  admin; meta, keys, audit and vetting-cases never through /update, whatever the role.
- Graph names: https://w3id.org/actorgraph/graph/NAME only (graph.guards.write_policy); an update that
  can read a restricted graph may change restricted graphs only, and no update may copy a
  restricted graph's triples into a public graph (403).
- Every graph it changes is validated against the SHACL shapes (an admin's is not) and swapped in
  atomically with a PROV import record (importer `sparql-update`). A graph it creates is
  registered, so it is visible at once (public, or restricted with `?restricted=true`); a graph
  it drops is unregistered; a graph it clears stays, empty. Then the derived links are
  recomputed (`?reason=false` skips that).
- SERVICE and LOAD are refused for everyone but admins (outbound connections), by a parse of the
  text and by a worker with no network (graph.guards.outbound, graph.store.embedded.netguard).

The protocol's `using-graph-uri` / `using-named-graph-uri` parameters are refused: honouring them
would mean rewriting the update text. Write USING <iri> / USING NAMED <iri> in the update instead.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from api.web.auth import outbound_refusal
from api.web.dependencies import dataset_for_caller, store_of
from api.web.limits import limits_of, status_for
from api.web.security import Caller, Role, require
from api.web.text_checks import TextRefused, check_request_text
from graph.guards.nesting import NestingTooDeep
from graph.ingest import update as sparql_update
from graph.ingest import writes
from graph.ingest.loader import LoadError, ShapeViolations
from graph.store.limits import QueryFailed, QueryLimitExceeded

router = APIRouter(tags=["SPARQL"])

UPDATE_DOC = (
    "SPARQL 1.1 Protocol update operation (editor role). POST the update as application/sparql-update, or "
    "form-encoded as `update`. An editor's update sees and writes only the graphs it names; changed graphs are "
    "validated and swapped in atomically; new graphs are registered (restricted with `restricted=true`); derived "
    "links are recomputed unless `reason=false`. SERVICE and LOAD: admins only. Graphs are named under "
    "https://w3id.org/actorgraph/graph/; an update that reads a restricted graph may fill restricted graphs only; "
    "meta, keys, audit and vetting-cases are out of reach for every role (see README, Security)."
)


class UpdateError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def query_flag(request: Request, name: str, default: bool) -> bool:
    """A true/false query parameter (also used by the Graph Store Protocol router)."""
    value = request.query_params.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"true", "1", "yes", "on"}



async def _read_update(request: Request) -> str:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()  # api.web.body_limit bounds it
    dataset_params = {"using-graph-uri", "using-named-graph-uri"}
    if content_type == "application/sparql-update":
        text = body.decode("utf-8", errors="replace")
        given = dataset_params & set(request.query_params)
    elif content_type == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        text = (form.get("update") or [""])[0]
        given = dataset_params & (set(form) | set(request.query_params))
    else:
        raise UpdateError(
            415,
            "POST the update as application/sparql-update, or as application/x-www-form-urlencoded with an "
            f"'update' field; got {content_type or 'no Content-Type'}",
        )
    if given:
        raise UpdateError(400, f"{', '.join(sorted(given))} is not supported: write USING <iri> / USING NAMED <iri> in the update")
    if not text.strip():
        raise UpdateError(400, "missing the 'update' parameter")
    return text


def _run(request: Request, caller: Caller, text: str) -> writes.WriteReport:
    store = store_of(request)
    restricted = query_flag(request, "restricted", False)
    reason = query_flag(request, "reason", True)
    readable = list(dataset_for_caller(request, caller).graphs)
    return sparql_update.sandboxed_update(
        store, text, readable=readable, limits=limits_of(request), restricted_new=restricted, reason=reason, admin=caller.is_admin
    )


def error_response(error: Exception) -> Response:
    """The HTTP answer for what a write raised (shared with the Graph Store Protocol router)."""
    if isinstance(error, (UpdateError, TextRefused)):
        return PlainTextResponse(error.message, status_code=error.status)
    if isinstance(error, NestingTooDeep):
        return PlainTextResponse(f"SPARQL syntax error: {error}", status_code=400)
    if isinstance(error, SyntaxError):
        return PlainTextResponse(f"SPARQL syntax error: {error.args[0] if error.args else error}", status_code=400)
    if isinstance(error, writes.WriteRefused):
        return PlainTextResponse(str(error), status_code=403)
    if isinstance(error, writes.GraphNotFound):
        return PlainTextResponse(str(error), status_code=404)
    if isinstance(error, ShapeViolations):
        return JSONResponse(
            {"detail": str(error).splitlines()[0], "violations": [str(v) for v in error.violations]}, status_code=422
        )
    if isinstance(error, (writes.BadWrite, LoadError)):
        return PlainTextResponse(str(error), status_code=400)
    if isinstance(error, (QueryLimitExceeded, QueryFailed)):
        return PlainTextResponse(str(error), status_code=status_for(error)[0])
    raise error


@router.post("/update", summary="SPARQL update", description=UPDATE_DOC)
async def update(request: Request, caller: Caller = Depends(require(Role.EDITOR))) -> Response:
    try:
        text = await _read_update(request)
        refusal = await run_in_threadpool(lambda: outbound_refusal(text, caller, update=True))
        if refusal:
            return PlainTextResponse(refusal[1], status_code=refusal[0])
        await check_request_text(text, limits=limits_of(request), update=True)  # an admin's runs in this process
        report = await run_in_threadpool(_run, request, caller, text)
    except Exception as error:  # mapped to a status by error_response, or re-raised
        return error_response(error)
    return JSONResponse(report.as_dict())
