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
graph.vetting.dates. This module turns their drafts into findings: a severity from the policy, the
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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from graph.errors import InvalidValueError
from graph.index.identifiers import UnknownSubject
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.vetting.batch import prefetch
from graph.vetting.dates import Overlap, lookback_start
from graph.vetting.facts import Facts, MitigationRow, local_name
from graph.vetting.model import Evidence, Finding, FindingSet, IncidentRef, Mitigation
from graph.vetting.policy import CONFIDENCES, DEFAULT_POLICY, Policy
from graph.vetting.rules import Context, Draft, Step, absorption, command, direct, hierarchy, membership
from graph.vetting.sanctions import risk, sanctions
from graph.vetting.succession import inherited
from ontology.namespaces import INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH

SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}
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


class NotVettable(InvalidValueError, ValueError):
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
    findings = _dedupe([*_findings(ctx), *inherited(ctx, _findings)])
    findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.rule, -(int(f.current)), _sort_date(f)))
    outcome = _outcome(findings)
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
    result.reason = _reason(result, policy, _warnings(dataset))
    return result


def _findings(ctx: Context) -> list[Finding]:
    """Every rule that applies to the subject's kind, its drafts checked against the knowledge
    date, turned into findings."""
    applicable = [rule for rule in ctx.policy.rules if any(rule in RULES_FOR.get(k, ()) for k in ctx.kinds)]
    drafts = [draft for rule in applicable for draft in RULE_FUNCTIONS[rule](ctx)]
    return [_finding(ctx, draft) for draft in drafts if all(ctx.facts.known(step.node) for step in draft.steps)]


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
    kinds = frozenset(local_name(r["kind"]) for r in rows if r.get("kind"))
    label = next((r["label"] for r in rows if r.get("label")), None) or local_name(iri)
    if "Person" not in kinds and "Organization" not in kinds:
        what = ", ".join(sorted(kinds)) or ", ".join(sorted({local_name(r["class"] or "") for r in rows})) or "unknown"
        hint = " (vet a program's partners with vet_program / GET /programs/{id}/vetting)" if "Program" in kinds else ""
        raise NotVettable(f"{label} is not a person or organization but a {what}{hint}")
    return label, kinds


# -- drafts to findings ----------------------------------------------------------------------


def _confidence_rank(value: str | None) -> int:
    # A link without a recorded confidence counts as low: it must not carry a flag on its own.
    return CONFIDENCES.index(value) if value in CONFIDENCES else 0


def _evidence(ctx: Context, step: Step) -> Evidence:
    facts = ctx.facts
    details = facts.relation(step.node)
    target_label = facts.incident(step.target).label if details.type == "Perpetration" else facts.label(step.target)
    period = details.facts.period
    note_parts = [step.check.note] if step.check else []
    facets = details.facets
    if facets.get("title") or facets.get("rank"):
        note_parts.append(", ".join(v for v in (facets.get("rank"), facets.get("title")) if v))
    if facets.get("sanctionsRegime"):
        reference = facets.get("listingReference")
        note_parts.append(f"regime: {facets['sanctionsRegime']}" + (f", reference {reference}" if reference else ""))
    if facets.get("viaProgram"):
        note_parts.append(f"via {facts.label(facets['viaProgram'])}")
    if facets.get("integrationScope"):
        note_parts.append(f"scope: {facts.label(facets['integrationScope'])}")
    if facets.get("successionKind"):
        note_parts.append(f"kind: {facts.label(facets['successionKind'])}")
    if details.note:
        note_parts.append(details.note)
    return Evidence(
        relation=step.node,
        type=details.type,
        label=step.verb,
        source_actor=step.source,
        source_label=facts.label(step.source),
        target=step.target,
        target_label=target_label,
        start=period.start.isoformat() if period.start else None,
        end=period.end.isoformat() if period.end else None,
        start_precision=period.start_precision,
        end_precision=period.end_precision,
        ongoing=period.ongoing,
        confidence=details.facts.confidence,
        status=details.facts.status,
        sources=details.sources,
        note="; ".join(p for p in note_parts if p),
    )


