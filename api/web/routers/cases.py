"""Vetting cases over HTTP: record a vetter's decision, list cases by status, show one, sign off.

    POST /vetting/cases                       vet the subject now and record the decision on that result
    GET  /vetting/cases                       cases, with ?status= (needs-re-vetting, awaiting-sign-off,
                                              in-force, expired, superseded), ?subject= and ?on=
    GET  /vetting/cases/{case_id}             one case, with its status and what changed since (JSON, or
                                              a printable HTML record)
    POST /vetting/cases/{case_id}/sign-off    the second reviewer's sign-off (another API key)

Every route needs the analyst role. A case is a judgement about a named person or unit, so nobody
anonymous reads one; deciding and signing off are attributed to the caller's API key (an analyst
always has one), which is how the second review is told apart from the first. Errors name the
field: 422 for a wrong value, 404 for an unknown case or subject, 403 for a sign-off by the
deciding key, 409 for a case already signed off, expired or superseded.

This module is included before api/web/routers/vetting.py (routers are included in name order), so
/vetting/cases is not taken for a subject called "cases" by GET /vetting/{id}.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.web import json_body
from api.web.dependencies import dataset_for_caller, store_of
from api.web.limits import limits_of
from api.web.security import Caller, Role, require
from api.web.templating import templates
from graph.index.identifiers import AmbiguousSubject, UnknownSubject, resolve
from graph.vetting import audit
from graph.vetting.cases import records as cases
from graph.vetting.cases.review import STATUSES, CaseView, parse_status, review
from graph.vetting.engine import NotVettable
from graph.vetting.policy import DEFAULT_POLICY, Policy, PolicyError, policy_from_dict

router = APIRouter(tags=["Vetting cases"])
Analyst = Annotated[Caller, Depends(require(Role.ANALYST))]

MAX_BODY = 64 * 1024  # a decision with its justification, not a document store
CREATE_FIELDS = ("subject", "date", "as_known_on", "decision", "conditions", "justification", "expires", "policy")
SIGN_OFF_FIELDS = ("note",)
# Listing runs the engine again for every case still standing: a program-sized time budget.
LIST_BUDGET_FACTOR = 6

CREATE_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {
            "type": "object",
            "required": ["subject", "decision", "justification"],
            "properties": {
                "subject": {"type": "string", "description": "The unit, organization or person: IRI, kind/slug or identifier."},
                "date": {"type": "string", "format": "date", "description": "Vet as of this day (default today)."},
                "as_known_on": {"type": "string", "format": "date", "description": "Use only what was knowable on this day."},
                "decision": {"type": "string", "enum": list(cases.DECISIONS)},
                "conditions": {"type": "string", "description": "Required with approve_with_conditions, refused otherwise."},
                "justification": {"type": "string", "description": "Why, in words (required)."},
                "expires": {"type": "string", "format": "date", "description": "An earlier expiry than the policy's (optional)."},
                "policy": {"type": "object", "description": "Policy settings, as in a policy file (optional)."},
            },
        }}},
    }
}
SIGN_OFF_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "required": False,
        "content": {"application/json": {"schema": {
            "type": "object", "properties": {"note": {"type": "string", "description": "What the second reviewer adds (optional)."}},
        }}},
    }
}


def _unprocessable(message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=message)


async def _body(request: Request, allowed: tuple[str, ...], *, required: bool) -> dict[str, Any]:
    """The JSON object of the request; unknown fields are refused, because a misspelt field
    (`justifcation`) silently dropped would record a decision without what the vetter wrote."""
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise HTTPException(status_code=413, detail=f"body: at most {MAX_BODY:,} bytes ({len(raw):,} sent)")
    if not raw.strip():
        if required:
            raise _unprocessable("body: send a JSON object with the case's fields")
        return {}
    try:
        values = json_body.decode(raw)  # depth-checked first, whatever the Content-Type says
    except json_body.JsonBodyError as error:
        raise HTTPException(status_code=error.status, detail=f"body: {error}") from None
    if not isinstance(values, dict):
        raise _unprocessable(f"body: a JSON object is expected, not {type(values).__name__}")
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise _unprocessable(f"{unknown[0]}: unknown field; the fields are {', '.join(allowed)}")
    return values


def _day(value: object, name: str) -> date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _unprocessable(f"{name}: must be a date, YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _unprocessable(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _policy(value: object) -> Policy:
    if value is None:
        return DEFAULT_POLICY
    if not isinstance(value, dict):
        raise _unprocessable("policy: must be an object of policy settings")
    try:
        return policy_from_dict({**DEFAULT_POLICY.as_dict(), "name": "default with request settings", **value})
    except PolicyError as error:
        raise _unprocessable(f"policy: {error}") from None


def agent_of(caller: Caller) -> audit.Agent:
    """The API key behind a decision or sign-off (an analyst always sends one)."""
    return audit.Agent(caller.key_id or "anonymous", caller.key_name or "anonymous", caller.role.label)


def _on(value: str | None) -> date:
    return _day(value, "on") or date.today()


def _view(request: Request, caller: Caller, case: cases.Case, on: date) -> CaseView:
    """The case's status on `on`; superseded only by a newer case about the same subject."""
    store = store_of(request)
    same_subject = cases.list_cases(store, subject=case.subject)
    return review(store, dataset_for_caller(request, caller), [case], on=on, show_restricted=caller.can_read_restricted,
                  budget=limits_of(request).timeout, superseding=same_subject)[0]


