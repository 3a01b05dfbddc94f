"""The vetting contract (graph.vetting.model) as JSON: a finding set, and a program's vetting.

The keys and their meaning are graph.vetting.model's; these models only declare them for OpenAPI and
check every answer against them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from api.web.models.base import Contract

Outcome = Literal["clear", "review", "flag"]
Severity = Literal["low", "medium", "high"]


class VettingSource(Contract):
    title: str
    url: str | None
    publisher: str | None
    issued: str | None = Field(description="dcterms:issued as the source gives it: a year, a month or a day")


class Evidence(Contract):
    """One relation node on the path from the subject to what it is linked to."""

    relation: str = Field(description="IRI of the relation node")
    type: str
    label: str = Field(description="what the node says, in words: 'commanded', 'was subordinate to'")
    from_: str = Field(alias="from")
    from_label: str
    to: str
    to_label: str
    start: str | None
    end: str | None
    start_precision: str
    end_precision: str
    ongoing: bool
    confidence: str | None
    status: str | None
    sources: list[VettingSource]
    note: str


class IncidentRef(Contract):
    iri: str
    label: str
    date: str | None
    end: str | None
    types: list[str]
    status: str = Field(description="alleged or established")
    perpetrator: str
    perpetrator_label: str
    confidence: str | None
    start_precision: str = Field("day", description="year or month when the source gave `date` only to that (2010 is stored as 2010-01-01); day otherwise")
    end_precision: str = Field("day", description="year or month when the source gave `end` only to that; day otherwise")


class Mitigation(Contract):
    """A recorded remedy: shown beside the finding, never used to hide it."""

    relation: str
    kind: str = Field(description="JudicialOutcome, Disbandment or Reform")
    text: str
    date: str | None
    remedial: bool
    date_precision: str = Field("day", description="year or month when the source gave `date` only to that (an indictment in March 2022 is stored as 2022-03-01); day otherwise")


class Finding(Contract):
    rule: str = Field(description="direct, command, hierarchy, membership, absorption, sanctions or risk")
    severity: Severity
    severity_basis: str
    current: bool = Field(description="true only when the link is known to continue on the vetting date")
    current_basis: str
    summary: str
    confidence: str | None = Field(description="the weakest link's")
    certain: bool = Field(description="false when the dates only allow the link")
    time: list[str] = Field(description="the time reasoning, in words")
    incidents: list[IncidentRef]
    evidence: list[Evidence]
    mitigation: list[str]
    mitigations: list[Mitigation]
    current_reading: str = Field(description="ongoing, until, ended, end_unknown, end_uncertain or perpetration")
    state: str = Field(description="current, former, end unknown or end uncertain")
    gross_violation: bool | None
    via_succession: dict[str, str] | None = Field(description="from, from_label, kind, relation, since: the predecessor it came from")
    context: str = Field(description="failure_to_punish, or empty")
    regime_type: str | None


class SetAside(Contract):
    """A candidate considered and set aside, with why."""

    iri: str
    label: str
    reason: str


class FindingSet(Contract):
    subject: str
    subject_label: str
    subject_kind: str
    date: str
    outcome: Outcome
    reason: str
    policy: dict[str, Any] = Field(description="the policy settings applied")
    counts: dict[Severity, int] = Field(description="findings by severity")
    findings: list[Finding]
    as_known_on: str | None = Field(description="the knowledge date, or null")
    set_aside: list[SetAside]


class Vetting(FindingSet):
    """GET and POST /vetting/{id}: the finding set, and the run it was recorded as."""

    run: str | None = Field(description="IRI of the recorded run; null when viewing (GET)")


class VettedParticipant(Contract):
    iri: str
    label: str
    roles: list[str]
    periods: list[str]
    vetting: FindingSet


class ProgramVetting(Contract):
    program: str
    label: str
    date: str
    policy: dict[str, Any]
    counts: dict[Outcome, int] = Field(description="participants by outcome")
    participants: list[VettedParticipant]
    recorded: bool = Field(description="true when each participant's run was recorded (POST)")
