"""The audit trail of vetting: every run, as a PROV activity in its own named graph.

A vetting outcome is only defensible later if one can say who asked, when, about whom, under which
policy, on which data, and what came out. Each run is written to the named graph
https://w3id.org/actorgraph/graph/audit as

    <run> a prov:Activity, ag:VettingRun ;
        prov:startedAtTime / prov:endedAtTime ;
        prov:wasAssociatedWith <agent> ;                 # the API key (id, label, role) or "cli"
        ag:vettedSubject <subject> ; ag:vettingDate "YYYY-MM-DD"^^xsd:date ;
        ag:vettingPolicy "{json}" ; ag:policyDigest "..." ;
        prov:used <data graph> ... ;                     # the data version: graphs read ...
        prov:wasInformedBy <import activity> ... ;       # ... and the import that filled each
        ag:dataVersion "{json}" ; ag:dataVersionDigest "..." ;
        ag:outcome "flag" ; ag:reason "..." ;
        ag:findingsDigest "..." ; ag:findingsSummary "{json}" ; ag:findingCount n ;
        ag:runContext "api" | "cli" | "program <iri>" | "screening" | "case <id>" | "cli case <id>" .

The graph is never registered as a data graph, so it is in no query dataset: readers (and the
SPARQL endpoint) never see it; analysts and admins read it through GET /vetting/runs, which reads
this graph directly. Because the data version and a compact summary of the findings are kept with
each run, a rerun after new data arrives can say what changed (`diff`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graph.ingest import registry
from graph.query.sparql import Dataset
from graph.store import GraphStore, rdf
from graph.vetting.model import FindingSet
from ontology.namespaces import AG, ID, PROV, RDF, RDFS, XSD
from ontology.namespaces import AUDIT_GRAPH as AUDIT_GRAPH_IRI
from queries import catalog

AUDIT_GRAPH = rdf.NamedNode(AUDIT_GRAPH_IRI)
RUN_NS = ID + "vetting-run/"
AGENT_NS = ID + "agent/"
_TYPE = rdf.NamedNode(RDF + "type")


def _ag(local: str) -> rdf.NamedNode:
    return rdf.NamedNode(AG + local)


def _prov(local: str) -> rdf.NamedNode:
    return rdf.NamedNode(PROV + local)


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Agent:
    """Who ran a vetting: an API key (its id and label, never the secret) or the command line."""

    id: str
    label: str
    role: str

    @property
    def iri(self) -> rdf.NamedNode:
        return rdf.NamedNode(AGENT_NS + ("cli" if self.id == "cli" else f"key/{self.id}"))


CLI_AGENT = Agent("cli", "command line", "admin")


@dataclass(frozen=True)
class DataVersion:
    """The import records in force for the graphs a run read: (graph IRI, import activity IRI)."""

    imports: tuple[tuple[str, str], ...]

    @property
    def digest(self) -> str:
        return _digest(list(self.imports))

    def as_list(self) -> list[dict[str, str]]:
        return [{"graph": g, "import": a} for g, a in self.imports]


def data_version(store: GraphStore, dataset: Dataset) -> DataVersion:
    """The newest import activity of every graph in `dataset`, from the registry (meta graph)."""
    visible = {g.value for g in dataset.graphs}
    imports = sorted({(info.graph.value, info.activity) for info in registry.registered_graphs(store) if info.graph.value in visible})
    return DataVersion(tuple(imports))


def finding_summary(result: FindingSet) -> list[dict[str, Any]]:
    """What a later run is compared with: each finding's identity, rule, severity and currency."""
    return sorted(
        (
            {"key": f.key, "rule": f.rule, "severity": f.severity, "current": f.current, "summary": f.summary}
            for f in result.findings
        ),
        key=lambda item: item["key"],
    )


