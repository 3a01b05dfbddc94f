"""Vetting over HTTP: one subject, a program's participants, a screening list, and the audit trail.

    GET  /vetting/{id}                 the finding set (JSON contract; HTML report; CSV of findings)
    POST /vetting/{id}                 the same, as an explicit run recorded in the audit trail
    GET  /programs/{id}/vetting        every participant of a program, with outcome and counts
    POST /programs/{id}/vetting        the same, with a recorded run per participant
    POST /vetting/screen               a CSV of names in, candidates and outcomes out (JSON or CSV); recorded
    GET  /vetting/runs                 the audit trail; ?subject= adds what changed between its last two runs

Every route needs the analyst role. A vetting outcome is a judgement about named people and units,
so anonymous callers cannot vet; analysts also see restricted graphs. Only explicit runs (the POST
routes, a screening, a vetting case, the command line) are recorded against the API key that asked
for them, with exactly which graphs (and which import of each) they read. Viewing (GET) records
nothing, so a page reloaded or opened by a colleague does not fill the audit trail with runs nobody
asked for. The pages (/pages/vetting, the actor and program pages) call these routes with the key
the user entered.

Policy settings can be given per request (?lookback_years=, ?min_confidence=, ?hierarchy_depth=,
?hierarchy_direction=, ?unknown_dates=); the defaults are graph.vetting.policy's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from api.web.dependencies import dataset_for_caller, store_of
from api.web.limits import limits_of
from api.web.security import Caller, Role, require
from api.web.templating import templates
from api.web.worker_threads import run_store_work
from graph.index.identifiers import AmbiguousSubject, UnknownSubject, resolve
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.vetting import audit
from graph.vetting.engine import NotVettable, ProgramVetting, vet, vet_program
from graph.vetting.facts import Facts
from graph.vetting.model import FindingSet
from graph.vetting.policy import DEFAULT_POLICY, Policy, PolicyError, policy_from_dict
from graph.vetting.report import RULE_TITLES, findings_csv
from graph.vetting.screening.matching import set_aside
from graph.vetting.screening.name_index import name_index
from graph.vetting.screening.rows import ScreeningError, ScreenRow, parse_csv, to_csv
from graph.vetting.screening.screen import iter_vetted, screen

router = APIRouter(tags=["Vetting"])
Analyst = Annotated[Caller, Depends(require(Role.ANALYST))]

# A program or a screening list vets many subjects in one request: a larger time budget.
MANY_SUBJECTS_BUDGET_FACTOR = 6


# -- parameters ----------------------------------------------------------------------------


def _day(value: str | None, name: str = "date") -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(status_code=400, detail=f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


KnownOn = Annotated[str | None, Query(description="Use only statements whose sources were published, or imported, by this day (YYYY-MM-DD).")]


def policy_params(
    lookback_years: Annotated[int | None, Query(description="Years back that count (default 10).")] = None,
    min_confidence: Annotated[str | None, Query(description="low, medium or high (default medium).")] = None,
    hierarchy_depth: Annotated[int | None, Query(description="Chain-of-command levels walked (default 3).")] = None,
    hierarchy_direction: Annotated[str | None, Query(description="down, up or both (default down).")] = None,
    unknown_dates: Annotated[str | None, Query(description="review or assume (default review).")] = None,
) -> Policy:
    """The default policy with the settings given in the query string."""
    given = {
        key: value
        for key, value in {
            "lookback_years": lookback_years,
            "min_confidence": min_confidence,
            "hierarchy_depth": hierarchy_depth,
            "hierarchy_direction": hierarchy_direction,
            "unknown_dates": unknown_dates,
        }.items()
        if value is not None
    }
    if not given:
        return DEFAULT_POLICY
    try:
        return policy_from_dict({**DEFAULT_POLICY.as_dict(), **given, "name": "default with request settings"})
    except PolicyError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None


PolicyParam = Annotated[Policy, Depends(policy_params)]


class VetOptions:
    """The query parameters every vetting route shares: the day, the answer's format, the knowledge date."""

    def __init__(
        self,
        date_: Annotated[str | None, Query(alias="date", description="Vet as of this day (default today).")] = None,
        fmt: Annotated[str | None, Query(alias="format", description="json, html or csv (default: by Accept).")] = None,
        as_known_on: KnownOn = None,
    ) -> None:
        self.date, self.format, self.as_known_on = date_, fmt, as_known_on


