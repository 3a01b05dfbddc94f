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
field: 422 for a wrong value (an ambiguous subject too), 404 for an unknown case or subject, 403
for a sign-off by the deciding key, 409 for a case already signed off, expired or superseded.
GET /vetting/{id} never takes /vetting/cases for a subject (api.web.convertors).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.dates import day_or_today, parse_day
from api.web import json_body, negotiation
from api.web.dependencies import Analyst, LimitsDep, SettingsDep, StoreDep, dataset_for_caller
from api.web.models.cases import Case, CaseList
from api.web.openapi_schema import also
from api.web.security import Caller
from api.web.templating import templates
from api.web.vetting_options import DAY, agent_of, policy_with
from graph.errors import BadRequestError, ConflictError, InvalidValueError, NotFoundError, TooLargeError
from graph.index.identifiers import AmbiguousSubject, UnknownSubject, resolve
from graph.store import GraphStore
from graph.vetting.cases import records as cases
from graph.vetting.cases.review import STATUSES, CaseView, parse_status, review
from graph.vetting.engine import NotVettable
from graph.vetting.policy import DEFAULT_POLICY, Policy, PolicyError

router = APIRouter(tags=["Vetting cases"])

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


async def _body(request: Request, allowed: tuple[str, ...], *, required: bool, max_depth: int) -> dict[str, Any]:
    """The JSON object of the request; unknown fields are refused, because a misspelt field
    (`justifcation`) silently dropped would record a decision without what the vetter wrote."""
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise TooLargeError(f"body: at most {MAX_BODY:,} bytes ({len(raw):,} sent)")
    if not raw.strip():
        if required:
            raise InvalidValueError("body: send a JSON object with the case's fields")
        return {}
    try:
        values = json_body.decode(raw, max_depth)  # depth-checked first, whatever the Content-Type says
    except json_body.JsonBodyError as error:
        raise json_body.JsonBodyError(f"body: {error}") from None
    if not isinstance(values, dict):
        raise InvalidValueError(f"body: a JSON object is expected, not {type(values).__name__}")
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise InvalidValueError(f"{unknown[0]}: unknown field; the fields are {', '.join(allowed)}")
    return values


def _policy(value: object) -> Policy:
    if value is None:
        return DEFAULT_POLICY
    if not isinstance(value, dict):
        raise InvalidValueError("policy: must be an object of policy settings")
    try:
        return policy_with(value)
    except PolicyError as error:
        raise PolicyError(f"policy: {error}") from None


def _subject(store: GraphStore, caller: Caller, name: str) -> str:
    """The IRI of the case's subject; errors name the field."""
    try:
        return resolve(store, dataset_for_caller(store, caller), name).value
    except UnknownSubject as error:
        raise NotFoundError(f"subject: {error}") from None
    except AmbiguousSubject as error:
        raise InvalidValueError(f"subject: {error}") from None


def _view(store: GraphStore, caller: Caller, case: cases.Case, on: date, budget: float) -> CaseView:
    """The case's status on `on`; superseded only by a newer case about the same subject."""
    same_subject = cases.list_cases(store, subject=case.subject)
    return review(store, dataset_for_caller(store, caller), [case], on=on, show_restricted=caller.can_read_restricted,
                  budget=budget, superseding=same_subject)[0]


@router.post("/vetting/cases", response_model=Case, summary="Record a vetting decision", status_code=201, openapi_extra=CREATE_SCHEMA)
async def create_case(
    request: Request, response: Response, store: StoreDep, settings: SettingsDep, limits: LimitsDep, caller: Analyst
) -> dict[str, Any]:
    """Vet the subject now (an explicit run, recorded in the audit trail) and record the decision
    on that result, with the caller's API key as the decider. The decision expires after the
    policy's `decision_valid_months` (12 by default) unless `expires` gives an earlier day."""
    values = await _body(request, CREATE_FIELDS, required=True, max_depth=settings.max_json_depth)
    subject = values.get("subject")
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidValueError("subject: required: the IRI, kind/slug or identifier of the unit, organization or person")
    day = day_or_today(values.get("date"), "date")
    known = parse_day(values.get("as_known_on"), "as_known_on")
    policy = _policy(values.get("policy"))
    # The decision's own fields are checked before the engine runs (CaseError, a 422).
    cases.check_decision(values.get("decision"), values.get("conditions"), values.get("justification"))
    budget = limits.timeout

    def work() -> CaseView:
        iri = _subject(store, caller, subject)
        try:
            case = cases.create(store, dataset_for_caller(store, caller), iri, agent=agent_of(caller), decision=values.get("decision"),
                                justification=values.get("justification"), conditions=values.get("conditions"),
                                expires=values.get("expires"), on=day, policy=policy, as_known_on=known,
                                show_restricted=caller.can_read_restricted, budget=budget, context="case")
        except NotVettable as error:
            raise NotVettable(f"subject: {error}") from None
        except UnknownSubject as error:
            raise NotFoundError(f"subject: {error}") from None
        return _view(store, caller, case, date.today(), budget)

    view = await run_in_threadpool(work)
    response.headers["Location"] = f"/vetting/cases/{view.case.id}"
    return view.as_dict()