@dataclass
class RunRecord:
    iri: str
    started: str
    ended: str
    agent_id: str
    agent_label: str
    agent_role: str
    subject: str
    subject_label: str
    date: str
    policy: dict[str, Any]
    policy_digest: str
    data_version: list[dict[str, str]]
    data_version_digest: str
    outcome: str
    reason: str
    findings_digest: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    context: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.iri,
            "started": self.started,
            "ended": self.ended,
            "agent": {"id": self.agent_id, "label": self.agent_label, "role": self.agent_role},
            "subject": self.subject,
            "subject_label": self.subject_label,
            "date": self.date,
            "policy": self.policy,
            "policy_digest": self.policy_digest,
            "data_version": self.data_version,
            "data_version_digest": self.data_version_digest,
            "outcome": self.outcome,
            "reason": self.reason,
            "findings_digest": self.findings_digest,
            "findings": self.findings,
            "context": self.context,
        }


def _timestamp(value: datetime) -> rdf.Literal:
    return rdf.Literal(value.isoformat(timespec="microseconds"), datatype=rdf.NamedNode(XSD + "dateTime"))


def _text(value: str) -> rdf.Literal:
    return rdf.Literal(value)


def _run_quads(record: RunRecord, agent: Agent, started: datetime, ended: datetime) -> list[rdf.Quad]:
    run = rdf.NamedNode(record.iri)
    triples: list[tuple[rdf.NamedNode, rdf.NamedNode, rdf.NamedNode | rdf.Literal]] = [
        (run, _TYPE, _prov("Activity")),
        (run, _TYPE, _ag("VettingRun")),
        (run, rdf.NamedNode(RDFS + "label"), _text(f"Vetting of {record.subject_label} as of {record.date}")),
        (run, _prov("startedAtTime"), _timestamp(started)),
        (run, _prov("endedAtTime"), _timestamp(ended)),
        (run, _prov("wasAssociatedWith"), agent.iri),
        (agent.iri, _TYPE, _prov("Agent")),
        (agent.iri, rdf.NamedNode(RDFS + "label"), _text(agent.label)),
        (agent.iri, _ag("agentId"), _text(agent.id)),
        (agent.iri, _ag("role"), _text(agent.role)),
        (run, _ag("vettedSubject"), rdf.NamedNode(record.subject)),
        (run, _ag("subjectLabel"), _text(record.subject_label)),
        (run, _ag("vettingDate"), rdf.Literal(record.date, datatype=rdf.NamedNode(XSD + "date"))),
        (run, _ag("vettingPolicy"), _text(json.dumps(record.policy, sort_keys=True))),
        (run, _ag("policyDigest"), _text(record.policy_digest)),
        (run, _ag("dataVersion"), _text(json.dumps(record.data_version))),
        (run, _ag("dataVersionDigest"), _text(record.data_version_digest)),
        (run, _ag("outcome"), _text(record.outcome)),
        (run, _ag("reason"), _text(record.reason)),
        (run, _ag("findingsDigest"), _text(record.findings_digest)),
        (run, _ag("findingsSummary"), _text(json.dumps(record.findings, ensure_ascii=False))),
        (run, _ag("findingCount"), rdf.Literal(str(len(record.findings)), datatype=rdf.NamedNode(XSD + "integer"))),
        (run, _ag("runContext"), _text(record.context)),
    ]
    for item in record.data_version:
        triples.append((run, _prov("used"), rdf.NamedNode(item["graph"])))
        triples.append((run, _prov("wasInformedBy"), rdf.NamedNode(item["import"])))
    return [rdf.Quad(s, p, o, AUDIT_GRAPH) for s, p, o in triples]


def prepare(result: FindingSet, *, agent: Agent, version: DataVersion, started: datetime, ended: datetime | None = None,
            context: str = "") -> tuple[RunRecord, list[rdf.Quad]]:
    """The record of one run and the quads that store it (write them with `write`)."""
    ended = ended or datetime.now(UTC)
    summary = finding_summary(result)
    record = RunRecord(
        iri=f"{RUN_NS}{uuid.uuid4()}",
        started=started.isoformat(timespec="microseconds"),
        ended=ended.isoformat(timespec="microseconds"),
        agent_id=agent.id,
        agent_label=agent.label,
        agent_role=agent.role,
        subject=result.subject,
        subject_label=result.subject_label,
        date=result.date,
        policy=result.policy,
        policy_digest=_digest(result.policy),
        data_version=version.as_list(),
        data_version_digest=version.digest,
        outcome=result.outcome,
        reason=result.reason,
        findings_digest=_digest(summary),
        findings=summary,
        context=context,
    )
    return record, _run_quads(record, agent, started, ended)


