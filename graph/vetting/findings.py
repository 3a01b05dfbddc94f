"""Drafts of the rules turned into findings: severity under the policy, the evidence path with every
relation node's dates, confidence and sources, mitigation shown beside the finding (never used to
hide it), duplicates merged, and the outcome of a set of findings."""

from __future__ import annotations

from collections.abc import Iterable

from graph.index.names import local_name
from graph.vetting.dates import Overlap, lookback_start, on_date, partial
from graph.vetting.drafts import Context, Draft, Step
from graph.vetting.model import Evidence, Finding, IncidentRef, Mitigation
from graph.vetting.node_facts import MitigationRow
from graph.vetting.policy import CONFIDENCES
from graph.vetting.wording import LOOKBACK_WORDS, REGIME_WORDS, finding_summary

SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}


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
    # as precisely as recorded: an indictment given to the month is "in 2022-03", never a day
    start = row.period.start
    when = partial(start, row.period.start_precision) if start else "date unknown"
    on = on_date(start, row.period.start_precision) if start else f"on {when}"
    about = f" ({', '.join(facts.incident(i).label for i in row.about)})" if row.about else ""
    if row.kind == "JudicialOutcome":
        outcome = local_name(row.outcome or "Indicted").lower()
        court = f" by {facts.label(row.court)}" if row.court else ""
        text = f"{who} {outcome}{court} {on}{about}"
        remedial = outcome == "convicted"
    elif row.kind == "Remediation":
        accountable = ", ".join(facts.label(a) for a in row.accountable) or "nobody named"
        steps = "; ".join(row.steps) or "steps not recorded"
        text = f"remediation for {who}{about} {on}: held accountable {accountable}; steps: {steps}"
        remedial = True
    else:
        verb = "disbanded" if row.kind == "Disbandment" else "reformed"
        program = f" under {facts.label(row.program)}" if row.program else ""
        text = f"{who} {verb}{program}, {row.period.describe() if row.period.end else 'from ' + when}"
        remedial = True
    date = row.period.start.isoformat() if row.period.start else None
    return Mitigation(row.relation, row.kind, text, date, remedial, date_precision=row.period.start_precision)


def _remediated(draft: Draft, mitigations: list[Mitigation]) -> bool:
    """Accountability for the incident is recorded: a conviction for it, or a remediation naming it
    (a reform or disbandment alone restores nothing under Leahy)."""
    return bool(draft.incident) and any(m.remedial and m.kind in ("JudicialOutcome", "Remediation") for m in mitigations)


def _is_gross(ctx: Context, incident: str) -> bool:
    types = ctx.facts.incident(incident).type_iris
    if ctx.policy.gross_violation_types:
        return any(local_name(t) in ctx.policy.gross_violation_types for t in types)
    return any(t in ctx.facts.gross_types() for t in types)


def to_finding(ctx: Context, draft: Draft) -> Finding:
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
                start_precision=period.start_precision,
                end_precision=period.end_precision,
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
    finding.summary = finding_summary(ctx, draft, finding)
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


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
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


def sort_date(finding: Finding) -> str:
    return finding.incidents[0].date or "" if finding.incidents else ""


def outcome_of(findings: list[Finding]) -> str:
    if any(f.severity == "high" for f in findings):
        return "flag"
    if any(f.severity == "medium" for f in findings):
        return "review"
    return "clear"