@router.post("/vetting/cases", summary="Record a vetting decision", status_code=201, openapi_extra=CREATE_SCHEMA)
async def create_case(request: Request, caller: Analyst) -> JSONResponse:
    """Vet the subject now (an explicit run, recorded in the audit trail) and record the decision
    on that result, with the caller's API key as the decider. The decision expires after the
    policy's `decision_valid_months` (12 by default) unless `expires` gives an earlier day."""
    values = await _body(request, CREATE_FIELDS, required=True)
    subject = values.get("subject")
    if not isinstance(subject, str) or not subject.strip():
        raise _unprocessable("subject: required: the IRI, kind/slug or identifier of the unit, organization or person")
    day = _day(values.get("date"), "date") or date.today()
    known = _day(values.get("as_known_on"), "as_known_on")
    policy = _policy(values.get("policy"))
    try:  # the decision's own fields are checked before the engine runs
        cases.check_decision(values.get("decision"), values.get("conditions"), values.get("justification"))
    except cases.CaseError as error:
        raise _unprocessable(str(error)) from None
    store = store_of(request)
    budget = limits_of(request).timeout

    def work() -> CaseView:
        dataset = dataset_for_caller(request, caller)
        try:
            iri = resolve(store, dataset, subject).value
        except UnknownSubject as error:
            raise HTTPException(status_code=404, detail=f"subject: {error}") from None
        except AmbiguousSubject as error:
            raise HTTPException(status_code=409, detail=f"subject: {error}") from None
        try:
            case = cases.create(store, dataset, iri, agent=agent_of(caller), decision=values.get("decision"),
                                justification=values.get("justification"), conditions=values.get("conditions"),
                                expires=values.get("expires"), on=day, policy=policy, as_known_on=known,
                                show_restricted=caller.can_read_restricted, budget=budget, context="case")
        except cases.CaseError as error:
            raise _unprocessable(str(error)) from None
        except NotVettable as error:
            raise HTTPException(status_code=422, detail=f"subject: {error}") from None
        except UnknownSubject as error:
            raise HTTPException(status_code=404, detail=f"subject: {error}") from None
        return _view(request, caller, case, date.today())

    view = await run_in_threadpool(work)
    return JSONResponse(view.as_dict(), status_code=201, headers={"Location": f"/vetting/cases/{view.case.id}"})


