"""Programs: the SSR, JSR, DDR, early-warning, development and peace-building programs, and who
implements, funds, partners in and is targeted by each, with dates, confidence and sources.

The participants come from the same edge query as tracing (`queries/tracing/edges.rq`), so a
program page and the ego network of an actor agree on every link. What only programs have (the
finer program role, the funding amount, the conflict phase, date precision) comes from two small
queries bound to the program.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.index.cache import index_for
from graph.index.names import local_name
from graph.index.subjects import SubjectIndex
from graph.query.sparql import Dataset
from graph.store import GraphStore, rdf
from graph.tracing.edges import data_graphs, edges_of, recorded_dates
from graph.tracing.profile import RelationView, SourceRef, TermRef, relation_view, source_ref, term_ref
from graph.tracing.refs import NodeRef, node_ref
from graph.vetting.dates import DAY
from ontology.namespaces import AG
from queries import catalog

PARTICIPATION = AG + "ProgramParticipation"
# Participation classes -> the list a program page shows them in; other participations go to
# "participants".
GROUPS = {
    AG + "Implementation": "implementers",
    AG + "Funding": "funders",
    AG + "Partnership": "partners",
    AG + "Targeting": "targets",
}


@dataclass(frozen=True)
class ProgramSummary:
    id: str
    label: str
    types: list[TermRef]
    start: str | None
    end: str | None
    level: TermRef | None
    sector: TermRef | None
    country: NodeRef | None
    location: str | None
    start_precision: str = DAY  # "year" or "month" when the source gave only that (2010 is stored 2010-01-01)
    end_precision: str = DAY


@dataclass(frozen=True)
class ProgramPage:
    total: int
    limit: int
    offset: int
    programs: list[ProgramSummary]


@dataclass(frozen=True)
class Participant:
    """One participation node: who, in which role, when, how sure, on what evidence."""

    id: str
    type: str
    label: str
    actor: NodeRef
    program_role: TermRef | None
    start: str | None
    end: str | None
    confidence: str | None
    status: str | None
    amount: str | None
    currency: str | None
    sources: list[SourceRef]
    start_precision: str = DAY  # "year" or "month" when the source gave only that (2010 is stored 2010-01-01)
    end_precision: str = DAY
    ongoing: bool = False


@dataclass(frozen=True)
class ProgramDetail:
    id: str
    label: str
    names: list[str]
    aliases: list[str]
    types: list[TermRef]
    start: str | None
    end: str | None
    start_precision: str | None
    end_precision: str | None
    level: TermRef | None
    sector: TermRef | None
    country: NodeRef | None
    location: str | None
    conflict_phase: TermRef | None
    implementers: list[Participant]
    funders: list[Participant]
    partners: list[Participant]
    targets: list[Participant]
    participants: list[Participant]
    related: list[RelationView]  # other relations naming the program, e.g. reforms made under it


def _summary(index: SubjectIndex, iri: str) -> ProgramSummary:
    subject = index.get(iri)
    assert subject is not None
    terms = index.terms
    recorded = recorded_dates(subject)
    return ProgramSummary(
        id=iri,
        label=subject.label,
        types=[r for r in (term_ref(terms, t) for t in terms.most_specific(subject.types, within=AG + "Program")) if r],
        start=subject.start,
        end=subject.end,
        level=term_ref(terms, subject.level),
        sector=term_ref(terms, subject.sector),
        country=node_ref(index, subject.country) if subject.country else None,
        location=subject.location,
        start_precision=recorded.start_precision,
        end_precision=recorded.end_precision,
    )


def list_programs(
    store: GraphStore, dataset: Dataset, *, limit: int = 50, offset: int = 0, index: SubjectIndex | None = None
) -> ProgramPage:
    """Every program the caller may see, by label, one page of them."""
    index = index or index_for(store, dataset)
    programs = index.of_kind("program")
    page = [_summary(index, p.iri) for p in programs[offset : offset + limit]]
    return ProgramPage(len(programs), limit, offset, page)


def program_summary(index: SubjectIndex, iri: str) -> ProgramSummary:
    """One program as the list shows it, for callers that choose which programs to list."""
    return _summary(index, iri)


def _value(term: object) -> str | None:
    return None if term is None else term.value  # type: ignore[attr-defined]


def program_detail(store: GraphStore, dataset: Dataset, program: str, *, index: SubjectIndex | None = None) -> ProgramDetail:
    """A program's period, level, sector and place, and its participants grouped by role."""
    index = index or index_for(store, dataset)
    terms = index.terms
    summary = _summary(index, program)
    subject = index.get(program)
    assert subject is not None
    node = rdf.NamedNode(program)
    graphs = data_graphs(dataset)
    extra: dict[str, str | None] = {"phase": None}
    for row in store.select(catalog.text("tracing/program"), bindings={"program": node}, default_graph=graphs):
        for key, value in extra.items():
            extra[key] = value or _value(row[key])
    details: dict[str, dict[str, str | None]] = {}
    for row in store.select(catalog.text("tracing/participations"), bindings={"program": node}, default_graph=graphs):
        details[row["participation"].value] = {
            "role": _value(row["programRole"]),
            "amount": _value(row["amount"]),
            "currency": _value(row["currency"]),
        }
    groups: dict[str, list[Participant]] = {name: [] for name in (*GROUPS.values(), "participants")}
    related: list[RelationView] = []
    for edge in edges_of(store, dataset, program, terms):
        if not terms.is_a(edge.cls, PARTICIPATION):
            related.append(relation_view(index, program, edge))
            continue
        extra_of = details.get(edge.relation, {})
        group = next((name for cls, name in GROUPS.items() if terms.is_a(edge.cls, cls)), "participants")
        groups[group].append(
            Participant(
                id=edge.relation,
                type=local_name(edge.cls),
                label=terms.label(edge.cls),
                actor=node_ref(index, edge.other(program)),
                program_role=term_ref(terms, extra_of.get("role")),
                start=edge.start,
                end=edge.end,
                confidence=terms.label(edge.confidence) if edge.confidence else None,
                status=terms.label(edge.status) if edge.status else None,
                amount=extra_of.get("amount"),
                currency=extra_of.get("currency"),
                sources=[source_ref(index, s) for s in edge.sources],
                start_precision=edge.start_precision,
                end_precision=edge.end_precision,
                ongoing=edge.ongoing,
            )
        )
    for members in groups.values():
        members.sort(key=lambda p: (p.actor.label.casefold(), p.start or "", p.id))
    related.sort(key=lambda r: (r.start is None, r.start or "", r.id))
    return ProgramDetail(
        id=program,
        label=summary.label,
        names=list(subject.names),
        aliases=list(subject.aliases),
        types=summary.types,
        start=summary.start,
        end=summary.end,
        # None when the source gave no precision (the day); read as the index reads it, not by label.
        start_precision=summary.start_precision if subject.start_precision else None,
        end_precision=summary.end_precision if subject.end_precision else None,
        level=summary.level,
        sector=summary.sector,
        country=summary.country,
        location=summary.location,
        conflict_phase=term_ref(terms, extra["phase"]),
        implementers=groups["implementers"],
        funders=groups["funders"],
        partners=groups["partners"],
        targets=groups["targets"],
        participants=groups["participants"],
        related=related,
    )
