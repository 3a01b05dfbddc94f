"""Vetting over HTTP: one subject, a screening list, and the audit trail.

    GET  /vetting/{id}                 the finding set (JSON contract; HTML report; CSV of findings)
    POST /vetting/{id}                 the same, as an explicit run recorded in the audit trail
    POST /vetting/screen               a CSV of names in, candidates and outcomes out (JSON or CSV); recorded
    GET  /vetting/runs                 the audit trail; ?subject= adds what changed between its last two runs

A program's participants are vetted at /programs/{id}/vetting (api.web.routers.programs), and
decisions recorded at /vetting/cases (api.web.routers.cases).

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

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from api.dates import day_or_today
from api.web.convertors import SUBJECT_ID, SubjectId
from api.web.dependencies import Analyst, LimitsDep, StoreDep, dataset_for_caller
from api.web.documents import PrintHeader, pdf_download
from api.web.models.audit import Runs, Screening
from api.web.models.vetting import Vetting
from api.web.openapi_schema import REPORT_FORMATS, also
from api.web.templating import templates
from api.web.vetting_options import DAY, MANY_SUBJECTS_BUDGET_FACTOR, Options, PolicyParam, agent_of, answer_format
from api.web.vetting_reports import findings_download, report_context
from api.web.worker_threads import run_store_work
from graph.errors import BadRequestError, InvalidValueError
from graph.index.identifiers import UnknownSubject, resolve
from graph.store import rdf
from graph.vetting import audit
from graph.vetting.engine import vet
from graph.vetting.facts import Facts
from graph.vetting.model import FindingSet
from graph.vetting.screening.matching import set_aside
from graph.vetting.screening.name_index import name_index
from graph.vetting.screening.rows import ScreenRow, parse_csv, to_csv
from graph.vetting.screening.screen import iter_vetted, screen

router = APIRouter(tags=["Vetting"])

SCREEN_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}, "example": "name,type,country\n7 Mtn Bde,unit,Veldoria\n"},
            "multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}, "date": {"type": "string", "format": "date"}},
            }},
        },
    }
}


def _recorded_subject(subject: str) -> str:
    """A subject no visible graph names may still have runs on record, if it is an absolute IRI;
    anything else cannot be one, and is refused naming the parameter."""
    try:
        return rdf.NamedNode(subject.strip()).value
    except ValueError as error:
        raise InvalidValueError(
            f"parameter 'subject': {subject!r} names no subject in the graphs you may see, and is not an absolute IRI ({error})"
        ) from None


@router.get("/vetting/runs", response_model=Runs, summary="Vetting runs (audit trail)")
async def vetting_runs(
    store: StoreDep,
    caller: Analyst,
    subject: Annotated[str | None, Query(description="Only runs about this subject (IRI, kind/slug or identifier).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    """Recorded runs, newest first: who, when, subject, date, policy, data version, outcome and a
    summary of findings. With `subject`, also `diff`: what changed between its last two runs."""

    def work() -> dict[str, Any]:
        iri = None
        if subject:
            try:
                iri = resolve(store, dataset_for_caller(store, caller), subject).value
            except UnknownSubject:
                iri = _recorded_subject(subject)  # runs may outlive the data they were about
        runs = audit.list_runs(store, iri, limit=limit)
        return {"subject": iri, "runs": [r.as_dict() for r in runs], "diff": audit.latest_diff(runs) if iri else None}

    return await run_store_work(work)


@router.post(
    "/vetting/screen", response_model=Screening, summary="Screen a CSV list of names",
    responses=also("The screened list as CSV (?format=csv or Accept: text/csv)", ["text/csv"]), openapi_extra=SCREEN_BODY,
)
async def vetting_screen(
    request: Request,
    store: StoreDep,
    limits: LimitsDep,
    caller: Analyst,
    policy: PolicyParam,
    date_: Annotated[str | None, Query(alias="date", description="Vet as of this day (default today).", json_schema_extra=DAY)] = None,
    fmt: Annotated[str | None, Query(alias="format", description="json or csv (default: by Accept).", json_schema_extra={"enum": ["json", "csv"]})] = None,
) -> Response | dict[str, Any]:
    """Upload a CSV (multipart field `file`, or the body as text/csv) with columns name, type,
    country and optionally date_of_birth or unit_id. Each row gets candidates with scores and the
    reason for each score, and the vetting outcome of its best match when the match is confident.
    A malformed list (unclosed quote, NUL byte, missing column, bad field) is a 422 naming the row;
    a body over ACTORGRAPH_MAX_UPLOAD_BYTES is a 413 before the rest is read (api.web.body_limit)."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise BadRequestError("file: upload the CSV as the multipart field 'file'")
        data = await upload.read()
        form_date = form.get("date")
        if not date_ and isinstance(form_date, str) and form_date.strip():
            date_ = form_date.strip()  # the pages' form may send the date as a field
    else:
        data = await request.body()
    day = day_or_today(date_, "date")
    chosen = answer_format(request, fmt, ("json", "csv"))
    rows = parse_csv(data)  # ScreeningError: the list is unusable as sent, a 422 naming the row
    budget = limits.timeout * MANY_SUBJECTS_BUDGET_FACTOR

    def work() -> list[ScreenRow]:
        dataset = dataset_for_caller(store, caller)
        version = audit.data_version(store, dataset)
        started = datetime.now(UTC)
        results = screen(
            store, dataset, rows, version_digest=version.digest, on=day, policy=policy,
            show_restricted=caller.can_read_restricted, budget=budget,
        )
        quads = []
        for result in iter_vetted(results):
            quads += audit.prepare(result, agent=agent_of(caller), version=version, started=started, context="screening")[1]
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
    return {"date": day.isoformat(), "policy": policy.as_dict(), "counts": counts, "rows": [r.as_dict() for r in results]}