Options = Annotated[VetOptions, Depends()]


def _format(request: Request, fmt: str | None, allowed: tuple[str, ...]) -> str:
    """?format= wins; otherwise the Accept header (text/html, text/csv), otherwise JSON."""
    if fmt:
        if fmt not in allowed:
            raise HTTPException(status_code=400, detail=f"format: {fmt!r} is not one of {', '.join(allowed)}")
        return fmt
    accept = request.headers.get("accept", "")
    if "html" in allowed and "text/html" in accept:
        return "html"
    if "csv" in allowed and "text/csv" in accept:
        return "csv"
    return "json"


def _agent(caller: Caller) -> audit.Agent:
    return audit.Agent(caller.key_id or "anonymous", caller.key_name or "anonymous", caller.role.label)


def _resolve(store: GraphStore, dataset: Dataset, name: str) -> str:
    try:
        return resolve(store, dataset, name).value
    except UnknownSubject as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    except AmbiguousSubject as error:
        raise HTTPException(status_code=409, detail=str(error)) from None


def _report_url(subject: str, day: str) -> str:
    return f"/vetting/{quote(subject, safe='/:')}?date={day}&format=html"


def _http_url(url: str | None) -> bool:
    """Only http(s) source URLs become links; anything else (javascript:, data:) stays text."""
    return bool(url) and url.lower().startswith(("http://", "https://"))  # type: ignore[union-attr]


def _report_context(result: FindingSet, run: audit.RunRecord | None) -> dict[str, Any]:
    return {
        "result": result,
        "run": run,
        "rule_titles": RULE_TITLES,
        "http_url": _http_url,
        "report_url": _report_url,
    }


# -- the audit trail -----------------------------------------------------------------------


def _recorded_subject(subject: str) -> str:
    """A subject no visible graph names may still have runs on record, if it is an absolute IRI;
    anything else cannot be one, and is refused naming the parameter."""
    try:
        return ox.NamedNode(subject.strip()).value
    except ValueError as error:
        raise HTTPException(
            status_code=422,
            detail=f"parameter 'subject': {subject!r} names no subject in the graphs you may see, and is not an absolute IRI ({error})",
        ) from None


