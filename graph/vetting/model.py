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
`policy` (the settings applied), `counts`, `as_known_on` (the knowledge date, or null) and
`set_aside` (candidates considered and set aside: `iri`, `label`, `reason`); on a finding,
`summary` (one sentence), `confidence` (its weakest link), `severity_basis` (why it is not high),
`time` (the time reasoning in words: "took command on 2019-06-01, 12 days after the incident of
2019-05-20: not during it"), `certain` (false when the link only *may* have held),
`current_basis`, `current_reading` (which reading of the link's end applied: `ongoing`, `until`,
`ended`, `end_unknown`, `end_uncertain`, or `perpetration` for the subject's own), `state`
(`current`, `former`, `end unknown`, `end uncertain`), `gross_violation` (the incident is of a
gross-violation type; null without an incident), `via_succession` (null, or `from`, `from_label`,
`kind`, `relation`, `since` when the finding came from a predecessor), `context`
(`failure_to_punish` for a commander who took over after the incident with no accountability
recorded; empty otherwise), `regime_type` (sanctions) and `mitigations` (structured: `relation`,
`kind`, `text`, `date`, `date_precision`, `remedial`); on an incident, `label`, `end`, `perpetrator`,
`perpetrator_label`, `confidence`, `start_precision` and `end_precision` (of `date` and `end`:
`year` or `month` when the source gave only that, so a `date` of 2010-01-01 at `year` means
"2010"; `day` otherwise); on an evidence item, `label`, `from`, `to`, `from_label`,
`to_label`, `ongoing`, `start_precision`, `end_precision`, `status` and `note`; on a source,
`publisher` and `issued`.

`current` is true only when the link is known to continue on the vetting date (marked ag:ongoing,
or a recorded end after it); a link whose end is unknown is not current, and not former either:
`current_reading` says which.

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
    issued: str | None = None  # dcterms:issued as the source gives it ("2022", "2022-03", "2022-03-14")

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url, "publisher": self.publisher, "issued": self.issued}


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
    start_precision: str = "day"  # of `date`: "year" or "month" when the source gave only that
    end_precision: str = "day"

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
            "start_precision": self.start_precision,
            "end_precision": self.end_precision,
        }


@dataclass(frozen=True)
class Mitigation:
    """A recorded remedy: shown beside the finding, never used to hide it."""

    relation: str
    kind: str  # JudicialOutcome | Disbandment | Reform
    text: str
    date: str | None
    remedial: bool  # a conviction, disbandment or reform; an acquittal or indictment is not (yet)
    date_precision: str = "day"  # of `date`: year or month when the source gave only that

    def as_dict(self) -> dict[str, Any]:
        return {
            "relation": self.relation, "kind": self.kind, "text": self.text, "date": self.date,
            "date_precision": self.date_precision, "remedial": self.remedial,
        }


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
    current_reading: str = ""  # ongoing | until | ended | end_unknown | end_uncertain | perpetration
    gross_violation: bool | None = None  # the incident is of a gross-violation type (None: no incident)
    via_succession: dict[str, str] | None = None  # from whom, by what kind of succession, since when
    context: str = ""  # "failure_to_punish": took command after the incident, no accountability recorded
    regime_type: str | None = None  # sanctions: the listing's ag:regimeType (local name)

    @property
    def state(self) -> str:
        """In words: current, former, end unknown, end uncertain (a perpetration is current)."""
        if self.current:
            return "current"
        return {"end_unknown": "end unknown", "end_uncertain": "end uncertain"}.get(self.current_reading, "former")

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
            "current_reading": self.current_reading,
            "state": self.state,
            "gross_violation": self.gross_violation,
            "via_succession": self.via_succession,
            "context": self.context,
            "regime_type": self.regime_type,
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
    as_known_on: str | None = None  # the knowledge date, when the run used only what was knowable then
    set_aside: list[dict[str, str]] = field(default_factory=list)  # candidates considered and set aside

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
            "as_known_on": self.as_known_on,
            "set_aside": list(self.set_aside),
        }
