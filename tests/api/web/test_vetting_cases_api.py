"""Vetting cases over HTTP, on the real app and a real store with the demo data: who may read and
decide, the case resource, the second reviewer's key, the status filter (expiry edges, re-vetting
after a real data change), and errors that name the field and write nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from api.web.views import prose
from graph.access import keys
from graph.ingest import derivation, loader, setup
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource
from graph.store import EmbeddedStore, open_store
from graph.vetting import audit
from graph.vetting.cases.records import CASES_GRAPH, add_months
from ontology.namespaces import FICTIONAL

UNIT, PERSON = FICTIONAL + "unit/", FICTIONAL + "person/"
NEW_RAID = f"""
@prefix ag: <https://w3id.org/actorgraph/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix prov: <http://www.w3.org/ns/prov#> .
<{FICTIONAL}incident/new-raid> a ag:Incident ; rdfs:label "Highland raid (fictional)" ;
    ag:startDate "2020-05-02"^^xsd:date ; ag:endDate "2020-05-02"^^xsd:date .
<{FICTIONAL}relation/perp-new-raid> a ag:Perpetration ; ag:perpetrator <{UNIT}bn-72> ;
    ag:incident <{FICTIONAL}incident/new-raid> ; ag:status ag:Alleged ; ag:confidence ag:MediumConfidence ;
    prov:wasDerivedFrom <{FICTIONAL}source/vtc-final-report-2022> .
