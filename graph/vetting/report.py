"""Plain renderings of vetting results: a readable text report and CSV.

The CLI prints these and the API serves the CSV; the HTML report is a Jinja2 template in
api/web/templates (it needs autoescaping, which belongs to the api layer). Both read the same
FindingSet, so every surface shows the same evidence, sources and mitigation.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from graph.vetting.dates import as_given
from graph.vetting.model import Evidence, Finding, FindingSet

RULE_TITLES = {
    "direct": "Direct perpetration",
    "command": "Command or posting at the time",
    "hierarchy": "Unit hierarchy at the time",
    "membership": "Membership at the time",
    "absorption": "Absorption or succession",
    "sanctions": "Sanctions",
    "risk": "Risk link (illicit economy)",
}


def _period(evidence: Evidence) -> str:
    """Each end as precisely as recorded ("2010 – 2020-06"), never a day nobody gave."""
    start = as_given(evidence.start, evidence.start_precision) or "start unknown"
    end = as_given(evidence.end, evidence.end_precision) or ("ongoing" if evidence.ongoing else "end unknown")
    return start if evidence.start and evidence.start == evidence.end else f"{start} – {end}"


def evidence_line(evidence: Evidence) -> str:
    """'Kasimir Ombrecht commanded Rapid Intervention Police Unit [Command, 2018-01-01 – 2020-12-31, high]'."""
    facts = [evidence.type]
    if evidence.type != "Perpetration":
        facts.append(_period(evidence))
    if evidence.status:
        facts.append(evidence.status)
    facts.append(f"{evidence.confidence or 'no'} confidence")
    return f"{evidence.source_label} {evidence.label} {evidence.target_label} [{', '.join(facts)}]"


def _sources(evidence: Evidence) -> str:
    return "; ".join(f"{s.title}" + (f" <{s.url}>" if s.url else "") for s in evidence.sources)


def text_report(result: FindingSet) -> str:
    """A report a vetter can read in a terminal or paste into a memo."""
    lines = [
        f"Vetting of {result.subject_label}",
        f"  subject  {result.subject}",
        f"  as of    {result.date}",
        (
            f"  policy   {result.policy.get('name')}: {result.policy.get('lookback_years')}-year lookback, minimum confidence "
            f"{result.policy.get('min_confidence')}, hierarchy {result.policy.get('hierarchy_direction')} "
            f"{result.policy.get('hierarchy_depth')} level(s), unknown dates {result.policy.get('unknown_dates')}"
        ),
        *([f"  known on {result.as_known_on} (only statements whose sources were published, or imported, by then)"] if result.as_known_on else []),
        f"  OUTCOME  {result.outcome.upper()}",
        f"  reason   {result.reason}",
        "",
    ]
    if not result.findings:
        lines.append("No findings.")
    for number, finding in enumerate(result.findings, start=1):
        lines.extend(_finding_lines(number, finding))
    if result.set_aside:
        lines += ["", "Considered and set aside (not the subject):"]
        lines += [f"  - {c['label']} <{c['iri']}>: {c['reason']}" for c in result.set_aside]
    return "\n".join(lines).rstrip() + "\n"


def _finding_lines(number: int, finding: Finding) -> list[str]:
    state = finding.state
    certainty = "" if finding.certain else ", dates uncertain"
    lines = [
        (
            f"{number}. [{finding.severity.upper()}] {RULE_TITLES.get(finding.rule, finding.rule)} ({state}{certainty}; "
            f"weakest link: {finding.confidence or 'unrecorded'} confidence)"
        ),
        f"   {finding.summary}",
    ]
    if finding.severity_basis:
        lines.append(f"   why {finding.severity}: {finding.severity_basis}")
    lines.append(f"   current or former: {finding.current_basis}")
    for incident in finding.incidents:
        # as _period does for a link: each date as precisely as recorded ("2010", "2010-04")
        when = as_given(incident.date, incident.start_precision) or "date unknown"
        if incident.end and (incident.end != incident.date or incident.end_precision != incident.start_precision):
            when += f" – {as_given(incident.end, incident.end_precision)}"
        lines.append(f"   incident: {incident.label} ({when}; {', '.join(incident.types) or 'type unknown'}; {incident.status})")
    lines.append("   evidence path:")
    for evidence in finding.evidence:
        lines.append(f"     - {evidence_line(evidence)}")
        if evidence.note:
            lines.append(f"       {evidence.note}")
        for source in evidence.sources:
            lines.append(f"       source: {source.title}" + (f" <{source.url}>" if source.url else ""))
    for mitigation in finding.mitigations:
        lines.append(f"   mitigation: {mitigation.text}")
    lines.append("")
    return lines


FINDING_COLUMNS = (
    "subject", "subject_label", "date", "outcome", "rule", "severity", "severity_basis", "current", "certain",
    "confidence", "summary", "incident", "incident_label", "incident_date", "status", "evidence", "sources", "mitigation",
)


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def findings_csv(results: Iterable[FindingSet]) -> str:
    """One row per finding (one row with empty finding columns for a clear subject)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FINDING_COLUMNS)
    for result in results:
        head = [result.subject, result.subject_label, result.date, result.outcome]
        if not result.findings:
            writer.writerow([safe_cell(v) for v in head] + [""] * (len(FINDING_COLUMNS) - len(head)))
        for finding in result.findings:
            incident = finding.incidents[0] if finding.incidents else None
            row = head + [
                finding.rule,
                finding.severity,
                finding.severity_basis,
                str(finding.current).lower(),
                str(finding.certain).lower(),
                finding.confidence or "",
                finding.summary,
                incident.iri if incident else "",
                incident.label if incident else "",
                as_given(incident.date, incident.start_precision) if incident else "",  # "2015" when given to the year
                incident.status if incident else "",
                " | ".join(evidence_line(e) + f" <{e.relation}>" for e in finding.evidence),
                " | ".join(_sources(e) for e in finding.evidence if e.sources),
                " | ".join(m.text for m in finding.mitigations),
            ]
            writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


