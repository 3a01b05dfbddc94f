"""The words of a vetting: each finding's one-sentence summary, and the reason given for the outcome."""

from __future__ import annotations

from graph.query.sparql import Dataset
from graph.vetting.dates import as_given, on_date, parse_date
from graph.vetting.drafts import Context, Draft
from graph.vetting.model import Evidence, Finding, FindingSet
from graph.vetting.policy import Policy
from ontology.namespaces import INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH

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


def _incident_words(finding: Finding) -> str:
    incident = finding.incidents[0]
    start = as_given(incident.date, incident.start_precision)
    end = as_given(incident.end, incident.end_precision)
    when = start or "date unknown"
    if end and end != start:
        when += f" – {end}"
    confidence = f", {incident.confidence} confidence" if incident.confidence else ""
    return f"{incident.label} ({when}; {incident.status}{confidence})"


def _period_words(evidence: Evidence) -> str:
    start = as_given(evidence.start, evidence.start_precision) or "start unknown"
    end = as_given(evidence.end, evidence.end_precision) or ("ongoing" if evidence.ongoing else "end unknown")
    return f"{start} – {end}"


def _on(evidence: Evidence) -> str:
    """"on 2019-06-01", or "in 2019" for a start given only to the year."""
    start = parse_date(evidence.start) if evidence.start else None
    return on_date(start, evidence.start_precision) if start else "on an unknown date"


def finding_summary(ctx: Context, draft: Draft, finding: Finding) -> str:
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
            f"{subject} took command of {ev[0].target_label} {_on(ev[0])}, after {_incident_words(finding)}, "
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
        distance = draft.summary_parts.get("levels", "1")
        where = "below" if draft.summary_parts.get("branch") == "down" else "above"
        return (
            f"{finding.incidents[0].perpetrator_label} was {distance} level(s) {where} {subject} in the chain of command "
            f"at the time of {_incident_words(finding)}, of which it is a recorded perpetrator."
        )
    if draft.rule == "membership":
        return f"{subject} was a member of {ev[0].target_label} ({_period_words(ev[0])}) during {_incident_words(finding)}, recorded against it."
    if draft.rule == "absorption":
        kind = draft.summary_parts.get("kind")
        if kind in ("integration", "succession"):
            via = f" through {ev[0].note.split('via ', 1)[1].split(';')[0]}" if "via " in ev[0].note else ""
            return (
                f"{subject} {ev[0].label} {ev[0].target_label} {draft.summary_parts.get('when')}{via}, "
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
        listed = f"listed by {listing.target_label} since {as_given(listing.start, listing.start_precision) or 'an unknown date'} ({REGIME_WORDS.get(draft.summary_parts.get('regime', ''))})"
        delisted = next((n for n in draft.notes if n.startswith("delisted ")), "")
        if delisted:
            listed += f", {delisted}"
            if finding.current_reading == "end_uncertain":  # a delisting given to the month or year
                listed += f", so it may have ended before {ctx.day.isoformat()}"
        elif listing.end:
            listed += f", delisted {as_given(listing.end, listing.end_precision)}"
        elif not listing.ongoing:
            listed += f", {finding.current_basis.split('; ')[-1] if finding.current_basis else 'end unknown'}"
        if len(ev) == 1:
            return f"{subject} is {listed}."
        return f"{ev[0].source_label}, who {ev[0].label} {subject} ({_period_words(ev[0])}), is {listed}."
    # risk
    extra = f"; the network is listed by {ev[1].target_label}" if len(ev) > 1 else ""
    return f"{subject} {ev[0].label} {ev[0].target_label} ({_period_words(ev[0])}), an illicit network: a risk, not perpetration{extra}."


def dataset_warnings(dataset: Dataset) -> list[str]:
    derived = {INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH}
    if not any(g.value in derived for g in dataset.graphs):
        return ["the derived links are missing, so hierarchy and command findings may be missed (run `actorgraph reason`)"]
    return []


def outcome_reason(result: FindingSet, policy: Policy, warnings: list[str]) -> str:
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