@router.get("/vetting/cases", response_model=CaseList, summary="Vetting cases, by status")
async def list_cases(
    store: StoreDep,
    limits: LimitsDep,
    caller: Analyst,
    status: Annotated[str | None, Query(description=f"Only cases with this status: {', '.join(STATUSES)}.")] = None,
    subject: Annotated[str | None, Query(description="Only cases about this subject (IRI, kind/slug or identifier).")] = None,
    on: Annotated[str | None, Query(description="Status as of this day, YYYY-MM-DD (default today).", json_schema_extra=DAY)] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many cases, newest decision first.")] = 100,
) -> dict[str, Any]:
    """Cases, newest decision first, each with its status; cases still standing are run through
    the engine again, and those whose result new data changed are `needs-re-vetting`, with what
    changed (`changes`). Nothing here is recorded in the audit trail."""
    wanted = parse_status(status)
    day = day_or_today(on, "on")
    budget = limits.timeout * LIST_BUDGET_FACTOR

    def work() -> dict[str, Any]:
        dataset = dataset_for_caller(store, caller)
        iri = None
        if subject:
            try:
                iri = _subject(store, caller, subject)
            except NotFoundError:
                iri = subject  # cases may outlive the data they were about
        everything = cases.list_cases(store)
        chosen = [c for c in everything if iri is None or c.subject == iri]
        views = review(store, dataset, chosen, on=day, show_restricted=caller.can_read_restricted, budget=budget,
                       superseding=everything)
        counts = {name: sum(1 for v in views if v.status == name) for name in STATUSES}
        listed = [v for v in views if wanted is None or v.status == wanted][:limit]
        return {"on": day.isoformat(), "status": wanted, "subject": iri, "counts": counts, "cases": [v.as_dict() for v in listed]}

    return await run_in_threadpool(work)


def _case(store: GraphStore, case_id: str) -> cases.Case:
    try:
        return cases.get(store, case_id)
    except cases.CaseNotFound as error:
        raise cases.CaseNotFound(f"case_id: {error}") from None


@router.get(
    "/vetting/cases/{case_id}", response_model=Case, summary="One vetting case",
    responses=also("The printable record of the case (?format=html or Accept: text/html)", ["text/html"]),
)
async def show_case(
    request: Request,
    store: StoreDep,
    limits: LimitsDep,
    case_id: str,
    caller: Analyst,
    on: Annotated[str | None, Query(description="Status as of this day, YYYY-MM-DD (default today).", json_schema_extra=DAY)] = None,
    fmt: Annotated[str | None, Query(alias="format", description="json or html (default: by Accept).", json_schema_extra={"enum": ["json", "html"]})] = None,
) -> Response | dict[str, Any]:
    """The case: the engine's result it rests on, the decision, who decided and signed off, its
    expiry, its status, and what new data changed since. As JSON, or as a printable HTML record
    (Accept: text/html or ?format=html) to file with the decision."""
    if fmt not in (None, "json", "html"):
        raise BadRequestError(f"format: {fmt!r} is not one of json, html")
    day = day_or_today(on, "on")
    view = await run_in_threadpool(lambda: _view(store, caller, _case(store, case_id), day, limits.timeout))
    if fmt == "html" or (fmt is None and negotiation.choose(request.headers.get("accept"), negotiation.PAGE_MEDIA_TYPES) == "html"):
        return templates.TemplateResponse(request, "vetting_case.html", {"view": view, "case": view.case})
    return view.as_dict()


@router.post("/vetting/cases/{case_id}/sign-off", response_model=Case, summary="Sign off a vetting case", openapi_extra=SIGN_OFF_SCHEMA)
async def sign_off_case(
    request: Request, store: StoreDep, settings: SettingsDep, limits: LimitsDep, case_id: str, caller: Analyst
) -> dict[str, Any]:
    """The second reviewer's sign-off: from another API key than the decision's, once, before the
    decision expires. Optional body: {"note": "..."}."""
    values = await _body(request, SIGN_OFF_FIELDS, required=False, max_depth=settings.max_json_depth)

    def work() -> CaseView:
        try:
            case = cases.sign_off(store, case_id, agent=agent_of(caller), note=values.get("note"))
        except cases.CaseNotFound as error:
            raise cases.CaseNotFound(f"case_id: {error}") from None
        except cases.SameReviewer:
            raise
        except cases.CaseConflict as error:
            raise ConflictError(f"sign-off: {error}") from None
        return _view(store, caller, case, date.today(), limits.timeout)

    return (await run_in_threadpool(work)).as_dict()
