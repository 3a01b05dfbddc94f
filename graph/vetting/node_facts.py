"""The facts read about one node (its period, confidence and status) and the records built from them:
relation and incident details, subordination edges, mitigations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph.vetting.dates import Period, parse_date, parse_flag, parse_precision
from graph.vetting.model import SourceRef
from ontology.namespaces import AG

CONFIDENCE_NAMES = {AG + "LowConfidence": "low", AG + "MediumConfidence": "medium", AG + "HighConfidence": "high"}
STATUS_NAMES = {AG + "Alleged": "alleged", AG + "Established": "established"}


@dataclass(frozen=True)
class NodeFacts:
    """What the time checks need about a relation node or an incident."""

    period: Period
    confidence: str | None
    status: str | None


@dataclass(frozen=True)
class RelationDetails:
    iri: str
    type: str
    facts: NodeFacts
    note: str | None
    facets: dict[str, str]
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class IncidentDetails:
    iri: str
    label: str
    facts: NodeFacts
    types: tuple[str, ...]
    type_iris: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edge:
    """One dated subordination node: `child` was below `parent` during `period`."""

    relation: str
    child: str
    parent: str
    period: Period
    confidence: str | None


@dataclass(frozen=True)
class MitigationRow:
    relation: str
    kind: str  # JudicialOutcome | Disbandment | Reform | Remediation
    concerned: str | None
    about: tuple[str, ...]  # the incidents it names
    outcome: str | None
    court: str | None
    program: str | None
    period: Period
    accountable: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()


MITIGATION_KINDS = ("JudicialOutcome", "Disbandment", "Reform", "Remediation")


def add_value(props: dict[str, list[str]], predicate: str, value: str) -> None:
    values = props.setdefault(predicate, [])
    if value not in values:
        values.append(value)


def first_value(props: Mapping[str, list[str]], predicate: str) -> str | None:
    values = props.get(predicate)
    return values[0] if values else None


def node_facts(props: Mapping[str, list[str]]) -> NodeFacts:
    """Dates, precision, ongoing flag, confidence and status from a node's properties."""
    period = Period(
        start=parse_date(first_value(props, AG + "startDate")),
        end=parse_date(first_value(props, AG + "endDate")),
        start_precision=parse_precision(first_value(props, AG + "startPrecision")),
        end_precision=parse_precision(first_value(props, AG + "endPrecision")),
        ongoing=parse_flag(first_value(props, AG + "ongoing")),
    )
    confidence = CONFIDENCE_NAMES.get(first_value(props, AG + "confidence") or "")
    status = STATUS_NAMES.get(first_value(props, AG + "status") or "")
    return NodeFacts(period, confidence, status)
