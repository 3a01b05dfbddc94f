"""Vetting cases on a real store with the demo data: what a case records, its expiry (day before,
day of, day after), the second reviewer's sign-off, and re-vetting after a real data change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pyoxigraph as ox
import pytest

from graph.index.identifiers import UnknownSubject
from graph.ingest import derivation, loader, setup
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource
from graph.query import sparql
from graph.store import EmbeddedStore, open_store
from graph.vetting import audit
from graph.vetting.cases import records as cases
from graph.vetting.cases.review import STATUSES, CaseView, parse_status, review, status_of
from graph.vetting.engine import NotVettable
from graph.vetting.policy import DEFAULT_POLICY, PolicyError, policy_from_dict
from ontology.namespaces import FICTIONAL, graph_iri

UNIT, PERSON = FICTIONAL + "unit/", FICTIONAL + "person/"
ALICE = audit.Agent("a11ce0000001", "Alice, vetting desk", "analyst")
BOB = audit.Agent("b0b000000002", "Bob, second reviewer", "analyst")
JUNE_1 = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def store() -> EmbeddedStore:
    built = open_store(None)
    setup.init_store(built, demo=True)
    return built


def decide(store: EmbeddedStore, subject: str, decision: object = "deny", now: datetime = JUNE_1, **kwargs: Any) -> cases.Case:
    values: dict[str, Any] = {"justification": "Established perpetration of the Karst Hollow massacre.", **kwargs}
    return cases.create(store, sparql.dataset_for(store), subject, agent=ALICE, decision=decision, on=date(2025, 6, 1),
                        policy=DEFAULT_POLICY, now=now, **values)


def views(store: EmbeddedStore, on: date) -> dict[str, CaseView]:
    return {v.case.id: v for v in review(store, sparql.dataset_for(store), cases.list_cases(store), on=on)}


def test_a_case_records_the_engine_result_the_decision_and_who_decided(store: EmbeddedStore) -> None:
    runs_before = len(audit.list_runs(store, UNIT + "bn-72"))
    case = decide(store, UNIT + "bn-72", "approve_with_conditions", conditions="No assistance to the 2nd Company.")
    stored = cases.get(store, case.id)
    assert stored.as_dict() == case.as_dict()
    record = stored.as_dict()
    assert (record["subject"], record["subject_label"], record["date"]) == (UNIT + "bn-72", "72nd Mountain Battalion (Veldoria)", "2025-06-01")
    assert record["engine"]["outcome"] == "flag" and record["engine"]["reason"].startswith("Flag under policy default")
    assert {f["rule"] for f in record["engine"]["findings"]} >= {"direct", "hierarchy"}
    assert all(f["key"] and f["severity"] in ("low", "medium", "high") for f in record["engine"]["findings"])
    assert record["engine"]["policy"]["decision_valid_months"] == 12 and record["engine"]["policy_digest"]
    assert any(d["graph"].endswith("/graph/fictional") for d in record["engine"]["data_version"])
    assert (record["decision"], record["conditions"]) == ("approve_with_conditions", "No assistance to the 2nd Company.")
    assert record["decided_by"] == {"id": ALICE.id, "label": ALICE.label, "role": "analyst"}
    assert record["decided_at"].startswith("2025-06-01T09:30:00") and record["sign_off"] is None
    # Creating a case is an explicit run: it is in the audit trail, and the case points at it.
    runs = audit.list_runs(store, UNIT + "bn-72")
    assert len(runs) == runs_before + 1 and runs[0].iri == record["engine"]["run"] and runs[0].agent_id == ALICE.id
    # The cases graph is a system graph: no query dataset reaches it.
    assert cases.CASES_GRAPH not in sparql.dataset_for(store).graphs and store.graph_size(cases.CASES_GRAPH) > 0


def test_knowledge_date_is_kept(store: EmbeddedStore) -> None:
    case = decide(store, UNIT + "efg-coy", as_known_on=date(2009, 12, 31))
    assert cases.get(store, case.id).as_known_on == "2009-12-31"


@pytest.mark.parametrize(("decided", "months", "expires"), [
    (date(2025, 6, 1), 12, date(2026, 6, 1)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),  # a leap day lands on the 28th
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2025, 11, 30), 3, date(2026, 2, 28)),
])
def test_expiry_follows_the_policy(decided: date, months: int, expires: date) -> None:
    policy = policy_from_dict({"decision_valid_months": months})
    assert cases.expiry(decided, policy) == expires


def test_expiry_edges_day_before_of_and_after(store: EmbeddedStore) -> None:
    case = decide(store, UNIT + "bn-72")
    assert case.expires == "2026-06-01"
    cases.sign_off(store, case.id, agent=BOB, now=datetime(2025, 6, 2, tzinfo=UTC))
    assert views(store, date(2026, 5, 31))[case.id].status == "in-force"
    assert views(store, date(2026, 6, 1))[case.id].status == "expired"
    assert views(store, date(2026, 6, 2))[case.id].status == "expired"
    assert views(store, date(2026, 6, 1))[case.id].change is None  # an expired case is not run again


def test_a_shorter_expiry_and_a_policy_validity(store: EmbeddedStore) -> None:
    short = decide(store, UNIT + "bn-72", expires="2025-12-01")
    assert short.expires == "2025-12-01"
    six = cases.create(store, sparql.dataset_for(store), UNIT + "bde-7", agent=ALICE, decision="suspend", justification="Awaiting the inquiry.",
                       on=date(2025, 6, 1), policy=policy_from_dict({"decision_valid_months": 6}), now=JUNE_1)
    assert six.expires == "2025-12-01" and six.policy["decision_valid_months"] == 6
    for value, text in (("2026-06-02", "past the policy's validity"), ("2025-06-01", "must be after"), ("2025-13-01", "not a date")):
        with pytest.raises(cases.CaseError, match=text) as error:
            decide(store, UNIT + "bn-72", expires=value)
        assert error.value.field == "expires"


@pytest.mark.parametrize(("values", "field", "text"), [
    ({"decision": "maybe"}, "decision", "is not one of approve, approve_with_conditions, deny, suspend"),
    ({"decision": None}, "decision", "is not one of"),
    ({"decision": "approve_with_conditions"}, "conditions", "required for approve_with_conditions"),
    ({"decision": "deny", "conditions": "none"}, "conditions", "only approve_with_conditions carries conditions"),
    ({"decision": "approve", "justification": "   "}, "justification", "required"),
    ({"decision": "approve", "justification": 42}, "justification", "must be text"),
    ({"decision": "approve", "justification": "x" * 10_001}, "justification", "at most 10,000 characters"),
])
def test_bad_requests_name_the_field_and_write_nothing(store: EmbeddedStore, values: dict[str, Any], field: str, text: str) -> None:
    audit_size = store.graph_size(audit.AUDIT_GRAPH)
    with pytest.raises(cases.CaseError) as error:
        decide(store, UNIT + "bn-72", **values)
    assert error.value.field == field and text in str(error.value) and str(error.value).startswith(f"{field}: ")
    assert store.graph_size(cases.CASES_GRAPH) == 0 and store.graph_size(audit.AUDIT_GRAPH) == audit_size


def test_decision_spellings_are_forgiving() -> None:
    assert cases.check_decision("Approve with conditions", "x", "y")[0] == "approve_with_conditions"
    assert cases.check_decision("approve-with-conditions", "x", "y")[0] == "approve_with_conditions"


def test_unknown_or_unvettable_subject_writes_nothing(store: EmbeddedStore) -> None:
    with pytest.raises(UnknownSubject):
        decide(store, UNIT + "no-such-unit")
    with pytest.raises(NotVettable):
        decide(store, FICTIONAL + "program/vsspp")
    assert store.graph_size(cases.CASES_GRAPH) == 0


def test_sign_off_needs_a_second_key_once_and_before_expiry(store: EmbeddedStore) -> None:
    case = decide(store, UNIT + "bn-72")
    size = store.graph_size(cases.CASES_GRAPH)
    with pytest.raises(cases.SameReviewer, match="different API key"):
        cases.sign_off(store, case.id, agent=audit.Agent(ALICE.id, "Alice again", "admin"))
    assert store.graph_size(cases.CASES_GRAPH) == size and cases.get(store, case.id).signed_off_by is None
    signed = cases.sign_off(store, case.id, agent=BOB, note="Checked the sources.", now=datetime(2025, 6, 3, tzinfo=UTC))
    again = cases.get(store, case.id)
    assert again.as_dict()["sign_off"] == {"by": {"id": BOB.id, "label": BOB.label, "role": "analyst"},
                                           "at": "2025-06-03T00:00:00Z", "note": "Checked the sources."}
    assert signed.as_dict() == again.as_dict()
    with pytest.raises(cases.CaseConflict, match="already signed off by Bob"):
        cases.sign_off(store, case.id, agent=audit.Agent("c0ffee000003", "Carol", "admin"))
    late = decide(store, UNIT + "bde-7")
    with pytest.raises(cases.CaseConflict, match="expired on 2026-06-01"):
        cases.sign_off(store, late.id, agent=BOB, now=datetime(2026, 6, 1, tzinfo=UTC))
    cases.sign_off(store, late.id, agent=BOB, now=datetime(2026, 5, 31, 23, 59, tzinfo=UTC))
    for bad in ("nope", "", "0" * 12):
        with pytest.raises(cases.CaseNotFound):
            cases.sign_off(store, bad, agent=BOB)


def test_statuses_and_their_filter_names() -> None:
    assert parse_status("needs_re_vetting") == parse_status("Needs-Re-Vetting") == "needs-re-vetting"
    assert parse_status(None) is None and set(STATUSES) == {"needs-re-vetting", "awaiting-sign-off", "in-force", "expired", "superseded"}
    with pytest.raises(cases.CaseError, match="status: 'open' is not one of"):
        parse_status("open")


NEW_RAID = f"""
@prefix ag: <https://w3id.org/actorgraph/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix prov: <http://www.w3.org/ns/prov#> .
<{FICTIONAL}incident/new-raid> a ag:Incident ; rdfs:label "Highland raid (fictional)" ;
    ag:startDate "2020-05-02"^^xsd:date ; ag:endDate "2020-05-02"^^xsd:date .
