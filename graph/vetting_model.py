"""What a vetting run produces: a finding set, and its JSON form, which is a CONTRACT.

Clients (the API, the CLI, exports, other offices' tools) read this JSON, so its keys may be added
to but never renamed or removed. The contract:

```json
{"subject": "IRI", "date": "YYYY-MM-DD", "outcome": "clear|review|flag", "reason": "...",
 "findings": [{"rule": "direct|command|hierarchy|membership|absorption|sanctions|risk",
   "severity": "high|medium|low", "current": true,
   "incidents": [{"iri": "...", "date": "YYYY-MM-DD", "types": ["..."], "status": "alleged|established"}],
   "evidence": [{"relation": "IRI", "type": "...", "start": "...", "end": "...",
                 "confidence": "low|medium|high", "sources": [{"title": "...", "url": "..."}]}],
   "mitigation": ["..."]}]}
```

Fields added beyond the contract (also stable): at the top, `subject_label`, `subject_kind`,
`policy` (the settings applied) and `counts`; on a finding, `summary` (one sentence), `confidence`
(its weakest link), `severity_basis` (why it is not high), `time` (which reading of the dates applied: "start unknown", "ongoing", ...),
`certain` (false when the link only *may* have held), `current_basis` and `mitigations`
(structured); on an incident, `label`, `end`, `perpetrator`, `perpetrator_label` and
`confidence`; on an evidence item, `label`, `from`, `to`, `from_label`, `to_label`, `ongoing`,
`start_precision`, `end_precision`, `status` and `note`; on a source, `publisher`.

Severity: `high` meets the policy's flag criteria, `medium` calls for review, `low` is shown for
completeness only (outside the lookback window). The outcome is `flag` when a finding is high,
`review` when one is medium, `clear` otherwise, and `reason` says why in one sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("low", "medium", "high")


@dataclass(frozen=True)
class SourceRef:
    title: str
    url: str | None = None
    publisher: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url, "publisher": self.publisher}


@dataclass(frozen=True)
class Evidence:
    """One relation node on the path from the subject to what it is linked to."""

    relation: str
    type: str
    label: str  # what the node says, in words: "commanded", "was subordinate to", ...
    source_actor: str
    source_label: str
    target: str
    target_label: str
    start: str | None = None
    end: str | None = None
    start_precision: str = "day"
    end_precision: str = "day"
    ongoing: bool = False
    confidence: str | None = None
    status: str | None = None
    sources: tuple[SourceRef, ...] = ()
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "type": self.type,
            "label": self.label,
            "from": self.source_actor,
            "from_label": self.source_label,
            "to": self.target,
            "to_label": self.target_label,
            "start": self.start,
            "end": self.end,
            "start_precision": self.start_precision,
            "end_precision": self.end_precision,
            "ongoing": self.ongoing,
            "confidence": self.confidence,
            "status": self.status,
            "sources": [s.as_dict() for s in self.sources],
            "note": self.note,
        }


@dataclass(frozen=True)
class IncidentRef:
    iri: str
    label: str
    date: str | None
    end: str | None
    types: tuple[str, ...]
    status: str  # of the perpetration that names the perpetrator: alleged | established
    perpetrator: str
    perpetrator_label: str
    confidence: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "label": self.label,
            "date": self.date,
            "end": self.end,
            "types": list(self.types),
            "status": self.status,
            "perpetrator": self.perpetrator,
            "perpetrator_label": self.perpetrator_label,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Mitigation:
    """A recorded remedy: shown beside the finding, never used to hide it."""

    relation: str
    kind: str  # JudicialOutcome | Disbandment | Reform
    text: str
    date: str | None
    remedial: bool  # a conviction, disbandment or reform; an acquittal or indictment is not (yet)

    def as_dict(self) -> dict[str, Any]:
        return {"relation": self.relation, "kind": self.kind, "text": self.text, "date": self.date, "remedial": self.remedial}


@dataclass
class Finding:
    rule: str
    severity: str
    current: bool
    summary: str
    confidence: str | None
    certain: bool
    incidents: list[IncidentRef] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    time: list[str] = field(default_factory=list)
    current_basis: str = ""
    severity_basis: str = ""  # why the severity is not high, when it is not
    mitigations: list[Mitigation] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Identity across runs (for diffs): the rule, the incident and the relation nodes."""
        parts = [self.rule, *(i.iri for i in self.incidents), *(e.relation for e in self.evidence)]
        return "|".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "severity_basis": self.severity_basis,
            "current": self.current,
            "current_basis": self.current_basis,
            "summary": self.summary,
            "confidence": self.confidence,
            "certain": self.certain,
            "time": list(self.time),
            "incidents": [i.as_dict() for i in self.incidents],
            "evidence": [e.as_dict() for e in self.evidence],
            "mitigation": [m.text for m in self.mitigations],
            "mitigations": [m.as_dict() for m in self.mitigations],
        }


@dataclass
class FindingSet:
    subject: str
    subject_label: str
    subject_kind: str
    date: str
    outcome: str
    reason: str
    policy: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Findings by severity, for program tables and audit digests."""
        out = {severity: 0 for severity in reversed(SEVERITIES)}
        for finding in self.findings:
            out[finding.severity] += 1
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "subject_label": self.subject_label,
            "subject_kind": self.subject_kind,
            "date": self.date,
            "outcome": self.outcome,
            "reason": self.reason,
            "policy": self.policy,
            "counts": self.counts(),
            "findings": [f.as_dict() for f in self.findings],
        }