"""


@pytest.fixture
def store() -> EmbeddedStore:
    built = open_store(None)
    setup.init_store(built, demo=True)
    return built


@pytest.fixture
def tokens(store: EmbeddedStore) -> dict[str, str]:
    made = {role: keys.create_key(store, role, f"{role} key").token for role in ("reader", "analyst", "admin")}
    made["second"] = keys.create_key(store, "analyst", "second reviewer").token
    return made


@pytest.fixture
def client(store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=store))


def auth(tokens: dict[str, str], who: str = "analyst") -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[who]}"}


def key_id(token: str) -> str:
    return token.split("_")[1]


def create(client: TestClient, tokens: dict[str, str], **fields: Any) -> Any:
    body = {"subject": "unit/bn-72", "date": "2025-06-01", "decision": "deny",
            "justification": "Established perpetration of the Karst Hollow massacre; no remediation of the unit recorded.", **fields}
    return client.post("/vetting/cases", json=body, headers=auth(tokens))


def test_cases_need_an_analyst_key(client: TestClient, tokens: dict[str, str]) -> None:
    case_id = create(client, tokens).json()["id"]
    routes = [("get", "/vetting/cases"), ("get", f"/vetting/cases/{case_id}"), ("post", "/vetting/cases"),
              ("post", f"/vetting/cases/{case_id}/sign-off")]
    for method, url in routes:
        assert client.request(method, url, json={}).status_code in (401, 403), url
        refused = client.request(method, url, json={}, headers=auth(tokens, "reader"))
        assert refused.status_code == 403 and "analyst" in refused.json()["detail"], url
    assert client.get("/vetting/cases/" + case_id, headers={"Authorization": "Bearer ag_000000000000_" + "x" * 43}).status_code == 401


def test_create_records_the_decision_on_the_engine_result(client: TestClient, tokens: dict[str, str], store: EmbeddedStore) -> None:
    runs_before = len(audit.list_runs(store, UNIT + "bn-72"))
    response = create(client, tokens, decision="approve_with_conditions", conditions="No assistance to the 2nd Company.",
                      policy={"decision_valid_months": 6})
    assert response.status_code == 201, response.text
    case = response.json()
    assert response.headers["location"] == f"/vetting/cases/{case['id']}"
    assert (case["subject"], case["date"], case["decision"]) == (UNIT + "bn-72", "2025-06-01", "approve_with_conditions")
    assert case["conditions"] == "No assistance to the 2nd Company." and case["justification"].startswith("Established")
    assert case["decided_by"] == {"id": key_id(tokens["analyst"]), "label": "analyst key", "role": "analyst"}
    assert case["engine"]["outcome"] == "flag" and case["engine"]["policy"]["decision_valid_months"] == 6
    decided = date.fromisoformat(case["decided_at"][:10])
    assert case["expires"] == add_months(decided, 6).isoformat()  # the request's policy sets the validity
    assert (case["status"], case["signed_off"], case["sign_off"], case["needs_re_vetting"]) == ("awaiting-sign-off", False, None, False)
    runs = audit.list_runs(store, UNIT + "bn-72")
    assert len(runs) == runs_before + 1 and runs[0].iri == case["engine"]["run"] and runs[0].context == f"case {case['id']}"
    shown = client.get(f"/vetting/cases/{case['id']}", headers=auth(tokens)).json()
    assert {k: v for k, v in shown.items() if k != "status_on"} == {k: v for k, v in case.items() if k != "status_on"}


def test_sign_off_must_come_from_a_different_key(client: TestClient, tokens: dict[str, str]) -> None:
    case_id = create(client, tokens).json()["id"]
    same = client.post(f"/vetting/cases/{case_id}/sign-off", json={"note": "fine"}, headers=auth(tokens))
    assert same.status_code == 403 and "different API key" in same.json()["detail"]
    assert client.get(f"/vetting/cases/{case_id}", headers=auth(tokens)).json()["sign_off"] is None
    signed = client.post(f"/vetting/cases/{case_id}/sign-off", json={"note": "Sources checked."}, headers=auth(tokens, "second"))
    assert signed.status_code == 200, signed.text
    body = signed.json()
    assert body["sign_off"]["by"] == {"id": key_id(tokens["second"]), "label": "second reviewer", "role": "analyst"}
    assert body["sign_off"]["note"] == "Sources checked." and body["status"] == "in-force" and body["signed_off"] is True
    again = client.post(f"/vetting/cases/{case_id}/sign-off", headers=auth(tokens, "admin"))
    assert again.status_code == 409 and "already signed off by second reviewer" in again.json()["detail"]
    unknown = client.post("/vetting/cases/0123456789ab/sign-off", headers=auth(tokens, "second"))
    assert unknown.status_code == 404 and unknown.json()["detail"].startswith("case_id: ")
    assert client.post(f"/vetting/cases/{case_id}/sign-off", json={"notes": "x"}, headers=auth(tokens, "second")).status_code == 422


@pytest.mark.parametrize(("fields", "status", "text"), [
    ({"decision": "maybe"}, 422, "decision: 'maybe' is not one of approve, approve_with_conditions, deny, suspend"),
    ({"decision": None}, 422, "decision: "),
    ({"decision": "approve_with_conditions"}, 422, "conditions: required for approve_with_conditions"),
    ({"conditions": "only on Sundays"}, 422, "conditions: only approve_with_conditions carries conditions"),
    ({"justification": ""}, 422, "justification: required"),
    ({"justifcation": "typo"}, 422, "justifcation: unknown field"),
    ({"subject": ""}, 422, "subject: required"),
    ({"subject": "unit/no-such-unit"}, 404, "subject: no subject named 'unit/no-such-unit'"),
    ({"subject": "program/vsspp"}, 422, "subject: "),
    ({"date": "2025-02-30"}, 422, "date: '2025-02-30' is not a date"),
    ({"as_known_on": "yesterday"}, 422, "as_known_on: "),
    ({"expires": "2100-01-01"}, 422, "expires: 2100-01-01 is past the policy's validity of 12 month(s)"),
    ({"policy": {"decision_valid_months": 0}}, 422, "policy: policy key 'decision_valid_months' must be an integer from 1 to 60"),
    ({"policy": {"lookback": 3}}, 422, "policy: unknown policy key(s): lookback"),
])
def test_bad_requests_name_the_field_and_write_nothing(client: TestClient, tokens: dict[str, str], store: EmbeddedStore, fields: dict[str, Any], status: int, text: str) -> None:
    audit_size = store.graph_size(audit.AUDIT_GRAPH)
    response = create(client, tokens, **fields)
    assert response.status_code == status and text in response.json()["detail"], response.text
    assert store.graph_size(CASES_GRAPH) == 0 and store.graph_size(audit.AUDIT_GRAPH) == audit_size


def test_malformed_bodies(client: TestClient, tokens: dict[str, str], store: EmbeddedStore) -> None:
    headers = {**auth(tokens), "Content-Type": "application/json"}
    assert client.post("/vetting/cases", content=b"{not json", headers=headers).status_code == 400
    deep = client.post("/vetting/cases", content=b"[" * 20_000, headers={**auth(tokens), "Content-Type": "text/plain"})
    assert deep.status_code == 400 and "nests arrays or objects more than" in deep.json()["detail"]
    assert "JSON object" in client.post("/vetting/cases", content=b"[1, 2]", headers=headers).json()["detail"]
    assert client.post("/vetting/cases", content=b"", headers=headers).status_code == 422
    surrogate = client.post("/vetting/cases", content=b'{"subject": "unit/bn-72", "decision": "deny", "justification": "a\\ud800"}', headers=headers)
    assert surrogate.status_code == 422 and surrogate.json()["detail"] == "justification: not valid text at character 2"
    big = client.post("/vetting/cases", content=b'{"justification": "' + b"x" * 70_000 + b'"}', headers=headers)
    assert big.status_code == 413 and big.json()["detail"].startswith("body: ")
    assert store.graph_size(CASES_GRAPH) == 0


def add_graph(store: EmbeddedStore, name: str, turtle: str) -> None:
    source = RdfSource.from_bytes(f"{name}.ttl", turtle.encode(), format_named("turtle"))
    loader.load_sources(store, [source], graph=name, trusted=True)
    derivation.reason(store)


def test_status_filter_re_vetting_after_new_data_and_expiry_edges(client: TestClient, tokens: dict[str, str], store: EmbeddedStore) -> None:
    mirela = create(client, tokens, subject="person/mirela-quorrin", decision="approve", justification="No record found.").json()
    ripu = create(client, tokens, subject="unit/ripu").json()
    for case in (mirela, ripu):
        assert client.post(f"/vetting/cases/{case['id']}/sign-off", headers=auth(tokens, "second")).status_code == 200
    listed = client.get("/vetting/cases", headers=auth(tokens)).json()
    assert listed["counts"]["in-force"] == 2 and listed["counts"]["needs-re-vetting"] == 0
    assert client.get("/vetting/cases?status=needs-re-vetting", headers=auth(tokens)).json()["cases"] == []

    add_graph(store, "new-report", NEW_RAID)  # Mirela commanded bn-72 on the day of this new raid

    flagged = client.get("/vetting/cases?status=needs_re_vetting", headers=auth(tokens)).json()
    assert flagged["status"] == "needs-re-vetting" and [c["id"] for c in flagged["cases"]] == [mirela["id"]]
    change = flagged["cases"][0]["changes"]
    assert change["outcome"] == {"from": "clear", "to": "flag", "changed": True} and change["data_changed"] is True
    assert [f["rule"] for f in change["findings_added"]] == ["command"] and "Highland raid" in change["findings_added"][0]["summary"]
    assert [c["id"] for c in client.get("/vetting/cases?status=in-force", headers=auth(tokens)).json()["cases"]] == [ripu["id"]]
    one = client.get(f"/vetting/cases/{mirela['id']}", headers=auth(tokens)).json()
    assert one["status"] == "needs-re-vetting" and one["changes"]["outcome"]["to"] == "flag"
    by_subject = client.get("/vetting/cases?subject=person/mirela-quorrin", headers=auth(tokens)).json()
    assert by_subject["subject"] == PERSON + "mirela-quorrin" and [c["id"] for c in by_subject["cases"]] == [mirela["id"]]

    expires = date.fromisoformat(mirela["expires"])
    day_before = date.fromordinal(expires.toordinal() - 1).isoformat()
    day_after = date.fromordinal(expires.toordinal() + 1).isoformat()
    assert client.get(f"/vetting/cases/{mirela['id']}?on={day_before}", headers=auth(tokens)).json()["status"] == "needs-re-vetting"
    for day in (expires.isoformat(), day_after):
        expired = client.get(f"/vetting/cases?status=expired&on={day}", headers=auth(tokens)).json()
        assert {c["id"] for c in expired["cases"]} == {mirela["id"], ripu["id"]}, day
        assert all(c["changes"] is None and c["expired"] for c in expired["cases"])

    # A new case about the subject supersedes the old one, which then leaves the re-vetting list.
    redo = create(client, tokens, subject="person/mirela-quorrin", decision="suspend", justification="New allegation under review.").json()
    assert redo["engine"]["outcome"] == "flag" and redo["status"] == "awaiting-sign-off"
    assert client.get(f"/vetting/cases/{mirela['id']}", headers=auth(tokens)).json()["superseded_by"] == redo["id"]
    assert client.get("/vetting/cases?status=needs-re-vetting", headers=auth(tokens)).json()["cases"] == []


def test_list_and_show_errors(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.get("/vetting/cases?status=open", headers=auth(tokens)).json()["detail"].startswith("status: 'open' is not one of")
    assert client.get("/vetting/cases?on=2025-13-01", headers=auth(tokens)).json()["detail"].startswith("on: ")
    missing = client.get("/vetting/cases/0123456789ab", headers=auth(tokens))
    assert missing.status_code == 404 and "no vetting case" in missing.json()["detail"]
    assert client.get("/vetting/cases/not-an-id", headers=auth(tokens)).status_code == 404
    # /vetting/cases is the case list, never a subject called "cases".
    assert client.get("/vetting/cases", headers=auth(tokens)).json()["cases"] == []


def test_cases_are_out_of_reach_of_sparql(client: TestClient, tokens: dict[str, str], store: EmbeddedStore) -> None:
    create(client, tokens)
    assert store.graph_size(CASES_GRAPH) > 0
    for who in ("analyst", "admin"):
        answer = client.post("/sparql", content=f"ASK {{ GRAPH <{CASES_GRAPH.value}> {{ ?s ?p ?o }} }}",
                             headers={**auth(tokens, who), "Content-Type": "application/sparql-query",
                                      "Accept": "application/sparql-results+json"})
        assert answer.json()["boolean"] is False


def test_the_cases_page_renders_its_forms_and_no_case_data(client: TestClient, tokens: dict[str, str]) -> None:
    create(client, tokens, subject="unit/bde-7")
    hostile = '"><script>alert(1)</script>'
    page = client.get("/pages/vetting/cases", params={"status": "expired", "subject": hostile, "date": "2025-06-01"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<form id="case-form"' in html and '<form id="case-filter"' in html and "/static/vetting_cases.js" in html
    for value in ("approve", "approve_with_conditions", "deny", "suspend"):
        assert f'<option value="{value}">' in html
    assert '<option value="expired" selected>' in html and 'value="2025-06-01"' in html
    assert "<script>alert(1)" not in html and "&#34;&gt;&lt;script&gt;" in html
    # The page is a form around the API: no case, subject label or decision is rendered on the server.
    assert "7th Mountain Brigade" not in html and "Established perpetration" not in html
    assert '<option value="bogus" selected>' not in client.get("/pages/vetting/cases?status=bogus").text
    # The report page offers an explicit run and a decision for the subject it shows.
    report = client.get("/pages/vetting/report?subject=unit/bde-7&date=2025-06-01").text
    assert 'data-role="record-run"' in report and "/pages/vetting/cases?subject=unit/bde-7&amp;date=2025-06-01" in report


def test_printable_case_record_escapes_and_is_complete(client: TestClient, tokens: dict[str, str], store: EmbeddedStore) -> None:
    hostile = '<script>alert("owned")</script>'
    case = create(client, tokens, decision="approve_with_conditions", conditions=f"Only {hostile} units",
                  justification=f"Because {hostile}").json()
    client.post(f"/vetting/cases/{case['id']}/sign-off", json={"note": "<img src=x onerror=alert(1)>"}, headers=auth(tokens, "second"))
    for response in (client.get(f"/vetting/cases/{case['id']}?format=html", headers=auth(tokens)),
                     client.get(f"/vetting/cases/{case['id']}", headers={**auth(tokens), "Accept": "text/html"})):
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        page = response.text
        assert hostile not in page and "<img src=x" not in page
        assert "Because &lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in page
        for expected in (f"Vetting case {case['id']}: 72nd Mountain Battalion (Veldoria)", 'data-status="in-force"',
                         "approve with conditions", 'class="outcome flag"', "Karst Hollow", case["engine"]["run"],
                         "second reviewer (key", "analyst key (key", prose.day(case["expires"]), "@media print",
                         prose.day(case["date"]), 'data-origin="fictional"',
                         f'<details class="iri"><summary>Identifier (IRI)</summary><code>{case["subject"]}</code></details>'):
            assert expected in page, expected
        assert f'<code class="iri">{case["subject"]}' not in page  # the subject's IRI only in its fold
    assert client.get(f"/vetting/cases/{case['id']}?format=pdf", headers=auth(tokens)).json()["detail"].startswith("format: ")
    assert client.get(f"/vetting/cases/{case['id']}?format=html", headers=auth(tokens, "reader")).status_code == 403


@pytest.mark.parametrize("field", ["subject", "date", "as_known_on", "decision", "conditions", "justification", "expires", "policy"])
def test_any_json_value_in_any_field_is_answered_without_a_server_error(client: TestClient, tokens: dict[str, str], field: str) -> None:
    for value in (None, 0, -1, 1.5, 1e308, True, [], ["deny"], {}, {"a": 1}, "", "\u0000", "x" * 5000, "2025-06-01"):
        response = create(client, tokens, **{field: value})
        assert response.status_code < 500, (field, value, response.text)
        if response.status_code >= 400:
            assert response.json()["detail"].startswith((f"{field}: ", "conditions: ", "subject: ")), (field, value, response.text)
    sign_off = client.post("/vetting/cases/0123456789ab/sign-off", json={"note": {"a": [1]}}, headers=auth(tokens, "second"))
    assert sign_off.status_code in (404, 422)
