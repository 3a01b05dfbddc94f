"""Programs: the list, and one program with its implementers, funders, partners and targets.

`GET /programs/{id}/vetting` belongs to the vetting router; the `subject` path convertor
(api/web/routers/actors.py) keeps `/programs/{id}` from swallowing it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from api.web.dependencies import dataset_for_caller, store_of
from api.web.routers.actors import APIModel, Node, Relation, Source, Term, translate
from api.web.security import Caller, current_caller
from graph.index.cache import index_for
from graph.tracing import programs
from graph.tracing.errors import BadParameter, NotFound
from graph.tracing.naming import resolve_kind

router = APIRouter(prefix="/programs", tags=["Programs"])


class ProgramSummary(APIModel):
    id: str
    label: str
    types: list[Term]
    start: str | None
    end: str | None
    level: Term | None
    sector: Term | None
    country: Node | None
    location: str | None


class ProgramPage(APIModel):
    total: int
    limit: int
    offset: int
    programs: list[ProgramSummary]


class Participant(APIModel):
    """A participation node: the actor, its role in the program, when, how sure, and the sources."""

    id: str
    type: str
    label: str
    actor: Node
    program_role: Term | None
    start: str | None
    end: str | None
    confidence: str | None
    status: str | None
    amount: str | None
    currency: str | None
    sources: list[Source]


class Program(APIModel):
    id: str
    label: str
    names: list[str]
    aliases: list[str]
    types: list[Term]
    start: str | None
    end: str | None
    start_precision: str | None
    end_precision: str | None
    level: Term | None
    sector: Term | None
    country: Node | None
    location: str | None
    conflict_phase: Term | None
    implementers: list[Participant]
    funders: list[Participant]
    partners: list[Participant]
    targets: list[Participant]
    participants: list[Participant]
    related: list[Relation]


@router.get("", response_model=ProgramPage, summary="List programs")
def list_programs(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500, description="page size (at most 500)")] = 50,
    offset: Annotated[int, Query(ge=0, description="how many programs to skip")] = 0,
    caller: Caller = Depends(current_caller),
) -> Any:
    """Every program the caller may see, sorted by label, with type, period, level, sector and place."""
    store = store_of(request)
    dataset = dataset_for_caller(request, caller)
    return ProgramPage.model_validate(programs.list_programs(store, dataset, limit=limit, offset=offset))


@router.get("/{id:subject}", response_model=Program, summary="A program and its participants")
def program_detail(
    request: Request,
    id: Annotated[str, Path(description="an IRI (URL-encoded), a kind/slug such as fictional/program/vsspp, or an identifier")],
    caller: Caller = Depends(current_caller),
) -> Any:
    """A program's type, period, level, sector and location, and its implementers, funders,
    partners and targets with roles, dates, confidence and sources."""
    store = store_of(request)
    dataset = dataset_for_caller(request, caller)
    try:
        index = index_for(store, dataset)
        program = resolve_kind(store, dataset, index, id, ("program",))
        result = programs.program_detail(store, dataset, program, index=index)
    except (NotFound, BadParameter) as error:
        raise translate(error) from None
    return Program.model_validate(result)
