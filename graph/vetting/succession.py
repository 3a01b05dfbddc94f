"""Succession: a renamed body, a successor or a merger carries every finding of its predecessor.

A task force renamed in 2021 is the same force: its predecessor's perpetrations, the units it
controlled at the time, the groups it absorbed all belong to its record, each at the predecessor's
incident dates. So the successor is vetted as its predecessor too (every rule that applies to an
organization), walking back through chains of successions, and each finding says it came through
succession and from whom. Which kinds carry findings is the policy's (succession_inherits); a
splinter, by default, keeps only its parent's record up to the split (the absorption rule).
"""

from __future__ import annotations

from collections.abc import Callable

from graph.store import rdf
from graph.vetting.absorption import SUCCESSION_VERBS, succession_kind
from graph.vetting.dates import known_by, on_date
from graph.vetting.drafts import Context
from graph.vetting.model import Evidence, Finding

MAX_CHAIN = 10  # successions walked back; real chains are a few renamings long


def inherited(ctx: Context, findings_of: Callable[[Context], list[Finding]], seen: frozenset[str] = frozenset()) -> list[Finding]:
    """The findings of every predecessor the subject succeeded (renaming, successor, merger by
    default), each with the succession link first in its evidence and `via_succession` set."""
    if not ctx.is_organization or len(seen) >= MAX_CHAIN:
        return []
    seen = seen | {ctx.subject}
    out: list[Finding] = []
    for row in ctx.facts.rows("predecessors", subject=rdf.NamedNode(ctx.subject)):
        link, predecessor = row["link"], row["predecessor"]
        if not link or not predecessor or predecessor in seen or not ctx.facts.known(link):
            continue
        kind = succession_kind(ctx, link)
        period = ctx.facts.node(link).period
        if kind not in ctx.policy.succession_inherits or not known_by(period, ctx.day):
            continue
        kinds = frozenset({"Organization"})
        predecessor_ctx = Context(ctx.facts, predecessor, ctx.day, ctx.policy, kinds)
        found = findings_of(predecessor_ctx) + inherited(predecessor_ctx, findings_of, seen)
        for finding in found:
            out.append(_carried(ctx, finding, link, predecessor, kind, on_date(period.start, period.start_precision) if period.start else "date unknown"))
    return out


def _carried(ctx: Context, finding: Finding, link: str, predecessor: str, kind: str, since: str) -> Finding:
    facts = ctx.facts
    details = facts.relation(link)
    verb = SUCCESSION_VERBS.get(kind, "succeeded")
    step = Evidence(
        relation=link,
        type=details.type,
        label=verb,
        source_actor=ctx.subject,
        source_label=facts.label(ctx.subject),
        target=predecessor,
        target_label=facts.label(predecessor),
        start=details.facts.period.start.isoformat() if details.facts.period.start else None,
        end=details.facts.period.end.isoformat() if details.facts.period.end else None,
        start_precision=details.facts.period.start_precision,
        end_precision=details.facts.period.end_precision,
        ongoing=details.facts.period.ongoing,
        confidence=details.facts.confidence,
        status=details.facts.status,
        sources=details.sources,
        note=f"kind: {kind}; every finding of the predecessor carries to the successor",
    )
    carried = Finding(**finding.__dict__)
    carried.evidence = [step, *finding.evidence]
    carried.via_succession = {
        "from": predecessor,
        "from_label": facts.label(predecessor),
        "kind": kind,
        "relation": link,
        "since": since,
    }
    carried.summary = f"Through succession ({facts.label(ctx.subject)} {verb} {facts.label(predecessor)}, {since}): {finding.summary}"
    carried.time = [*finding.time, f"carried from {facts.label(predecessor)} by {kind.lower()} ({since}), at the predecessor's incident dates"]
    carried.current_basis = f"{finding.current_basis} (of the predecessor, {facts.label(predecessor)})"
    return carried
