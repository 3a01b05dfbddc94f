"""Vetting: is a proposed partner (a unit, an organization or a person) a perpetrator, or linked to one,
and if so how, when, on what evidence, and is the link current or former? Leahy vetting is the model.

    vet(store, dataset, subject, on=date, policy=Policy) -> FindingSet

Input: a subject IRI (surfaces resolve names with graph.index.identifiers), the vetting date (default
today: everything is judged *as of* that day, so incidents and links that begin later do not
exist yet), and a policy (graph.vetting.policy: lookback, minimum confidence, hierarchy depth and
direction, which rules run and which may flag).

Output: a FindingSet whose JSON form (FindingSet.as_dict) is a contract, documented in
graph.vetting.model and in the README:

    {"subject", "date", "outcome": "clear|review|flag", "reason",
     "findings": [{"rule", "severity", "current", "incidents": [...], "evidence": [...],
                   "mitigation": [...]}]}

The rules live in graph.vetting.rules (one query each in queries/vetting/); time is decided in
graph.vetting.dates; graph.vetting.findings turns their drafts into findings: a severity from the policy, the
evidence path with every relation node's dates, confidence and sources, mitigation shown beside
the finding (never used to hide it), and an outcome explained in one sentence:

- a finding is **high** when its rule may flag (policy.flag_rules), its incident (or, for
  sanctions and risk, its link) lies within the lookback window, its dates prove the link held,
  the link is direct, and it is established or its weakest link reaches policy.min_confidence;
- it is **medium** (review) when it falls short only because of low confidence, dates that only
  allow the link (start unknown, year precision...), an indirect link, or a rule that may not flag;
- it is **low** when it lies outside the lookback window: shown, not counted;
- the outcome is flag if any finding is high, review if any is medium, clear otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from graph.index.identifiers import UnknownSubject
from graph.index.names import local_name
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.vetting.absorption import absorption
from graph.vetting.batch import prefetch
from graph.vetting.drafts import Context, Draft
from graph.vetting.facts import Facts
from graph.vetting.findings import SEVERITY_RANK, dedupe, outcome_of, sort_date, to_finding
from graph.vetting.model import Finding, FindingSet
from graph.vetting.policy import DEFAULT_POLICY, Policy
from graph.vetting.rules import command, direct, hierarchy, membership
from graph.vetting.sanctions import risk, sanctions
from graph.vetting.succession import inherited
from graph.vetting.wording import dataset_warnings, outcome_reason

RULE_FUNCTIONS: dict[str, Callable[[Context], list[Draft]]] = {
    "direct": direct,
    "command": command,
    "hierarchy": hierarchy,
    "membership": membership,
    "absorption": absorption,
    "sanctions": sanctions,
    "risk": risk,
}
RULES_FOR = {
    "Person": ("direct", "command", "membership", "sanctions", "risk"),
    "Organization": ("direct", "hierarchy", "membership", "absorption", "sanctions", "risk"),
}


class NotVettable(ValueError):
    """The subject is not an actor (a program, an incident, a source...)."""


@dataclass
class ProgramParticipant:
    iri: str
    label: str
    roles: list[str]
    periods: list[str]
    result: FindingSet


@dataclass
class ProgramVetting:
    program: str
    label: str
    date: str
    policy: dict[str, object]
    participants: list[ProgramParticipant] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {"flag": 0, "review": 0, "clear": 0}
        for participant in self.participants:
            out[participant.result.outcome] += 1
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "program": self.program,
            "label": self.label,
            "date": self.date,
            "policy": self.policy,
            "counts": self.counts(),
            "participants": [
                {"iri": p.iri, "label": p.label, "roles": p.roles, "periods": p.periods, "vetting": p.result.as_dict()}
                for p in self.participants
            ],
        }


# -- entry points --------------------------------------------------------------------------


def vet(
    store: GraphStore,
    dataset: Dataset,
    subject: str | ox.NamedNode,
    *,
    on: date | None = None,
    policy: Policy = DEFAULT_POLICY,
    facts: Facts | None = None,
    show_restricted: bool = True,
    as_known_on: date | None = None,
) -> FindingSet:
    """Vet one subject as of `on` (default today) under `policy`, using only what was knowable on
    `as_known_on` when given (sources published, or graphs imported, by then). Raises
    UnknownSubject when the dataset has nothing about it, NotVettable when it is not a person or
    organization."""
    iri = subject.value if isinstance(subject, ox.NamedNode) else subject
    day = on or date.today()
    facts = facts or Facts(store, dataset, show_restricted=show_restricted, as_known_on=as_known_on)
    label, kinds = _subject(facts, iri)
    ctx = Context(facts, iri, day, policy, kinds)
    findings = dedupe([*_findings(ctx), *inherited(ctx, _findings)])
    findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.rule, -(int(f.current)), sort_date(f)))
    outcome = outcome_of(findings)
    result = FindingSet(
        subject=iri,
        subject_label=label,
        subject_kind="person" if "Person" in kinds else "organization",
        date=day.isoformat(),
        outcome=outcome,
        reason="",
        policy=policy.as_dict(),
        findings=findings,
        as_known_on=facts.as_known_on.isoformat() if facts.as_known_on else None,
    )
    result.reason = outcome_reason(result, policy, dataset_warnings(dataset))
    return result


def _findings(ctx: Context) -> list[Finding]:
    """Every rule that applies to the subject's kind, its drafts checked against the knowledge
    date, turned into findings."""
    applicable = [rule for rule in ctx.policy.rules if any(rule in RULES_FOR.get(k, ()) for k in ctx.kinds)]
    drafts = [draft for rule in applicable for draft in RULE_FUNCTIONS[rule](ctx)]
    return [to_finding(ctx, draft) for draft in drafts if all(ctx.facts.known(step.node) for step in draft.steps)]


def vet_program(
    store: GraphStore,
    dataset: Dataset,
    program: str | ox.NamedNode,
    *,
    on: date | None = None,
    policy: Policy = DEFAULT_POLICY,
    show_restricted: bool = True,
    budget: float | None = None,
    as_known_on: date | None = None,
) -> ProgramVetting:
    """Vet every participant of a program (implementers, funders, partners, targets), sharing one
    fact cache, so commanders, incidents and sources common to partners are read once."""
    iri = program.value if isinstance(program, ox.NamedNode) else program
    day = on or date.today()
    facts = Facts(store, dataset, show_restricted=show_restricted, budget=budget, as_known_on=as_known_on)
    rows = facts.rows("participants", program=ox.NamedNode(iri))
    if not rows and not facts.rows("subject", subject=ox.NamedNode(iri)):
        raise UnknownSubject(iri)
    # Read what the partners' vettings need together: a few queries instead of ten per partner.
    prefetch(facts, [participant for row in rows if (participant := row["participant"])], policy)
    grouped: dict[str, ProgramParticipant] = {}
    for row in rows:
        participant = row["participant"]
        if not participant:
            continue
        role = row.get("roleLabel") or local_name(row.get("class") or "participant")
        start, end = row.get("start"), row.get("end")
        period = f"{start or 'start unknown'} – {end or ('ongoing' if row.get('ongoing') == 'true' else 'end unknown')}"
        entry = grouped.get(participant)
        if entry is None and not facts.known(row.get("participation") or participant):
            continue
        if entry is None:
            try:
                result = vet(store, dataset, participant, on=day, policy=policy, facts=facts)
            except (UnknownSubject, NotVettable):
                continue
            entry = grouped[participant] = ProgramParticipant(participant, result.subject_label, [], [], result)
        if role not in entry.roles:
            entry.roles.append(role)
            entry.periods.append(period)
    order = {"flag": 0, "review": 1, "clear": 2}
    participants = sorted(grouped.values(), key=lambda p: (order[p.result.outcome], p.label.lower()))
    return ProgramVetting(iri, facts.label(iri), day.isoformat(), policy.as_dict(), participants)


# -- subject -------------------------------------------------------------------------------


def _subject(facts: Facts, iri: str) -> tuple[str, frozenset[str]]:
    rows = facts.rows("subject", subject=ox.NamedNode(iri))
    if not rows:
        raise UnknownSubject(iri)
    kinds = frozenset(local_name(kind) for r in rows if (kind := r.get("kind")))
    label = next((r["label"] for r in rows if r.get("label")), None) or local_name(iri)
    if "Person" not in kinds and "Organization" not in kinds:
        what = ", ".join(sorted(kinds)) or ", ".join(sorted({local_name(r["class"] or "") for r in rows})) or "unknown"
        hint = " (vet a program's partners with vet_program / GET /programs/{id}/vetting)" if "Program" in kinds else ""
        raise NotVettable(f"{label} is not a person or organization but a {what}{hint}")
    return label, kinds


__all__ = ["NotVettable", "ProgramParticipant", "ProgramVetting", "vet", "vet_program"]