def _mitigations(ctx: Context, draft: Draft) -> list[Mitigation]:
    """Remedies on record by the vetting date that concern this finding, and only those:

    - a court outcome about the finding's incident; a conviction of the subject is evidence against
      it (rule direct), never mitigation of any of its findings; a person is answerable for their
      own conduct, so another person's trial is no mitigation of a person's findings;
    - a remediation record that names the incident and concerns the perpetrator or the subject,
      unless it holds the subject itself accountable;
    - a disbandment or reform of the perpetrator or of the subject."""
    actor = draft.perpetrator or (draft.steps[0].target if draft.rule == "risk" else draft.steps[-1].source)
    out = []
    for row in ctx.facts.mitigations(draft.incident, actor, ctx.subject):
        if row.period.start is not None and row.period.start > ctx.day:
            continue  # not on record yet as of the vetting date
        if row.kind == "JudicialOutcome":
            if not draft.incident or draft.incident not in row.about:
                continue  # a case about another incident, or about none named, is no remedy for this one
            if row.concerned == ctx.subject and local_name(row.outcome or "") == "Convicted":
                continue  # the subject's own conviction is evidence against it (rule direct), never its mitigation
            if ctx.is_person and row.concerned != ctx.subject:
                continue  # a co-accused's conviction held that person to account, not the subject
        elif row.kind == "Remediation":
            # It remediates the record of the actor it concerns; being held accountable by it is
            # no mitigation of one's own findings.
            if not draft.incident or draft.incident not in row.about or row.concerned not in (actor, ctx.subject):
                continue
            if ctx.subject in row.accountable:
                continue
        elif row.concerned not in (actor, ctx.subject):
            continue
        out.append(_mitigation(ctx, row))
    return out


def _mitigation(ctx: Context, row: MitigationRow) -> Mitigation:
    facts = ctx.facts
    who = facts.label(row.concerned) if row.concerned else "?"
    when = row.period.start.isoformat() if row.period.start else "date unknown"
    about = f" ({', '.join(facts.incident(i).label for i in row.about)})" if row.about else ""
    if row.kind == "JudicialOutcome":
        outcome = local_name(row.outcome or "Indicted").lower()
        court = f" by {facts.label(row.court)}" if row.court else ""
        text = f"{who} {outcome}{court} on {when}{about}"
        remedial = outcome == "convicted"
    elif row.kind == "Remediation":
        accountable = ", ".join(facts.label(a) for a in row.accountable) or "nobody named"
        steps = "; ".join(row.steps) or "steps not recorded"
        text = f"remediation for {who}{about} on {when}: held accountable {accountable}; steps: {steps}"
        remedial = True
    else:
        verb = "disbanded" if row.kind == "Disbandment" else "reformed"
        program = f" under {facts.label(row.program)}" if row.program else ""
        text = f"{who} {verb}{program}, {row.period.describe() if row.period.end else 'from ' + when}"
        remedial = True
    return Mitigation(row.relation, row.kind, text, row.period.start.isoformat() if row.period.start else None, remedial)


def _remediated(draft: Draft, mitigations: list[Mitigation]) -> bool:
    """Accountability for the incident is recorded: a conviction for it, or a remediation naming it
    (a reform or disbandment alone restores nothing under Leahy)."""
    return bool(draft.incident) and any(m.remedial and m.kind in ("JudicialOutcome", "Remediation") for m in mitigations)


def _is_gross(ctx: Context, incident: str) -> bool:
    types = ctx.facts.incident(incident).type_iris
    if ctx.policy.gross_violation_types:
        return any(local_name(t) in ctx.policy.gross_violation_types for t in types)
    return any(t in ctx.facts.gross_types() for t in types)