<{FICTIONAL}relation/perp-new-raid> a ag:Perpetration ; ag:perpetrator <{UNIT}bn-72> ;
    ag:incident <{FICTIONAL}incident/new-raid> ; ag:status ag:Alleged ; ag:confidence ag:MediumConfidence ;
    prov:wasDerivedFrom <{FICTIONAL}source/vtc-final-report-2022> .
"""


def add_graph(store: EmbeddedStore, name: str, turtle: str) -> None:
    source = RdfSource.from_bytes(f"{name}.ttl", turtle.encode(), format_named("turtle"))
    loader.load_sources(store, [source], graph=name, trusted=True)
    derivation.reason(store)


def test_new_data_that_changes_the_result_asks_for_re_vetting(store: EmbeddedStore) -> None:
    mirela = decide(store, PERSON + "mirela-quorrin", "approve", justification="No record found.")
    untouched = decide(store, UNIT + "ripu", "deny")  # nothing about the new raid reaches it
    cases.sign_off(store, mirela.id, agent=BOB, now=JUNE_1)
    cases.sign_off(store, untouched.id, agent=BOB, now=JUNE_1)
    on = date(2025, 7, 1)
    before = views(store, on)
    assert before[mirela.id].status == before[untouched.id].status == "in-force"
    assert before[mirela.id].as_dict()["needs_re_vetting"] is False
    runs = len(audit.list_runs(store, PERSON + "mirela-quorrin"))

    add_graph(store, "new-report", NEW_RAID)  # she commanded bn-72 on the day of the new raid

    after = views(store, on)
    changed = after[mirela.id].as_dict()
    assert changed["status"] == "needs-re-vetting" and changed["needs_re_vetting"] is True
    assert changed["changes"]["outcome"] == {"from": "clear", "to": "flag", "changed": True}
    assert [f["rule"] for f in changed["changes"]["findings_added"]] == ["command"]
    assert "Highland raid" in changed["changes"]["findings_added"][0]["summary"]
    assert changed["changes"]["findings_removed"] == [] and changed["changes"]["data_changed"] is True
    # New data that does not change a subject's result leaves its case in force.
    assert after[untouched.id].status == "in-force" and after[untouched.id].change is not None
    assert after[untouched.id].change.data_changed  # type: ignore[union-attr]
    # Looking at cases is not a vetting run.
    assert len(audit.list_runs(store, PERSON + "mirela-quorrin")) == runs
    # An expired case is listed as expired, not re-vetted, even though its result changed.
    assert views(store, date(2026, 6, 1))[mirela.id].status == "expired"


def test_removed_findings_and_a_vanished_subject_ask_for_re_vetting(store: EmbeddedStore) -> None:
    add_graph(store, "new-report", NEW_RAID)
    mirela = decide(store, PERSON + "mirela-quorrin", "deny")
    store.drop_graph(ox.NamedNode(graph_iri("new-report")))
    derivation.reason(store)
    change = views(store, date(2025, 7, 1))[mirela.id].as_dict()["changes"]
    assert change["outcome"] == {"from": "flag", "to": "clear", "changed": True}
    assert [f["rule"] for f in change["findings_removed"]] == ["command"] and change["findings_added"] == []
    gone = cases.Case(**{**cases.get(store, mirela.id).__dict__, "subject": UNIT + "disbanded-unit"})
    view = review(store, sparql.dataset_for(store), [gone], on=date(2025, 7, 1))[0]
    assert view.status == "needs-re-vetting" and view.change is not None and "no longer be vetted" in (view.change.error or "")


def test_a_newer_case_supersedes_the_older_one(store: EmbeddedStore) -> None:
    first = decide(store, UNIT + "bn-72")
    second = decide(store, UNIT + "bn-72", "suspend", now=datetime(2025, 6, 2, tzinfo=UTC))
    listed = views(store, date(2025, 7, 1))
    assert listed[first.id].status == "superseded" and listed[first.id].superseded_by == second.id
    assert listed[second.id].status == "awaiting-sign-off"
    assert [c.id for c in cases.list_cases(store, subject=UNIT + "bn-72")] == [second.id, first.id]
    with pytest.raises(cases.CaseConflict, match=f"superseded by case {second.id}"):
        cases.sign_off(store, first.id, agent=BOB, now=datetime(2025, 6, 3, tzinfo=UTC))
    assert cases.sign_off(store, second.id, agent=BOB, now=datetime(2025, 6, 3, tzinfo=UTC)).signed_off_by == BOB


def test_status_precedence() -> None:
    case = cases.Case(id="0" * 12, subject="s", subject_label="s", date="2025-06-01", outcome="clear", reason="", findings=[],
                      findings_digest="", policy={}, policy_digest="", data_version=[], data_version_digest="", run=None,
                      decision="approve", conditions=None, justification="j", decided_by=ALICE, decided_at="2025-06-01T00:00:00Z",
                      expires="2026-06-01")
    assert status_of(case, date(2025, 7, 1)) == "awaiting-sign-off"
    assert status_of(case, date(2025, 7, 1), superseded_by="1" * 12) == "superseded"
    assert status_of(case, date(2026, 6, 1)) == "expired"


@pytest.mark.parametrize("value", [0, 61, 12.0, True, "12"])
def test_the_policy_validity_is_checked(value: object) -> None:
    with pytest.raises(PolicyError, match="decision_valid_months"):
        policy_from_dict({"decision_valid_months": value})
    assert policy_from_dict({"decision_valid_months": 60}).decision_valid_months == 60
    assert DEFAULT_POLICY.decision_valid_months == 12 and DEFAULT_POLICY.as_dict()["decision_valid_months"] == 12
