"""What a vetting rule works with and produces: the context it runs in (facts, subject, date, policy),
its `Draft` findings made of `Step`s, and the chains of command it follows between units."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from graph.vetting.dates import Currency, Overlap, Period, TimeCheck, combine, is_current, overlaps
from graph.vetting.facts import Facts
from graph.vetting.node_facts import Edge
from graph.vetting.policy import Policy


@dataclass(frozen=True)
class Step:
    """One relation node on the path, read as "`source` `verb` `target`"."""

    node: str
    source: str
    target: str
    verb: str
    check: TimeCheck | None = None


@dataclass
class Draft:
    """A finding before severity, evidence details and mitigation are attached."""

    rule: str
    steps: list[Step]
    overlap: Overlap
    current: bool
    current_basis: str
    incident: str | None = None
    perpetrator: str | None = None
    indirect: str = ""  # why the link is indirect (caps severity at review); empty when it is not
    relevant_end: date | None = None  # for findings without an incident: the date the lookback applies to
    anchor: str = ""  # the subject's own link, for de-duplication
    summary_parts: dict[str, str] = field(default_factory=dict)
    current_reading: str = "ongoing"  # which reading of the link's end applied (graph.vetting.dates.Currency)
    status: str | None = None  # overrides the perpetration's status (a conviction establishes it)
    context: str = ""  # "failure_to_punish": shown as context, never as "held during"
    regime_effect: str = ""  # sanctions: what the listing's regime type does under the policy (flag, review, context)
    notes: list[str] = field(default_factory=list)  # more time reasoning, in words

    @property
    def perpetration(self) -> str | None:
        return self.steps[-1].node if self.incident else None


@dataclass
class Context:
    facts: Facts
    subject: str
    day: date
    policy: Policy
    kinds: frozenset[str]

    @property
    def is_person(self) -> bool:
        return "Person" in self.kinds

    @property
    def is_organization(self) -> bool:
        return "Organization" in self.kinds


def currency(ctx: Context, node: str, period: Period) -> Currency:
    """Is the link current on the vetting date; an unknown end cites the node's latest source."""
    return is_current(period, ctx.day, ctx.facts.last_cited(node) if period.end is None and not period.ongoing else None)


def state_words(state: Currency, present: str, past: str) -> str:
    """'still holds the post: ongoing', 'former post: ended 2020-12-31', 'end unknown; last cited 2021'."""
    if state.current:
        return f"{present}: {state.basis}"
    return f"{past}: {state.basis}" if state.reading == "ended" else state.basis


def subject_binding(ctx: Context) -> dict[str, ox.NamedNode | ox.Literal]:
    return {"subject": ox.NamedNode(ctx.subject)}


def incident_period(ctx: Context, incident: str) -> Period | None:
    """The incident's period, or None when it began after the vetting date, or was not on record
    by the knowledge date (not known yet then)."""
    period = ctx.facts.node(incident).period
    if (period.start is not None and period.start > ctx.day) or not ctx.facts.known(incident):
        return None
    return period


def perpetration_step(perpetration: str, perpetrator: str, incident: str) -> Step:
    return Step(perpetration, perpetrator, incident, "is recorded as perpetrator of")


# -- chains of command ---------------------------------------------------------------------


def find_chain(facts: Facts, start: str, target: str, during: Period, depth: int) -> list[tuple[Edge, TimeCheck]] | None:
    """Walk up from `start` to `target` over subordinations that held during `during`.

    At most `depth` steps. Returns the best chain (every step certain if possible, then the
    shortest) as (edge, check) pairs from `start` upward, or None when no chain held then."""
    best: list[tuple[Edge, TimeCheck]] | None = None
    frontier: list[tuple[str, list[tuple[Edge, TimeCheck]]]] = [(start, [])]
    for _ in range(depth):
        next_frontier = []
        for unit, path in frontier:
            for edge in facts.parents(unit):
                if any(edge.parent == e.child for e, _ in path) or edge.parent == start:
                    continue  # a cycle in the data
                check = overlaps(edge.period, during, began="came under its parent", ended="left its parent")
                if check.overlap is Overlap.NO:
                    continue
                extended = [*path, (edge, check)]
                if edge.parent == target:
                    if best is None or chain_rank(extended) < chain_rank(best):
                        best = extended
                else:
                    next_frontier.append((edge.parent, extended))
        if best is not None and combine([c for _, c in best]) is Overlap.YES:
            return best  # breadth-first: no certain chain is shorter
        frontier = next_frontier
    return best


def chain_rank(chain: list[tuple[Edge, TimeCheck]]) -> tuple[int, int]:
    return (0 if combine([c for _, c in chain]) is Overlap.YES else 1, len(chain))


def chain_current(chain: list[tuple[Edge, TimeCheck]], ctx: Context) -> Currency:
    for edge, _ in chain:
        state = currency(ctx, edge.relation, edge.period)
        if not state.current:
            facts = ctx.facts
            what = "left" if state.reading == "ended" else "under"
            return Currency(False, state.reading, f"{facts.label(edge.child)} {what} {facts.label(edge.parent)}: {state.basis}")
    return Currency(True, "ongoing", "the chain of command still holds")


def steps_of_chain(chain: list[tuple[Edge, TimeCheck]]) -> list[Step]:
    """Top-down order for reading: the subject's end first."""
    return [Step(e.relation, e.child, e.parent, "was subordinate to", c) for e, c in reversed(chain)]