def _finding(ctx: Context, draft: Draft) -> Finding:
    facts = ctx.facts
    evidence = [_evidence(ctx, step) for step in draft.steps]
    incidents = []
    status = None
    gross = None
    if draft.incident and draft.perpetration:
        details = facts.incident(draft.incident)
        perpetration = facts.relation(draft.perpetration)
        status = draft.status or perpetration.facts.status or "alleged"
        period = details.facts.period
        gross = _is_gross(ctx, draft.incident)
        incidents.append(
            IncidentRef(
                iri=draft.incident,
                label=details.label,
                date=period.start.isoformat() if period.start else None,
                end=period.end.isoformat() if period.end else None,
                types=details.types,
                status=status,
                perpetrator=draft.perpetrator or "",
                perpetrator_label=facts.label(draft.perpetrator),
                confidence=perpetration.facts.confidence,
            )
        )
    # For sanctions and risk the chain's own evidence is the listing or reliance (the network's own
    # listing, when shown, only adds context). A conviction step counts as high confidence.
    counted = evidence if draft.rule != "risk" else evidence[:1]
    confidence = min((e.confidence or ("high" if e.type == "JudicialOutcome" else None) for e in counted), key=_confidence_rank, default=None)
    links = [e for e in counted if e.type not in ("Perpetration", "JudicialOutcome")]
    links_confidence = min((e.confidence for e in links), key=_confidence_rank, default="high")
    mitigations = _mitigations(ctx, draft)
    time_notes = [step.check.note for step in draft.steps if step.check is not None] + list(draft.notes)
    severity, basis, lookback_note = _severity(ctx, draft, status, gross, confidence, links_confidence, mitigations)
    if lookback_note:
        time_notes.append(lookback_note)
    finding = Finding(
        rule=draft.rule,
        severity=severity,
        current=draft.current,
        summary="",
        confidence=confidence,
        certain=draft.overlap is Overlap.YES,
        incidents=incidents,
        evidence=evidence,
        time=time_notes,
        current_basis=draft.current_basis,
        mitigations=mitigations,
        current_reading=draft.current_reading,
        gross_violation=gross,
        context=draft.context,
        regime_type=draft.summary_parts.get("regime"),
    )
    finding.severity_basis = basis
    finding.summary = _summary(ctx, draft, finding)
    return finding


def _lookback_category(draft: Draft, status: str | None, gross: bool | None, mitigations: list[Mitigation]) -> str:
    if not draft.incident:
        return "links"
    if _remediated(draft, mitigations):
        return "remediated"
    if gross:
        return "established_gross" if status == "established" else "alleged_gross"
    return "not_gross"


def _severity(ctx: Context, draft: Draft, status: str | None, gross: bool | None, confidence: str | None,
              links_confidence: str | None, mitigations: list[Mitigation]) -> tuple[str, str, str]:
    """The policy applied to one finding: the severity, why it is not high (when it is not), and a
    note when the lookback window was passed over."""
    policy = ctx.policy
    window = lookback_start(ctx.day, policy.lookback_years)
    category = _lookback_category(draft, status, gross, mitigations)
    note = ""
    if draft.incident:
        period = ctx.facts.node(draft.incident).period.as_incident()
        last = period.end or period.start
        if last is not None and last < window:
            if category in policy.lookback_applies_to:
                return "low", f"outside the {policy.lookback_years}-year lookback window (before {window.isoformat()})", ""
            note = (f"older than the {policy.lookback_years}-year lookback window, but the lookback does not clear "
                    f"{LOOKBACK_WORDS[category]} under the policy")
    elif draft.relevant_end is not None and draft.relevant_end < window and category in policy.lookback_applies_to:
        return "low", f"ended before the {policy.lookback_years}-year lookback window ({window.isoformat()})", ""
    if draft.context == "failure_to_punish":
        level = "medium" if policy.failure_to_punish == "review" else "low"
        return level, "took command after the incident, with no accountability recorded: context, not command responsibility", note
    if draft.rule == "sanctions":
        listing_reading = draft.summary_parts.get("listing_reading")
        if listing_reading == "ended":
            return "low", "the listing ended before the vetting date: shown in the history, never flags", note
        if draft.regime_effect == "context":
            return "low", f"the listing is a {REGIME_WORDS.get(draft.summary_parts.get('regime', ''))}, which the policy shows as context only", note
        if draft.regime_effect == "review":
            return "medium", f"the listing is under {REGIME_WORDS.get(draft.summary_parts.get('regime', ''))}, which the policy reviews", note
        if listing_reading in ("end_unknown", "end_uncertain"):
            return "medium", "whether the listing is still in force is unknown: check the list", note
    if draft.rule not in policy.flag_rules:
        return "medium", f"the policy does not let the {draft.rule} rule flag: review", note
    if draft.overlap is Overlap.UNCERTAIN and policy.unknown_dates == "review":
        return "medium", "the dates only allow the link (see time): review", note
    if draft.indirect:
        return "medium", f"indirect: {draft.indirect}", note
    if not draft.current and policy.former_links == "review" and draft.current_reading == "ended":
        return "medium", "a former link, and the policy reviews former links", note
    if draft.incident and gross is False and policy.non_gross_violations == "review":
        return "medium", "not a gross violation of human rights, and the policy reviews those", note
    minimum = policy.min_confidence_rank
    if draft.incident:
        qualifies = (status == "established" and _confidence_rank(links_confidence) >= minimum) or _confidence_rank(confidence) >= minimum
    else:
        qualifies = _confidence_rank(confidence) >= minimum
    if not qualifies:
        return "medium", f"{confidence or 'unrecorded'} confidence, below the policy's {policy.min_confidence}: review", note
    if policy.mitigation_downgrades and any(m.remedial for m in mitigations):
        return "medium", "mitigation recorded, and the policy lets mitigation turn a flag into review", note
    return "high", "", note


