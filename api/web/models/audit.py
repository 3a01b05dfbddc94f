"""The audit trail as JSON: recorded vetting runs, screening lists, and what changed between runs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from api.web.models.base import Agent, Contract, OutcomeChange
from api.web.models.vetting import Outcome


class FindingDigest(Contract):
    """What a later run is compared with: a finding's identity, rule, severity and currency."""

    key: str
    rule: str
    severity: str
    current: bool
    summary: str


class FindingChange(Contract):
    key: str
    summary: str
    from_: str = Field(alias="from")
    to: str


class ImportRef(Contract):
    graph: str
    import_: str = Field(alias="import", description="IRI of the import activity")


class Run(Contract):
    run: str
    started: str
    ended: str
    agent: Agent
    subject: str
    subject_label: str
    date: str
    policy: dict[str, Any]
    policy_digest: str
    data_version: list[ImportRef]
    data_version_digest: str
    outcome: Outcome
    reason: str
    findings_digest: str
    findings: list[FindingDigest]
    context: str


class DayChange(Contract):
    from_: str = Field(alias="from")
    to: str


class RunDiff(Contract):
    older: str
    newer: str
    outcome: OutcomeChange
    date: DayChange
    policy_changed: bool
    data_changed: bool
    imports_added: list[ImportRef]
    imports_removed: list[ImportRef]
    findings_added: list[FindingDigest]
    findings_removed: list[FindingDigest]
    findings_changed: list[FindingChange]
    findings_digest_changed: bool


class Runs(Contract):
    subject: str | None
    runs: list[Run] = Field(description="newest first")
    diff: RunDiff | None = Field(description="what changed between the subject's last two runs")


class Candidate(Contract):
    iri: str
    label: str
    score: float
    matched: str = Field(description="the name that matched")
    reasons: list[str]


class ScreenedRow(Contract):
    row: int
    name: str
    type: str
    country: str
    date_of_birth: str = Field(description="empty when the list gives none")
    unit_id: str = Field(description="empty when the list gives none")
    match: Literal["match", "ambiguous", "none"]
    message: str
    subject: str | None
    subject_label: str | None
    score: float | None
    outcome: Outcome | None
    reason: str
    findings: int
    candidates: list[Candidate]


class Screening(Contract):
    date: str
    policy: dict[str, Any]
    counts: dict[str, int] = Field(description="rows; match, ambiguous, none; flag, review, clear")
    rows: list[ScreenedRow]
