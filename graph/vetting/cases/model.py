"""What a vetting case is, and the checks on a request to record one.

The decision values, the case record (graph.vetting.cases.records stores and reads it), the errors that
name the field at fault, and the expiry arithmetic. Kept apart from the store so that the API and
the command line can check a request before anything runs.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from graph.errors import ConflictError, ForbiddenError, InvalidValueError, NotFoundError
from graph.vetting import audit
from graph.vetting.policy import Policy
from ontology.namespaces import ID

CASE_NS = ID + "vetting-case/"
# The decisions a vetter may take, as the API spells them, and their concepts in the ontology.
DECISIONS = {
    "approve": "Approve",
    "approve_with_conditions": "ApproveWithConditions",
    "deny": "Deny",
    "suspend": "Suspend",
}
MAX_TEXT = 10_000  # characters of a justification, conditions or note: a memo, not a file


class CaseError(InvalidValueError, ValueError):
    """A value of a case request is missing or wrong; `field` names it."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


class CaseNotFound(NotFoundError, LookupError):
    """No case has that id."""


class CaseConflict(ConflictError):
    """The case is in a state that refuses this change (already signed off, expired)."""


class SameReviewer(ForbiddenError, CaseConflict):
    """The sign-off came from the key that decided the case: a second review needs a second key."""


def moment(value: str) -> datetime:
    """A stored timestamp as a datetime: the fraction has from 0 to 6 digits, so timestamps are
    compared as times, never as text."""
    return datetime.fromisoformat(value)


def add_months(day: date, months: int) -> date:
    """`day` moved `months` calendar months on; the 31st lands on the month's last day, and
    29 February on 28 February in a common year."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


@dataclass
class Case:
    """One recorded decision, with the engine's result it rests on and its sign-off, if any."""

    id: str
    subject: str
    subject_label: str
    date: str
    outcome: str
    reason: str
    findings: list[dict[str, Any]]
    findings_digest: str
    policy: dict[str, Any]
    policy_digest: str
    data_version: list[dict[str, str]]
    data_version_digest: str
    run: str | None
    decision: str
    conditions: str | None
    justification: str
    decided_by: audit.Agent
    decided_at: str
    expires: str
    as_known_on: str | None = None
    signed_off_by: audit.Agent | None = None
    signed_off_at: str | None = None
    sign_off_note: str | None = None

    @property
    def iri(self) -> str:
        return CASE_NS + self.id

    def as_dict(self) -> dict[str, Any]:
        """The stored record (the case resource adds its status; see graph.vetting.cases.review)."""

        def agent(value: audit.Agent | None) -> dict[str, str] | None:
            return None if value is None else {"id": value.id, "label": value.label, "role": value.role}

        return {
            "id": self.id,
            "case": self.iri,
            "subject": self.subject,
            "subject_label": self.subject_label,
            "date": self.date,
            "as_known_on": self.as_known_on,
            "engine": {
                "outcome": self.outcome,
                "reason": self.reason,
                "findings": self.findings,
                "findings_digest": self.findings_digest,
                "policy": self.policy,
                "policy_digest": self.policy_digest,
                "data_version": self.data_version,
                "data_version_digest": self.data_version_digest,
                "run": self.run,
            },
            "decision": self.decision,
            "conditions": self.conditions,
            "justification": self.justification,
            "decided_by": agent(self.decided_by),
            "decided_at": self.decided_at,
            "expires": self.expires,
            "sign_off": None if self.signed_off_by is None else {
                "by": agent(self.signed_off_by), "at": self.signed_off_at, "note": self.sign_off_note,
            },
        }


# -- checking a request ---------------------------------------------------------------------


def clean_text(value: object, name: str, *, required: bool) -> str | None:
    """A free-text field, trimmed; None when empty and optional; CaseError naming it otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise CaseError(name, "required: say why, in words")
        return None
    if not isinstance(value, str):
        raise CaseError(name, f"must be text, not {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate from JSON: the store keeps only real text
        raise CaseError(name, f"not valid text at character {error.start + 1}") from None
    if len(value) > MAX_TEXT:
        raise CaseError(name, f"at most {MAX_TEXT:,} characters ({len(value):,} given)")
    return value.strip()


def check_decision(decision: object, conditions: object, justification: object) -> tuple[str, str | None, str]:
    """The decision, conditions and justification of a request, or CaseError naming the field.
    Conditions go only with an approval with conditions, which must have them."""
    if not isinstance(decision, str) or decision.strip().lower().replace("-", "_").replace(" ", "_") not in DECISIONS:
        raise CaseError("decision", f"{decision!r} is not one of {', '.join(DECISIONS)}")
    value = decision.strip().lower().replace("-", "_").replace(" ", "_")
    text = clean_text(conditions, "conditions", required=False)
    if value == "approve_with_conditions" and text is None:
        raise CaseError("conditions", "required for approve_with_conditions: state the conditions")
    if value != "approve_with_conditions" and text is not None:
        raise CaseError("conditions", f"only approve_with_conditions carries conditions, not {value}")
    reason = clean_text(justification, "justification", required=True)
    assert reason is not None
    return value, text, reason


def expiry(decided: date, policy: Policy, requested: object = None) -> date:
    """When a decision taken on `decided` expires: the policy's validity, or an earlier day the
    vetter gives (a vetter may shorten a decision's life, never extend it past the policy)."""
    longest = add_months(decided, policy.decision_valid_months)
    if requested is None or requested == "":
        return longest
    if not isinstance(requested, str):
        raise CaseError("expires", "must be a date, YYYY-MM-DD")
    try:
        day = date.fromisoformat(requested)
    except ValueError:
        raise CaseError("expires", f"{requested!r} is not a date (YYYY-MM-DD)") from None
    if day <= decided:
        raise CaseError("expires", f"{day} must be after the day of the decision, {decided}")
    if day > longest:
        raise CaseError("expires", f"{day} is past the policy's validity of {policy.decision_valid_months} month(s): {longest} at the latest")
    return day