REGIME_WORDS = {
    "UNSecurityCouncilRegime": "UN Security Council regime",
    "UnilateralHumanRightsRegime": "unilateral human-rights regime",
    "UnilateralCounterTerrorismRegime": "unilateral counter-terrorism regime",
    "DomesticProscription": "domestic proscription",
    "OtherSanctionsRegime": "another or unstated regime",
}
LOOKBACK_WORDS = {
    "established_gross": "an established gross violation with no remediation recorded",
    "alleged_gross": "an alleged gross violation",
    "not_gross": "this finding",
    "remediated": "a remediated finding",
    "links": "this link",
}


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per rule, subject link and incident: the strongest, then the shortest path."""
    best: dict[tuple[str, str, str], Finding] = {}
    for finding in findings:
        anchor = finding.evidence[0].relation if finding.evidence else ""
        if finding.via_succession and len(finding.evidence) > 1:
            anchor += "|" + finding.evidence[1].relation
        if finding.rule == "absorption" and len(finding.evidence) > 2:
            anchor += "|" + finding.evidence[1].relation
        key = (finding.rule, anchor, finding.incidents[0].iri if finding.incidents else "")
        current = best.get(key)
        if current is None or _strength(finding) > _strength(current):
            best[key] = finding
    return list(best.values())


def _strength(finding: Finding) -> tuple[int, int, int, int]:
    return (SEVERITY_RANK[finding.severity], int(finding.certain), -len(finding.evidence), _confidence_rank(finding.confidence))


def _sort_date(finding: Finding) -> str:
    return finding.incidents[0].date or "" if finding.incidents else ""


def _outcome(findings: list[Finding]) -> str:
    if any(f.severity == "high" for f in findings):
        return "flag"
    if any(f.severity == "medium" for f in findings):
        return "review"
    return "clear"


# -- words ---------------------------------------------------------------------------------


def _incident_words(finding: Finding) -> str:
    incident = finding.incidents[0]
    when = incident.date or "date unknown"
    if incident.end and incident.end != incident.date:
        when += f" – {incident.end}"
    confidence = f", {incident.confidence} confidence" if incident.confidence else ""
    return f"{incident.label} ({when}; {incident.status}{confidence})"


def _period_words(evidence: Evidence) -> str:
    start = evidence.start or "start unknown"
    end = evidence.end or ("ongoing" if evidence.ongoing else "end unknown")
    return f"{start} – {end}"


def _summary(ctx: Context, draft: Draft, finding: Finding) -> str:
    """One sentence that says what links the subject to what, and when."""
    subject = ctx.facts.label(ctx.subject)
    ev = finding.evidence
    if draft.rule == "direct":
        if ev[0].type == "JudicialOutcome":
            recorded = " and is recorded as its perpetrator" if len(ev) > 1 else ""
            return f"{subject} was convicted for {_incident_words(finding)}{recorded}."
        return f"{subject} is recorded as perpetrator of {_incident_words(finding)}."
    if draft.context == "failure_to_punish":
        return (
            f"{subject} took command of {ev[0].target_label} on {ev[0].start}, after {_incident_words(finding)}, "
            f"recorded against that unit; no accountability for it is recorded (context: not command responsibility)."
        )
    if draft.rule == "command":
        post = ev[0]
        levels = int(draft.summary_parts.get("levels", "0"))
        below = f"; {finding.incidents[0].perpetrator_label}, {levels} level(s) below it then," if levels else ", which"
        return (
            f"{subject} {post.label} {post.target_label} ({_period_words(post)}){below} "
            f"is recorded as perpetrator of {_incident_words(finding)}."
        )
    if draft.rule == "hierarchy":
        levels = draft.summary_parts.get("levels", "1")
        where = "below" if draft.summary_parts.get("branch") == "down" else "above"
        return (
            f"{finding.incidents[0].perpetrator_label} was {levels} level(s) {where} {subject} in the chain of command "
            f"at the time of {_incident_words(finding)}, of which it is a recorded perpetrator."
        )
    if draft.rule == "membership":
        return f"{subject} was a member of {ev[0].target_label} ({_period_words(ev[0])}) during {_incident_words(finding)}, recorded against it."
    if draft.rule == "absorption":
        kind = draft.summary_parts.get("kind")
        if kind in ("integration", "succession"):
            via = f" through {ev[0].note.split('via ', 1)[1].split(';')[0]}" if "via " in ev[0].note else ""
            return (
                f"{subject} {ev[0].label} {ev[0].target_label} on {draft.summary_parts.get('since')}{via}, "
                f"a recorded perpetrator of {_incident_words(finding)} before then."
            )
        person = ev[0].source_label
        if len(ev) == 2:
            return f"{person}, who {ev[0].label} {subject}, is a recorded perpetrator of {_incident_words(finding)}."
        return (
            f"{person}, who {ev[0].label} {subject}, {ev[1].label} {ev[1].target_label} ({_period_words(ev[1])}) "
            f"during {_incident_words(finding)}, recorded against that group."
        )
    if draft.rule == "sanctions":
        listing = ev[-1]
        listed = f"listed by {listing.target_label} since {listing.start or 'an unknown date'} ({REGIME_WORDS.get(draft.summary_parts.get('regime', ''))})"
        delisted = next((n for n in draft.notes if n.startswith("delisted on")), "")
        if delisted:
            listed += f", {delisted}"
        elif listing.end:
            listed += f", delisted {listing.end}"
        elif not listing.ongoing:
            listed += f", {finding.current_basis.split('; ')[-1] if finding.current_basis else 'end unknown'}"
        if len(ev) == 1:
            return f"{subject} is {listed}."
        return f"{ev[0].source_label}, who {ev[0].label} {subject} ({_period_words(ev[0])}), is {listed}."
    # risk
    extra = f"; the network is listed by {ev[1].target_label}" if len(ev) > 1 else ""
    return f"{subject} {ev[0].label} {ev[0].target_label} ({_period_words(ev[0])}), an illicit network: a risk, not perpetration{extra}."


def _warnings(dataset: Dataset) -> list[str]:
    derived = {INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH}
    if not any(g.value in derived for g in dataset.graphs):
        return ["the derived links are missing, so hierarchy and command findings may be missed (run `actorgraph reason`)"]
    return []


def _reason(result: FindingSet, policy: Policy, warnings: list[str]) -> str:
    """The outcome in one sentence."""
    findings = result.findings
    tail = f" (warning: {'; '.join(warnings)})" if warnings else ""
    if not findings:
        return (
            f"Clear under policy {policy.name}: no perpetration, command, hierarchy, membership, absorption, sanctions or "
            f"risk link of {result.subject_label} was found as of {result.date}{tail}."
        )
    top = findings[0]
    others = len(findings) - 1
    more = f", plus {others} other finding(s)" if others else ""
    mitigated = any(f.mitigations for f in findings if f.severity == top.severity)
    mitigation = "; mitigation is recorded and shown with the findings" if mitigated else ""
    statement = top.summary.rstrip(".")
    if result.outcome == "flag":
        return f"Flag under policy {policy.name}: {statement}{more}{mitigation}{tail}."
    if result.outcome == "review":
        why = top.severity_basis or "review"
        return f"Review under policy {policy.name}: no finding meets the flag criteria, but {statement} ({why}){more}{tail}."
    return (
        f"Clear under policy {policy.name}: the {len(findings)} finding(s) lie outside the {policy.lookback_years}-year "
        f"lookback window (the most recent: {statement}){tail}."
    )


__all__ = ["NotVettable", "ProgramParticipant", "ProgramVetting", "vet", "vet_program"]
