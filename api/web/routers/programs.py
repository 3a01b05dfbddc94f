"""Programs: the list, one program with its implementers, funders, partners and targets, and the
vetting of its participants.

    GET  /programs                  every program the caller may see
    GET  /programs/{id}             one program and its participants
    GET  /programs/{id}/vetting     every participant vetted, with outcome and counts (analysts)
    POST /programs/{id}/vetting     the same, with a recorded run per participant

The vetting routes follow the rules of api.web.routers.vetting: analysts only, and only the POST
records runs in the audit trail.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.web.convertors import SUBJECT_ID, ProgramId
from api.web.dependencies import Analyst, DatasetDep, LimitsDep, StoreDep, dataset_for_caller
from api.web.documents import PrintHeader, pdf_download
from api.web.models import vetting as vetting_models
from api.web.models.tracing import Program, ProgramPage
from api.web.openapi_schema import REPORT_FORMATS
from api.web.templating import templates
from api.web.vetting_options import MANY_SUBJECTS_BUDGET_FACTOR, Options, PolicyParam, agent_of, answer_format
from api.web.vetting_reports import findings_download, links
from api.web.worker_threads import run_store_work
from graph.index.cache import index_for
from graph.index.identifiers import resolve
from graph.tracing import programs
from graph.tracing.naming import resolve_kind
from graph.vetting import audit
from graph.vetting.engine import ProgramVetting, vet_program

router = APIRouter(prefix="/programs", tags=["Programs"])


@router.get("", response_model=ProgramPage, summary="List programs")
def list_programs(
    store: StoreDep,
    dataset: DatasetDep,
    limit: Annotated[int, Query(ge=1, le=500, description="page size (at most 500)")] = 50,
    offset: Annotated[int, Query(ge=0, description="how many programs to skip")] = 0,
) -> Any:
    """Every program the caller may see, sorted by label, with type, period, level, sector and place."""
    return ProgramPage.model_validate(programs.list_programs(store, dataset, limit=limit, offset=offset))


@router.get(f"/{SUBJECT_ID}", response_model=Program, summary="A program and its participants")
def program_detail(store: StoreDep, dataset: DatasetDep, id: ProgramId) -> Any:
    """A program's type, period, level, sector and location, and its implementers, funders,
    partners and targets with roles, dates, confidence and sources."""
    index = index_for(store, dataset)
    program = resolve_kind(store, dataset, index, id, ("program",))
    return Program.model_validate(programs.program_detail(store, dataset, program, index=index))


async def _vet_program(
    request: Request, store: StoreDep, limits: LimitsDep, id: str, caller: Analyst, policy: PolicyParam, options: Options, *, record: bool
) -> Response | dict[str, Any]:
    chosen = answer_format(request, options.format, ("json", "html", "csv", "pdf"))
    budget = limits.timeout * MANY_SUBJECTS_BUDGET_FACTOR

    def work() -> tuple[ProgramVetting, str]:
        dataset = dataset_for_caller(store, caller)
        iri = resolve(store, dataset, id).value
        started = datetime.now(UTC)
        program = vet_program(
            store, dataset, iri, on=options.day, policy=policy, show_restricted=caller.can_read_restricted, budget=budget,
            as_known_on=options.as_known_on,
        )
        version = audit.data_version(store, dataset)
        if record:
            quads = []
            for participant in program.participants:
                quads += audit.prepare(participant.result, agent=agent_of(caller), version=version, started=started, context=f"program {iri}")[1]
            if quads:
                audit.write(store, quads)
        return program, version.digest

    program, version = await run_store_work(work)
    if chosen == "pdf":
        header = PrintHeader(program.label, program.date, str(program.policy.get("name", "")), version)
        return await run_in_threadpool(pdf_download, "vetting_program.html", header, f"program vetting {program.label} {program.date}", program=program, **links())
    if chosen == "html":
        return templates.TemplateResponse(request, "vetting_program.html", {"program": program, **links()})
    if chosen == "csv":
        return findings_download((p.result for p in program.participants), "program-vetting.csv")
    return {**program.as_dict(), "recorded": record}


@router.get(
    f"/{SUBJECT_ID}/vetting", response_model=vetting_models.ProgramVetting, responses=REPORT_FORMATS, tags=["Vetting"],
    summary="Vet every participant of a program (not recorded)",
)
async def vetting_program(
    request: Request, store: StoreDep, limits: LimitsDep, id: ProgramId, caller: Analyst, policy: PolicyParam, options: Options
) -> Response | dict[str, Any]:
    """Every implementer, funder, partner and target of the program, vetted: a table with each
    participant's outcome and finding counts, and each finding reachable (JSON: `participants[].vetting`;
    HTML: a table linking to each participant's report). Viewing records nothing; POST the same
    URL to record a run per participant."""
    return await _vet_program(request, store, limits, id, caller, policy, options, record=False)


@router.post(
    f"/{SUBJECT_ID}/vetting", response_model=vetting_models.ProgramVetting, responses=REPORT_FORMATS, tags=["Vetting"],
    summary="Run and record a vetting of every participant of a program",
)
async def vetting_program_run(
    request: Request, store: StoreDep, limits: LimitsDep, id: ProgramId, caller: Analyst, policy: PolicyParam, options: Options
) -> Response | dict[str, Any]:
    """An explicit vetting run of a program: the same answer as GET, and each participant's run is
    recorded in the audit trail against the caller's API key."""
    return await _vet_program(request, store, limits, id, caller, policy, options, record=True)
