"""Vetting cases: the human decision on a subject, kept beside the engine's advice it rests on.

The engine advises and people decide. A case records, in the named graph
https://w3id.org/actorgraph/graph/vetting-cases:

    <case> a ag:VettingCase ; dcterms:identifier "3f9a1c0b7d2e" ;
        ag:vettedSubject <subject> ; ag:subjectLabel "..." ; ag:vettingDate "YYYY-MM-DD"^^xsd:date ;
        ag:asKnownOn "YYYY-MM-DD"^^xsd:date ;                # when the run used only what was knowable then
        ag:outcome "flag" ; ag:reason "..." ; ag:findingsSummary "{json}" ; ag:findingsDigest "..." ;
        ag:vettingPolicy "{json}" ; ag:policyDigest "..." ; ag:dataVersion "{json}" ; ag:dataVersionDigest "..." ;
        ag:basedOnRun <audit run> ;                          # the explicit run recorded with the case
        ag:vettingDecision ag:ApproveWithConditions ; ag:conditions "..." ; ag:justification "..." ;
        ag:decidedBy <agent> ; ag:decidedAt "..."^^xsd:dateTime ; ag:expires "YYYY-MM-DD"^^xsd:date ;
        ag:signedOffBy <agent> ; ag:signedOffAt "..."^^xsd:dateTime ; ag:signOffNote "..." .

The engine's result is stored as it was (outcome, reason, each finding's identity, severity and
currency), not recomputed, because a decision must be judged against what the vetter saw; the
policy and the data version say what produced it. The graph is a system graph: no query dataset
includes it and no update or Graph Store request reaches it, so cases change only here, and a
case, once decided, changes only by its sign-off. Status and re-vetting are in
graph.vetting.cases.review; the record and the checks on a request in graph.vetting.cases.model.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, date, datetime

from graph.query.sparql import Dataset
from graph.store import GraphStore, rdf
from graph.vetting import audit
from graph.vetting.cases.model import (
    CASE_NS,
    DECISIONS,
    MAX_TEXT,
    Case,
    CaseConflict,
    CaseError,
    CaseNotFound,
    SameReviewer,
    add_months,
    check_decision,
    clean_text,
    expiry,
    moment,
)
from graph.vetting.engine import vet
from graph.vetting.facts import Facts
from graph.vetting.policy import Policy
from ontology.namespaces import AG, DCTERMS, RDF, RDFS, XSD
from ontology.namespaces import VETTING_CASES_GRAPH as CASES_GRAPH_IRI
from queries import catalog

CASES_GRAPH = rdf.NamedNode(CASES_GRAPH_IRI)
_DECISION_OF_CONCEPT = {AG + local: name for name, local in DECISIONS.items()}
_TYPE = rdf.NamedNode(RDF + "type")


def _ag(local: str) -> rdf.NamedNode:
    return rdf.NamedNode(AG + local)


def _date_literal(value: str) -> rdf.Literal:
    return rdf.Literal(value, datatype=rdf.NamedNode(XSD + "date"))


def _iso(value: datetime) -> str:
    """UTC, to the microsecond, in the canonical xsd:dateTime form the store gives back (no
    trailing zeros, Z), so that a case reads the same whether it was just created or read again."""
    text = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f").rstrip("0").rstrip(".")
    return text + "Z"


def _timestamp(value: datetime) -> rdf.Literal:
    return rdf.Literal(_iso(value), datatype=rdf.NamedNode(XSD + "dateTime"))


# -- writing --------------------------------------------------------------------------------


def _agent_quads(agent: audit.Agent) -> list[tuple[rdf.NamedNode, rdf.NamedNode, rdf.NamedNode | rdf.Literal]]:
    return [
        (agent.iri, _TYPE, rdf.NamedNode("http://www.w3.org/ns/prov#Agent")),
        (agent.iri, rdf.NamedNode(RDFS + "label"), rdf.Literal(agent.label)),
        (agent.iri, _ag("agentId"), rdf.Literal(agent.id)),
        (agent.iri, _ag("role"), rdf.Literal(agent.role)),
    ]


def _case_quads(case: Case, decided_at: datetime) -> list[rdf.Quad]:
    node = rdf.NamedNode(case.iri)
    triples: list[tuple[rdf.NamedNode, rdf.NamedNode, rdf.NamedNode | rdf.Literal]] = [
        (node, _TYPE, _ag("VettingCase")),
        (node, rdf.NamedNode(DCTERMS + "identifier"), rdf.Literal(case.id)),
        (node, rdf.NamedNode(RDFS + "label"), rdf.Literal(f"Vetting case: {case.subject_label} as of {case.date}")),
        (node, _ag("vettedSubject"), rdf.NamedNode(case.subject)),
        (node, _ag("subjectLabel"), rdf.Literal(case.subject_label)),
        (node, _ag("vettingDate"), _date_literal(case.date)),
        (node, _ag("outcome"), rdf.Literal(case.outcome)),
        (node, _ag("reason"), rdf.Literal(case.reason)),
        (node, _ag("findingsSummary"), rdf.Literal(json.dumps(case.findings, ensure_ascii=False))),
        (node, _ag("findingsDigest"), rdf.Literal(case.findings_digest)),
        (node, _ag("vettingPolicy"), rdf.Literal(json.dumps(case.policy, sort_keys=True))),
        (node, _ag("policyDigest"), rdf.Literal(case.policy_digest)),
        (node, _ag("dataVersion"), rdf.Literal(json.dumps(case.data_version))),
        (node, _ag("dataVersionDigest"), rdf.Literal(case.data_version_digest)),
        (node, _ag("vettingDecision"), _ag(DECISIONS[case.decision])),
        (node, _ag("justification"), rdf.Literal(case.justification)),
        (node, _ag("decidedBy"), case.decided_by.iri),
        (node, _ag("decidedAt"), _timestamp(decided_at)),
        (node, _ag("expires"), _date_literal(case.expires)),
        *_agent_quads(case.decided_by),
    ]
    if case.as_known_on:
        triples.append((node, _ag("asKnownOn"), _date_literal(case.as_known_on)))
    if case.run:
        triples.append((node, _ag("basedOnRun"), rdf.NamedNode(case.run)))
    if case.conditions:
        triples.append((node, _ag("conditions"), rdf.Literal(case.conditions)))
    return [rdf.Quad(s, p, o, CASES_GRAPH) for s, p, o in triples]


def create(
    store: GraphStore,
    dataset: Dataset,
    subject: str,
    *,
    agent: audit.Agent,
    decision: object,
    justification: object,
    conditions: object = None,
    expires: object = None,
    on: date,
    policy: Policy,
    as_known_on: date | None = None,
    show_restricted: bool = True,
    budget: float | None = None,
    now: datetime | None = None,
    context: str = "case",
) -> Case:
    """Vet `subject` now (an explicit run, recorded in the audit trail) and record the decision
    taken on that result. Every value is checked before anything runs or is written; the run and
    the case land in one transaction, the run's context naming the case ("case 3f9a1c0b7d2e").
    Raises CaseError, and the engine's UnknownSubject and NotVettable."""
    value, condition_text, reason = check_decision(decision, conditions, justification)
    now = now or datetime.now(UTC)
    expires_on = expiry(now.date(), policy, expires)
    facts = Facts(store, dataset, show_restricted=show_restricted, budget=budget, as_known_on=as_known_on)
    result = vet(store, dataset, subject, on=on, policy=policy, facts=facts)
    version = audit.data_version(store, dataset)
    case_id = secrets.token_hex(6)
    run, run_quads = audit.prepare(result, agent=agent, version=version, started=now, context=f"{context} {case_id}")
    case = Case(
        id=case_id,
        subject=result.subject,
        subject_label=result.subject_label,
        date=result.date,
        as_known_on=result.as_known_on,
        outcome=result.outcome,
        reason=result.reason,
        findings=run.findings,
        findings_digest=run.findings_digest,
        policy=result.policy,
        policy_digest=run.policy_digest,
        data_version=run.data_version,
        data_version_digest=run.data_version_digest,
        run=run.iri,
        decision=value,
        conditions=condition_text,
        justification=reason,
        decided_by=agent,
        decided_at=_iso(now),
        expires=expires_on.isoformat(),
    )
    with store.writing():
        store.add([*run_quads, *_case_quads(case, now)])
        # A decision is taken once, by a person: made durable now (unlike a vetting run, which
        # a rerun reproduces), at the cost of one flush per decision.
        store.flush()
    return case