async def _vet_one(
    request: Request, store: StoreDep, limits: LimitsDep, id: str, caller: Analyst, policy: PolicyParam, options: Options, *, record: bool
) -> Response | dict[str, Any]:
    chosen = answer_format(request, options.format, ("json", "html", "csv", "pdf"))

    def work() -> tuple[FindingSet, audit.RunRecord | None, str]:
        dataset = dataset_for_caller(store, caller)
        iri = resolve(store, dataset, id).value
        started = datetime.now(UTC)
        facts = Facts(store, dataset, show_restricted=caller.can_read_restricted, budget=limits.timeout, as_known_on=options.as_known_on)
        result = vet(store, dataset, iri, on=options.day, policy=policy, facts=facts)
        version = audit.data_version(store, dataset)
        result.set_aside = set_aside(name_index(store, dataset, version.digest), iri)
        run = audit.record(store, result, agent=agent_of(caller), version=version, started=started, context="api") if record else None
        return result, run, version.digest

    result, run, version = await run_store_work(work)
    if chosen == "pdf":
        header = PrintHeader(result.subject_label, result.date, str(result.policy.get("name", "")), version)
        context = report_context(result, run)
        return await run_in_threadpool(pdf_download, "vetting_report.html", header, f"vetting {result.subject_label} {result.date}", **context)
    if chosen == "html":
        return templates.TemplateResponse(request, "vetting_report.html", report_context(result, run))
    if chosen == "csv":
        return findings_download([result], "vetting.csv")
    return {**result.as_dict(), "run": run.iri if run else None}


@router.get(f"/vetting/{SUBJECT_ID}", response_model=Vetting, responses=REPORT_FORMATS, summary="Vet one subject (not recorded)")
async def vetting_subject(
    request: Request, store: StoreDep, limits: LimitsDep, id: SubjectId, caller: Analyst, policy: PolicyParam, options: Options
) -> Response | dict[str, Any]:
    """The finding set of a unit, organization or person as of `date`: JSON (the contract in the
    README), a printable HTML report (Accept: text/html or ?format=html), or CSV. Viewing is not a
    vetting run: nothing is recorded (`run` is null); POST the same URL to record the run."""
    return await _vet_one(request, store, limits, id, caller, policy, options, record=False)


@router.post(f"/vetting/{SUBJECT_ID}", response_model=Vetting, responses=REPORT_FORMATS, summary="Run and record a vetting of one subject")
async def vetting_subject_run(
    request: Request, store: StoreDep, limits: LimitsDep, id: SubjectId, caller: Analyst, policy: PolicyParam, options: Options
) -> Response | dict[str, Any]:
    """An explicit vetting run: the same answer as GET, and the run is recorded in the audit trail
    against the caller's API key (`run` is its IRI)."""
    return await _vet_one(request, store, limits, id, caller, policy, options, record=True)