@router.get("/vetting/cases", summary="Vetting cases, by status")
async def list_cases(
    request: Request,
    caller: Analyst,
    status: Annotated[str | None, Query(description=f"Only cases with this status: {', '.join(STATUSES)}.")] = None,
    subject: Annotated[str | None, Query(description="Only cases about this subject (IRI, kind/slug or identifier).")] = None,
    on: Annotated[str | None, Query(description="Status as of this day, YYYY-MM-DD (default today).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many cases, newest decision first.")] = 100,
) -> JSONResponse:
    """Cases, newest decision first, each with its status; cases still standing are run through
    the engine again, and those whose result new data changed are `needs-re-vetting`, with what
    changed (`changes`). Nothing here is recorded in the audit trail."""
    try:
        wanted = parse_status(status)
    except cases.CaseError as error:
        raise _unprocessable(str(error)) from None
    day = _on(on)
    store = store_of(request)
    budget = limits_of(request).timeout * LIST_BUDGET_FACTOR

    def work() -> dict[str, Any]:
        dataset = dataset_for_caller(request, caller)
        iri = None
        if subject:
            try:
                iri = resolve(store, dataset, subject).value
            except UnknownSubject:
                iri = subject  # cases may outlive the data they were about
            except AmbiguousSubject as error:
                raise HTTPException(status_code=409, detail=f"subject: {error}") from None
        everything = cases.list_cases(store)
        chosen = [c for c in everything if iri is None or c.subject == iri]
        views = review(store, dataset, chosen, on=day, show_restricted=caller.can_read_restricted, budget=budget,
                       superseding=everything)
        counts = {name: sum(1 for v in views if v.status == name) for name in STATUSES}
        listed = [v for v in views if wanted is None or v.status == wanted][:limit]
        return {"on": day.isoformat(), "status": wanted, "subject": iri, "counts": counts, "cases": [v.as_dict() for v in listed]}

    return JSONResponse(await run_in_threadpool(work))


def _case_or_404(request: Request, case_id: str) -> cases.Case:
    try:
        return cases.get(store_of(request), case_id)
    except cases.CaseNotFound as error:
        raise HTTPException(status_code=404, detail=f"case_id: {error}") from None


@router.get("/vetting/cases/{case_id}", summary="One vetting case")
async def show_case(
    request: Request,
    case_id: str,
    caller: Analyst,
    on: Annotated[str | None, Query(description="Status as of this day, YYYY-MM-DD (default today).")] = None,
    fmt: Annotated[str | None, Query(alias="format", description="json or html (default: by Accept).")] = None,
) -> Response:
    """The case: the engine's result it rests on, the decision, who decided and signed off, its
    expiry, its status, and what new data changed since. As JSON, or as a printable HTML record
    (Accept: text/html or ?format=html) to file with the decision."""
    if fmt not in (None, "json", "html"):
        raise HTTPException(status_code=400, detail=f"format: {fmt!r} is not one of json, html")
    day = _on(on)
    view = await run_in_threadpool(lambda: _view(request, caller, _case_or_404(request, case_id), day))
    if fmt == "html" or (fmt is None and "text/html" in request.headers.get("accept", "")):
        return templates.TemplateResponse(request, "vetting_case.html", {"view": view, "case": view.case})
    return JSONResponse(view.as_dict())


@router.post("/vetting/cases/{case_id}/sign-off", summary="Sign off a vetting case", openapi_extra=SIGN_OFF_SCHEMA)
async def sign_off_case(request: Request, case_id: str, caller: Analyst) -> JSONResponse:
    """The second reviewer's sign-off: from another API key than the decision's, once, before the
    decision expires. Optional body: {"note": "..."}."""
    values = await _body(request, SIGN_OFF_FIELDS, required=False)
    store = store_of(request)

    def work() -> CaseView:
        try:
            case = cases.sign_off(store, case_id, agent=agent_of(caller), note=values.get("note"))
        except cases.CaseNotFound as error:
            raise HTTPException(status_code=404, detail=f"case_id: {error}") from None
        except cases.SameReviewer as error:
            raise HTTPException(status_code=403, detail=str(error)) from None
        except cases.CaseConflict as error:
            raise HTTPException(status_code=409, detail=f"sign-off: {error}") from None
        except cases.CaseError as error:
            raise _unprocessable(str(error)) from None
        return _view(request, caller, case, date.today())

    return JSONResponse((await run_in_threadpool(work)).as_dict())