@router.get("/vetting/runs", summary="Vetting runs (audit trail)")
async def vetting_runs(
    request: Request,
    caller: Analyst,
    subject: Annotated[str | None, Query(description="Only runs about this subject (IRI, kind/slug or identifier).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> JSONResponse:
    """Recorded runs, newest first: who, when, subject, date, policy, data version, outcome and a
    summary of findings. With `subject`, also `diff`: what changed between its last two runs."""
    store = store_of(request)

    def work() -> dict[str, Any]:
        iri = None
        if subject:
            dataset = dataset_for_caller(request, caller)
            try:
                iri = resolve(store, dataset, subject).value
            except UnknownSubject:
                iri = _recorded_subject(subject)  # runs may outlive the data they were about
            except AmbiguousSubject as error:
                raise HTTPException(status_code=409, detail=str(error)) from None
        runs = audit.list_runs(store, iri, limit=limit)
        return {"subject": iri, "runs": [r.as_dict() for r in runs], "diff": audit.latest_diff(runs) if iri else None}

    return JSONResponse(await run_store_work(work))


# -- screening -----------------------------------------------------------------------------


@router.post("/vetting/screen", summary="Screen a CSV list of names")
async def vetting_screen(
    request: Request,
    caller: Analyst,
    policy: PolicyParam,
    date_: Annotated[str | None, Query(alias="date", description="Vet as of this day (default today).")] = None,
    fmt: Annotated[str | None, Query(alias="format", description="json or csv (default: by Accept).")] = None,
) -> Response:
    """Upload a CSV (multipart field `file`, or the body as text/csv) with columns name, type,
    country and optionally date_of_birth or unit_id. Each row gets candidates with scores and the
    reason for each score, and the vetting outcome of its best match when the match is confident.
    A malformed list (unclosed quote, NUL byte, missing column, bad field) is a 422 naming the row;
    a body over ACTORGRAPH_MAX_UPLOAD_BYTES is a 413 before the rest is read (api.web.body_limit)."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise HTTPException(status_code=400, detail="file: upload the CSV as the multipart field 'file'")
        data = await upload.read()
        form_date = form.get("date")
        if not date_ and isinstance(form_date, str) and form_date.strip():
            date_ = form_date.strip()  # the pages' form may send the date as a field
    else:
        data = await request.body()
    day = _day(date_)
    chosen = _format(request, fmt, ("json", "csv"))
    try:
        rows = parse_csv(data)
    except ScreeningError as error:  # the list is unusable as sent: 422 naming the row
        raise HTTPException(status_code=422, detail=str(error)) from None
    store = store_of(request)
    budget = limits_of(request).timeout * MANY_SUBJECTS_BUDGET_FACTOR

    def work() -> list[ScreenRow]:
        dataset = dataset_for_caller(request, caller)
        version = audit.data_version(store, dataset)
        started = datetime.now(UTC)
        results = screen(
            store, dataset, rows, version_digest=version.digest, on=day, policy=policy,
            show_restricted=caller.can_read_restricted, budget=budget,
        )
        quads = []
        for result in iter_vetted(results):
            quads += audit.prepare(result, agent=_agent(caller), version=version, started=started, context="screening")[1]
        if quads:
            audit.write(store, quads)
        return results

    results = await run_store_work(work)
    if chosen == "csv":
        return PlainTextResponse(
            to_csv(results),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="screening.csv"'},
        )
    counts: dict[str, int] = {"rows": len(results), "match": 0, "ambiguous": 0, "none": 0, "flag": 0, "review": 0, "clear": 0}
    for result in results:
        counts[result.status] += 1
        if result.vetting is not None:
            counts[result.vetting.outcome] += 1
    return JSONResponse({"date": day.isoformat(), "policy": policy.as_dict(), "counts": counts, "rows": [r.as_dict() for r in results]})


# -- one subject ---------------------------------------------------------------------------


async def _vet_one(request: Request, id: str, caller: Caller, policy: Policy, options: VetOptions, *, record: bool) -> Response:
    day = _day(options.date)
    known = _day(options.as_known_on, "as_known_on") if options.as_known_on else None
    chosen = _format(request, options.format, ("json", "html", "csv"))
    store = store_of(request)
    budget = limits_of(request).timeout

    def work() -> tuple[FindingSet, audit.RunRecord | None]:
        dataset = dataset_for_caller(request, caller)
        iri = _resolve(store, dataset, id)
        started = datetime.now(UTC)
        facts = Facts(store, dataset, show_restricted=caller.can_read_restricted, budget=budget, as_known_on=known)
        try:
            result = vet(store, dataset, iri, on=day, policy=policy, facts=facts)
        except NotVettable as error:
            raise HTTPException(status_code=422, detail=str(error)) from None
        except UnknownSubject as error:
            raise HTTPException(status_code=404, detail=str(error)) from None
        version = audit.data_version(store, dataset)
        result.set_aside = set_aside(name_index(store, dataset, version.digest), iri)
        run = audit.record(store, result, agent=_agent(caller), version=version, started=started, context="api") if record else None
        return result, run

    result, run = await run_store_work(work)
    if chosen == "html":
        return templates.TemplateResponse(request, "vetting_report.html", _report_context(result, run))
    if chosen == "csv":
        return PlainTextResponse(
            findings_csv([result]),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="vetting.csv"'},
        )
    return JSONResponse({**result.as_dict(), "run": run.iri if run else None})


@router.get("/vetting/{id:path}", summary="Vet one subject (not recorded)")
async def vetting_subject(
    request: Request,
    id: str,
    caller: Analyst,
    policy: PolicyParam,
    options: Options,
) -> Response:
    """The finding set of a unit, organization or person as of `date`: JSON (the contract in the
    README), a printable HTML report (Accept: text/html or ?format=html), or CSV. Viewing is not a
    vetting run: nothing is recorded (`run` is null); POST the same URL to record the run."""
    return await _vet_one(request, id, caller, policy, options, record=False)


@router.post("/vetting/{id:path}", summary="Run and record a vetting of one subject")
async def vetting_subject_run(
    request: Request,
    id: str,
    caller: Analyst,
    policy: PolicyParam,
    options: Options,
) -> Response:
    """An explicit vetting run: the same answer as GET, and the run is recorded in the audit trail
    against the caller's API key (`run` is its IRI)."""
    return await _vet_one(request, id, caller, policy, options, record=True)


# -- a program -----------------------------------------------------------------------------


async def _vet_program(request: Request, id: str, caller: Caller, policy: Policy, options: VetOptions, *, record: bool) -> Response:
    day = _day(options.date)
    known = _day(options.as_known_on, "as_known_on") if options.as_known_on else None
    chosen = _format(request, options.format, ("json", "html", "csv"))
    store = store_of(request)
    budget = limits_of(request).timeout * MANY_SUBJECTS_BUDGET_FACTOR

    def work() -> ProgramVetting:
        dataset = dataset_for_caller(request, caller)
        iri = _resolve(store, dataset, id)
        started = datetime.now(UTC)
        try:
            program = vet_program(store, dataset, iri, on=day, policy=policy, show_restricted=caller.can_read_restricted, budget=budget,
                                  as_known_on=known)
        except UnknownSubject as error:
            raise HTTPException(status_code=404, detail=str(error)) from None
        if record:
            version = audit.data_version(store, dataset)
            quads = []
            for participant in program.participants:
                quads += audit.prepare(participant.result, agent=_agent(caller), version=version, started=started, context=f"program {iri}")[1]
            if quads:
                audit.write(store, quads)
        return program

    program = await run_store_work(work)
    if chosen == "html":
        return templates.TemplateResponse(
            request,
            "vetting_program.html",
            {"program": program, "rule_titles": RULE_TITLES, "report_url": _report_url, "http_url": _http_url},
        )
    if chosen == "csv":
        return PlainTextResponse(
            findings_csv(p.result for p in program.participants),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="program-vetting.csv"'},
        )
    return JSONResponse({**program.as_dict(), "recorded": record})


@router.get("/programs/{id:path}/vetting", summary="Vet every participant of a program (not recorded)")
async def vetting_program(
    request: Request,
    id: str,
    caller: Analyst,
    policy: PolicyParam,
    options: Options,
) -> Response:
    """Every implementer, funder, partner and target of the program, vetted: a table with each
    participant's outcome and finding counts, and each finding reachable (JSON: `participants[].vetting`;
    HTML: a table linking to each participant's report). Viewing records nothing; POST the same
    URL to record a run per participant."""
    return await _vet_program(request, id, caller, policy, options, record=False)


@router.post("/programs/{id:path}/vetting", summary="Run and record a vetting of every participant of a program")
async def vetting_program_run(
    request: Request,
    id: str,
    caller: Analyst,
    policy: PolicyParam,
    options: Options,
) -> Response:
    """An explicit vetting run of a program: the same answer as GET, and each participant's run is
    recorded in the audit trail against the caller's API key."""
    return await _vet_program(request, id, caller, policy, options, record=True)


__all__ = ["router"]