def write(store: GraphStore, quads: Iterable[rdf.Quad]) -> None:
    """Add the quads of one or many runs in one transaction (all of a run, or nothing).

    No flush per run: the transaction is committed to the store's write-ahead log, and a flush
    (an fsync) per vetting would cost far more than the vetting itself; the server
    and the command line flush when they stop, as for every other write."""
    store.add(list(quads))


def record(store: GraphStore, result: FindingSet, *, agent: Agent, version: DataVersion, started: datetime,
           context: str = "") -> RunRecord:
    """Record one run and return its record."""
    run, quads = prepare(result, agent=agent, version=version, started=started, context=context)
    write(store, quads)
    return run


def list_runs(store: GraphStore, subject: str | None = None, limit: int = 50) -> list[RunRecord]:
    """Runs, newest first; only those about `subject` when it is given."""
    bound = {"subject": rdf.NamedNode(subject)} if subject else None
    rows = store.select(catalog.text("vetting/runs"), bindings=bound, default_graph=[AUDIT_GRAPH])
    runs = []
    for row in rows:
        def text(name: str, row: rdf.Row = row) -> str:
            term = row[name]
            return "" if term is None else term.value

        runs.append(
            RunRecord(
                iri=text("run"),
                started=text("started"),
                ended=text("ended"),
                agent_id=text("agentId"),
                agent_label=text("agentLabel"),
                agent_role=text("agentRole"),
                subject=text("subject"),
                subject_label=text("subjectLabel"),
                date=text("date"),
                policy=json.loads(text("policy") or "{}"),
                policy_digest=text("policyDigest"),
                data_version=json.loads(text("dataVersion") or "[]"),
                data_version_digest=text("dataVersionDigest"),
                outcome=text("outcome"),
                reason=text("reason"),
                findings_digest=text("findingsDigest"),
                findings=json.loads(text("findings") or "[]"),
                context=text("context"),
            )
        )
    runs.sort(key=lambda r: r.started, reverse=True)
    return runs[:limit]


def compare_findings(older: Sequence[dict[str, Any]], newer: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Findings added, removed, and changed in severity or currency, between two finding summaries
    (`finding_summary`); findings are matched by their identity (`key`)."""
    old_findings = {f["key"]: f for f in older}
    new_findings = {f["key"]: f for f in newer}
    changed = [
        {"key": key, "summary": new_findings[key]["summary"], "from": old_findings[key]["severity"], "to": new_findings[key]["severity"]}
        for key in sorted(old_findings.keys() & new_findings.keys())
        if old_findings[key]["severity"] != new_findings[key]["severity"] or old_findings[key]["current"] != new_findings[key]["current"]
    ]
    return {
        "findings_added": [new_findings[k] for k in sorted(new_findings.keys() - old_findings.keys())],
        "findings_removed": [old_findings[k] for k in sorted(old_findings.keys() - new_findings.keys())],
        "findings_changed": changed,
    }


def diff(older: RunRecord, newer: RunRecord) -> dict[str, Any]:
    """What changed between two runs about the same subject: outcome, data, policy, findings."""
    old_imports = {(d["graph"], d["import"]) for d in older.data_version}
    new_imports = {(d["graph"], d["import"]) for d in newer.data_version}
    return {
        "older": older.iri,
        "newer": newer.iri,
        "outcome": {"from": older.outcome, "to": newer.outcome, "changed": older.outcome != newer.outcome},
        "date": {"from": older.date, "to": newer.date},
        "policy_changed": older.policy_digest != newer.policy_digest,
        "data_changed": older.data_version_digest != newer.data_version_digest,
        "imports_added": [{"graph": g, "import": a} for g, a in sorted(new_imports - old_imports)],
        "imports_removed": [{"graph": g, "import": a} for g, a in sorted(old_imports - new_imports)],
        **compare_findings(older.findings, newer.findings),
        "findings_digest_changed": older.findings_digest != newer.findings_digest,
    }


def latest_diff(runs: Sequence[RunRecord]) -> dict[str, Any] | None:
    """The diff between the last two runs of a list sorted newest first, if there are two."""
    return diff(runs[1], runs[0]) if len(runs) >= 2 else None