def sign_off(store: GraphStore, case_id: str, *, agent: audit.Agent, note: object = None, now: datetime | None = None) -> Case:
    """The second reviewer's sign-off. It must come from another key than the decision's, once,
    before the decision expires, on the newest case about the subject. Raises CaseNotFound, SameReviewer, CaseConflict, CaseError."""
    text = clean_text(note, "note", required=False)
    now = now or datetime.now(UTC)
    with store.writing():  # the check and the write are one step: two sign-offs cannot both land
        case = get(store, case_id)
        if case.signed_off_by is not None:
            raise CaseConflict(f"case {case.id} was already signed off by {case.signed_off_by.label} "
                               f"(key {case.signed_off_by.id}) at {case.signed_off_at}")
        if agent.id == case.decided_by.id:
            raise SameReviewer(f"sign-off: the second review must come from a different API key; key {agent.id} "
                               f"({agent.label}) took this decision")
        if now.date() >= date.fromisoformat(case.expires):
            raise CaseConflict(f"case {case.id} expired on {case.expires}: vet the subject again and open a new case")
        newer = [c for c in list_cases(store, subject=case.subject) if moment(c.decided_at) > moment(case.decided_at)]
        if newer:
            raise CaseConflict(f"case {case.id} was superseded by case {newer[0].id} about the same subject: sign that one off")
        node = rdf.NamedNode(case.iri)
        triples: list[tuple[rdf.NamedNode, rdf.NamedNode, rdf.NamedNode | rdf.Literal]] = [
            (node, _ag("signedOffBy"), agent.iri),
            (node, _ag("signedOffAt"), _timestamp(now)),
            *_agent_quads(agent),
        ]
        if text:
            triples.append((node, _ag("signOffNote"), rdf.Literal(text)))
        store.add([rdf.Quad(s, p, o, CASES_GRAPH) for s, p, o in triples])
        store.flush()
    case.signed_off_by, case.signed_off_at, case.sign_off_note = agent, _iso(now), text
    return case


