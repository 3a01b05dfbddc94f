"""The SPARQL 1.1 Protocol update operation at /update, for editors and admins.

POST the update as `application/sparql-update`, or form-encoded as one `update=` (an empty text is
a valid update that changes nothing); relative IRIs resolve against the endpoint URL. What it may do, and
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

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from api.web.dependencies import DatasetDep, Editor, LimitsDep, StoreDep, WarmerDep
from api.web.models.writes import WriteReport
from api.web.protocol import ProtocolRoute, media_type, query_flag
from api.web.protocol_schema import UPDATE
from api.web.routers.sparql_text import checked_text, engine_call, single, utf8_body
from graph.errors import BadRequestError, UnsupportedMediaError
from graph.ingest import update as sparql_update

router = APIRouter(tags=["SPARQL"], route_class=ProtocolRoute)

UPDATE_DOC = (
    "SPARQL 1.1 Protocol update operation (editor role). POST the update as application/sparql-update, or "
    "form-encoded as `update`. An editor's update sees and writes only the graphs it names; changed graphs are "
    "validated and swapped in atomically; new graphs are registered (restricted with `restricted=true`); derived "
    "links are recomputed unless `reason=false`. SERVICE and LOAD: admins only. Graphs are named under "
    "https://w3id.org/actorgraph/graph/; an update that reads a restricted graph may fill restricted graphs only; "
    "meta, keys, audit and vetting-cases are out of reach for every role (see README, Security)."
)


async def _read_update(request: Request) -> str:
    """The update text: the body, or the one `update` field of a form. An empty text is a valid
    update that does nothing; a form without the field is a 400."""
    content_type = media_type(request)
    body = await request.body()  # api.web.body_limit bounds it
    dataset_params = {"using-graph-uri", "using-named-graph-uri"}
    if content_type == "application/sparql-update":
        text: str | None = utf8_body(request, body)
        given = dataset_params & set(request.query_params)
    elif content_type == "application/x-www-form-urlencoded":
        form = parse_qs(utf8_body(request, body), keep_blank_values=True)
        text = single({"update": form.get("update", []) + request.query_params.getlist("update")}, "update")
        given = dataset_params & (set(form) | set(request.query_params))
    else:
        raise UnsupportedMediaError(
            "POST the update as application/sparql-update, or as application/x-www-form-urlencoded with an "
            f"'update' field; got {content_type or 'no Content-Type'}"
        )
    if given:
        raise BadRequestError(f"{', '.join(sorted(given))} is not supported: write USING <iri> / USING NAMED <iri> in the update")
    if text is None:
        raise BadRequestError("missing the 'update' parameter")
    return text


@router.post("/update", response_model=WriteReport, summary="SPARQL update", description=UPDATE_DOC, openapi_extra=UPDATE)
async def update(request: Request, store: StoreDep, caller: Editor, dataset: DatasetDep, limits: LimitsDep, warmer: WarmerDep) -> dict[str, Any]:
    based = await checked_text(request, await _read_update(request), caller, limits, update=True)
    report = await engine_call(
        lambda: run_in_threadpool(
            sparql_update.sandboxed_update,
            store,
            based,
            readable=list(dataset.graphs),
            limits=limits,
            restricted_new=query_flag(request, "restricted", False),
            reason=query_flag(request, "reason", True),
            admin=caller.is_admin,
        )
    )
    warmer.start()
    return report.as_dict()
