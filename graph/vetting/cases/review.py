"""Where each vetting case stands today: in force, awaiting sign-off, expired, superseded, or in
need of re-vetting because new data changed the engine's result.

Status, by precedence (the first that applies):

- `superseded`: a newer case about the same subject exists; that one speaks for the subject now;
- `expired`: the day is on or after the case's `expires` day (a decision of 2025-06-01 under the
  default 12 months is in force through 2026-05-31 and expired from 2026-06-01);
- `needs-re-vetting`: the engine, run again now over the same subject, vetting date and policy on
  all the data there is, gives another result than the one the decision rests on: another
  outcome, or findings added, removed, or changed in severity or currency; or the subject is gone;
- `awaiting-sign-off`: no second reviewer has signed it off yet;
- `in-force`: signed off, not expired, and the engine's result is unchanged.

The re-run uses the case's own vetting date and policy, and no knowledge date, so that what it
reports is what *new data* changed, not the passing of time or another policy. It is not recorded
in the audit trail: looking at a case is not a vetting run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.index.identifiers import UnknownSubject
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.vetting import audit
from graph.vetting.cases.records import Case, CaseError, moment
from graph.vetting.engine import NotVettable, vet
from graph.vetting.facts import Facts
from graph.vetting.model import FindingSet
from graph.vetting.policy import PolicyError, policy_from_dict

STATUSES = ("needs-re-vetting", "awaiting-sign-off", "in-force", "expired", "superseded")


def parse_status(value: str | None) -> str | None:
    """A status filter as given (hyphens or underscores, any case), or CaseError naming `status`."""
    if value is None or not value.strip():
        return None
    wanted = value.strip().lower().replace("_", "-").replace(" ", "-")
    if wanted not in STATUSES:
        raise CaseError("status", f"{value!r} is not one of {', '.join(STATUSES)}")
    return wanted


@dataclass
class Change:
    """What the engine says now, against what the decision rests on."""

    outcome_from: str
    outcome_to: str | None
    reason: str
    findings: dict[str, list[dict[str, Any]]]
    data_changed: bool
    error: str | None = None  # the subject can no longer be vetted: gone, or no longer a person or organization

    @property
    def changed(self) -> bool:
        return self.error is not None or self.outcome_from != self.outcome_to or any(self.findings.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "changed": self.changed,
            "outcome": {"from": self.outcome_from, "to": self.outcome_to, "changed": self.outcome_from != self.outcome_to},
            "reason": self.reason,
            **self.findings,
            "data_changed": self.data_changed,
            "error": self.error,
        }


@dataclass
class CaseView:
    """A case with its status on a day and, unless expired or superseded, the engine's check."""

    case: Case
    status: str
    on: str
    superseded_by: str | None = None
    change: Change | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.case.as_dict(),
            "status": self.status,
            "status_on": self.on,
            "signed_off": self.case.signed_off_by is not None,
            "expired": self.on >= self.case.expires,
            "needs_re_vetting": self.change is not None and self.change.changed,
            "superseded_by": self.superseded_by,
            "changes": None if self.change is None else self.change.as_dict(),
        }


def status_of(case: Case, on: date, *, superseded_by: str | None = None, change: Change | None = None) -> str:
    """The case's status on `on` (see the module's docstring for the precedence)."""
    if superseded_by:
        return "superseded"
    if on >= date.fromisoformat(case.expires):
        return "expired"
    if change is not None and change.changed:
        return "needs-re-vetting"
    if case.signed_off_by is None:
        return "awaiting-sign-off"
    return "in-force"


def _compare(case: Case, result: FindingSet, version: audit.DataVersion) -> Change:
    return Change(
        outcome_from=case.outcome,
        outcome_to=result.outcome,
        reason=result.reason,
        findings=audit.compare_findings(case.findings, audit.finding_summary(result)),
        data_changed=version.digest != case.data_version_digest,
    )


def recheck(store: GraphStore, dataset: Dataset, case: Case, *, show_restricted: bool = True, budget: float | None = None,
            version: audit.DataVersion | None = None, facts: Facts | None = None) -> Change:
    """Run the engine again for the case's subject, vetting date and policy, on all data now.
    `facts` may be shared between cases: it holds no policy, only what the store says."""
    version = version or audit.data_version(store, dataset)
    try:
        policy = policy_from_dict(case.policy)
    except (PolicyError, TypeError) as error:
        return Change(case.outcome, None, "", {}, version.digest != case.data_version_digest,
                      error=f"the case's policy can no longer be applied: {error}")
    facts = facts or Facts(store, dataset, show_restricted=show_restricted, budget=budget)
    try:
        result = vet(store, dataset, case.subject, on=date.fromisoformat(case.date), policy=policy, facts=facts)
    except (UnknownSubject, NotVettable) as error:
        return Change(case.outcome, None, "", {}, version.digest != case.data_version_digest,
                      error=f"the subject can no longer be vetted: {error}")
    return _compare(case, result, version)


def review(store: GraphStore, dataset: Dataset, cases: list[Case], *, on: date, show_restricted: bool = True,
           budget: float | None = None, superseding: list[Case] | None = None) -> list[CaseView]:
    """The status of each case on `on`. A case is superseded by the newest case about its subject
    (among `superseding`, by default `cases` themselves); only the cases that still stand are run
    through the engine again, sharing one fact cache (commanders, incidents and sources common to
    several subjects are read once) and one time budget."""
    newest: dict[str, Case] = {}
    for other in superseding if superseding is not None else cases:
        if other.subject not in newest or moment(other.decided_at) > moment(newest[other.subject].decided_at):
            newest[other.subject] = other
    version = audit.data_version(store, dataset)
    facts = Facts(store, dataset, show_restricted=show_restricted, budget=budget)
    views = []
    for case in cases:
        latest = newest.get(case.subject)
        superseded_by = latest.id if latest is not None and moment(latest.decided_at) > moment(case.decided_at) else None
        change = None
        if superseded_by is None and on < date.fromisoformat(case.expires):
            change = recheck(store, dataset, case, version=version, facts=facts)
        views.append(CaseView(case, status_of(case, on, superseded_by=superseded_by, change=change), on.isoformat(),
                              superseded_by, change))
    return views