# -- reading --------------------------------------------------------------------------------


def _row_agent(row: rdf.Row, prefix: str) -> audit.Agent | None:
    def text(name: str) -> str:
        term = row[prefix + name]
        return "" if term is None else term.value

    return audit.Agent(text("Id"), text("Label"), text("Role")) if text("Id") else None


def _from_row(row: rdf.Row) -> Case:
    def text(name: str) -> str | None:
        term = row[name]
        return None if term is None else term.value

    decider = _row_agent(row, "decider")
    return Case(
        id=text("id") or "",
        subject=text("subject") or "",
        subject_label=text("subjectLabel") or "",
        date=text("date") or "",
        as_known_on=text("asKnownOn"),
        outcome=text("outcome") or "",
        reason=text("reason") or "",
        findings=json.loads(text("findings") or "[]"),
        findings_digest=text("findingsDigest") or "",
        policy=json.loads(text("policy") or "{}"),
        policy_digest=text("policyDigest") or "",
        data_version=json.loads(text("dataVersion") or "[]"),
        data_version_digest=text("dataVersionDigest") or "",
        run=text("run"),
        decision=_DECISION_OF_CONCEPT.get(text("decision") or "", text("decision") or ""),
        conditions=text("conditions"),
        justification=text("justification") or "",
        decided_by=decider or audit.Agent("", "", ""),
        decided_at=text("decidedAt") or "",
        expires=text("expires") or "",
        signed_off_by=_row_agent(row, "signer"),
        signed_off_at=text("signedOffAt"),
        sign_off_note=text("signOffNote"),
    )


def list_cases(store: GraphStore, *, subject: str | None = None, case_id: str | None = None) -> list[Case]:
    """Cases, newest decision first; those about `subject`, or the one with `case_id`, when given."""
    substitutions: dict[str, rdf.NamedNode] = {}
    if subject:
        substitutions["subject"] = rdf.NamedNode(subject)
    if case_id:
        substitutions["case"] = rdf.NamedNode(CASE_NS + case_id)
    rows = store.select(catalog.text("vetting/cases"), bindings=substitutions or None, default_graph=[CASES_GRAPH],
                       named_graphs=[])
    cases = [_from_row(row) for row in rows]
    cases.sort(key=lambda c: moment(c.decided_at), reverse=True)
    return cases


def get(store: GraphStore, case_id: str) -> Case:
    """The case with this id, or CaseNotFound."""
    wanted = case_id.strip()
    if not wanted or not all(c in "0123456789abcdef" for c in wanted):
        raise CaseNotFound(f"no vetting case with id {case_id!r} (an id is 12 hexadecimal characters)")
    found = list_cases(store, case_id=wanted)
    if not found:
        raise CaseNotFound(f"no vetting case with id {case_id!r}")
    return found[0]


__all__ = ["CASES_GRAPH", "CASE_NS", "DECISIONS", "MAX_TEXT", "Case", "CaseConflict", "CaseError", "CaseNotFound",
           "SameReviewer", "add_months", "check_decision", "create", "expiry", "get", "list_cases", "moment", "sign_off"]
