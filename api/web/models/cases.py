"""Vetting cases as JSON (graph.vetting.cases): the decision, the engine's result it rests on, its status."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.web.models.audit import FindingChange, FindingDigest, ImportRef
from api.web.models.base import Agent, Contract, OutcomeChange
from api.web.models.vetting import Outcome


class EngineResult(Contract):
    """The engine's result the decision rests on, as recorded."""

    outcome: Outcome
    reason: str
    findings: list[FindingDigest]
    findings_digest: str
    policy: dict[str, Any]
    policy_digest: str
    data_version: list[ImportRef]
    data_version_digest: str
    run: str | None = Field(description="IRI of the vetting run recorded with the decision")


class SignOff(Contract):
    by: Agent | None
    at: str | None
    note: str | None


class CaseChanges(Contract):
    """What the engine says now, against what the decision rests on."""

    changed: bool
    outcome: OutcomeChange
    reason: str
    findings_added: list[FindingDigest]
    findings_removed: list[FindingDigest]
    findings_changed: list[FindingChange]
    data_changed: bool
    error: str | None = Field(description="why the subject can no longer be vetted, if so")


class Case(Contract):
    id: str
    case: str = Field(description="IRI of the case")
    subject: str
    subject_label: str
    date: str
    as_known_on: str | None
    engine: EngineResult
    decision: str = Field(description="approve, approve_with_conditions or deny")
    conditions: str | None
    justification: str
    decided_by: Agent | None
    decided_at: str
    expires: str
    sign_off: SignOff | None
    status: str = Field(description="needs-re-vetting, awaiting-sign-off, in-force, expired or superseded")
    status_on: str
    signed_off: bool
    expired: bool
    needs_re_vetting: bool
    superseded_by: str | None
    changes: CaseChanges | None = Field(description="null for a case expired or superseded: the engine is not run again")


class CaseList(Contract):
    on: str
    status: str | None
    subject: str | None
    counts: dict[str, int] = Field(description="cases by status")
    cases: list[Case] = Field(description="newest decision first")
