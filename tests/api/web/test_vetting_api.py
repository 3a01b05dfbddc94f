"""Vetting over HTTP and on the command line: the JSON contract, the printable report (which must
escape hostile labels), the program table, screening CSV in and out, and the audit trail recorded
with the caller's key and kept from readers."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.ingest import derivation, loader, setup
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource
from graph.store import EmbeddedStore, open_store
from graph.vetting.audit import AUDIT_GRAPH
from ontology.namespaces import FICTIONAL

UNIT, PERSON = FICTIONAL + "unit/", FICTIONAL + "person/"
EVIL = FICTIONAL + "unit/evil-battalion"
PAYLOAD = '<script>alert("owned")</script>'
PAYLOAD_TTL = PAYLOAD.replace('"', '\\"')  # as a Turtle string
XSS_TTL = f"""
@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<{EVIL}> a ag:MilitaryUnit ; rdfs:label "{PAYLOAD_TTL} Battalion" ; ag:name "Evil Battalion" .
<{FICTIONAL}source/evil> a ag:Source ; dcterms:title "<img src=x onerror=alert(1)>" ; schema:url "javascript:alert(1)" .
<{FICTIONAL}relation/perp-evil> a ag:Perpetration ; ag:perpetrator <{EVIL}> ;
    ag:incident <{FICTIONAL}incident/karst-hollow-massacre> ; ag:status ag:Established ; ag:confidence ag:HighConfidence ;
    prov:wasDerivedFrom <{FICTIONAL}source/evil> .
"""


def add_graph(store: EmbeddedStore, name: str, turtle: str) -> None:
    source = RdfSource.from_bytes(f"{name}.ttl", turtle.encode(), format_named("turtle"))
    loader.load_sources(store, [source], graph=name, trusted=True)
    derivation.reason(store)


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    built = open_store(None)
    setup.init_store(built, demo=True)
    add_graph(built, "xss", XSS_TTL)
    return built


@pytest.fixture(scope="module")
def tokens(store: EmbeddedStore) -> dict[str, str]:
    return {role: keys.create_key(store, role, f"{role} key").token for role in ("reader", "analyst", "admin")}


@pytest.fixture(scope="module")
def client(store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=store))


def auth(tokens: dict[str, str], role: str = "analyst", **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}", **headers}


def test_vetting_needs_an_analyst(client, tokens) -> None:
    for url in ("/vetting/unit/bn-72", "/programs/program/vsspp/vetting", "/vetting/runs"):
        assert client.get(url).status_code in (401, 403)
        refused = client.get(url, headers=auth(tokens, "reader"))
        assert refused.status_code == 403 and "analyst" in refused.json()["detail"]
    assert client.post("/vetting/screen", content=b"name,type,country\nx,unit,\n", headers={"Content-Type": "text/csv"}).status_code in (401, 403)


def test_json_contract(client, tokens) -> None:
    response = client.get("/vetting/unit/bn-72?date=2025-06-01", headers=auth(tokens))
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert {"subject", "date", "outcome", "reason", "findings"} <= body.keys()
    assert (body["subject"], body["date"], body["outcome"]) == (UNIT + "bn-72", "2025-06-01", "flag")
    finding = next(f for f in body["findings"] if f["rule"] == "direct")
    assert {"rule", "severity", "current", "incidents", "evidence", "mitigation"} <= finding.keys()
    assert finding["incidents"][0].keys() >= {"iri", "date", "types", "status"}
    assert finding["evidence"][0].keys() >= {"relation", "type", "start", "end", "confidence", "sources"}
    assert finding["evidence"][0]["sources"][0].keys() >= {"title", "url"}
    assert any("convicted" in m for m in finding["mitigation"])
    # Subjects by IRI, kind/slug or identifier all work; the same answer comes back.
    by_iri = client.get(f"/vetting/{UNIT}bn-72?date=2025-06-01", headers=auth(tokens)).json()
    assert by_iri["outcome"] == "flag" and len(by_iri["findings"]) == len(body["findings"])


def test_policy_and_errors_by_query_parameters(client, tokens) -> None:
    strict = client.get("/vetting/unit/bn-121?date=2025-06-01&min_confidence=low", headers=auth(tokens)).json()
    assert strict["outcome"] == "flag" and strict["policy"]["min_confidence"] == "low"
    assert client.get("/vetting/unit/bn-121?date=2025-06-01", headers=auth(tokens)).json()["outcome"] == "review"
    errors = {
        "/vetting/unit/bn-72?date=2025-13-01": (422, "date"),  # a value that cannot be used: 422, as everywhere
        "/vetting/unit/bn-72?min_confidence=certain": (422, "min_confidence"),
        "/vetting/unit/no-such-unit": (404, "no subject named"),
        "/vetting/program/vsspp": (422, "not a person or organization"),
        "/vetting/unit/bn-72?format=docx": (400, "format"),
    }
    for url, (status, text) in errors.items():
        response = client.get(url, headers=auth(tokens))
        assert response.status_code == status and text in response.json()["detail"], url


def test_html_report_is_printable_and_complete(client, tokens) -> None:
    response = client.get("/vetting/unit/bde-7?date=2025-06-01", headers=auth(tokens, Accept="text/html"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    for expected in ("Vetting report: 7th Mountain Brigade (Veldoria)", "1 June 2025", "10-year lookback", 'class="outcome flag"',
                     "Evidence path", "https://example.org/veldoria/vaf-order-of-battle-2021", "Mitigation on record",
                     "@media print", "recorded", "sub-bn-72-bde-7"):
        assert expected in page, expected
    assert client.get("/vetting/unit/bde-7?format=html", headers=auth(tokens)).text.count('class="finding ') == 3


def test_html_report_escapes_hostile_labels(client, tokens) -> None:
    response = client.get(f"/vetting/{EVIL}?date=2025-06-01&format=html", headers=auth(tokens))
    assert response.status_code == 200
    page = response.text
    assert PAYLOAD not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript:' not in page  # a non-http URL stays text, never a link
    assert json.loads(client.get(f"/vetting/{EVIL}?date=2025-06-01", headers=auth(tokens)).text)["subject_label"].startswith(PAYLOAD)


def test_csv_of_findings(client, tokens) -> None:
    response = client.get("/vetting/unit/bn-72?date=2025-06-01", headers=auth(tokens, Accept="text/csv"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["rule"] for r in rows} >= {"direct", "hierarchy"} and all(r["outcome"] == "flag" for r in rows)


def test_program_vetting_table(client, tokens) -> None:
    body = client.get("/programs/program/vsspp/vetting?date=2025-06-01", headers=auth(tokens)).json()
    outcomes = {p["iri"]: p["vetting"]["outcome"] for p in body["participants"]}
    assert len(outcomes) >= 20 and body["counts"]["flag"] >= 9
    assert outcomes[UNIT + "div-2"] == "clear" and outcomes[UNIT + "bn-72"] == "flag" and outcomes[PERSON + "mirela-quorrin"] == "clear"
    # each finding is reachable from the program answer
    bn72 = next(p for p in body["participants"] if p["iri"] == UNIT + "bn-72")
    assert bn72["roles"] == ["target"] and any(f["rule"] == "direct" for f in bn72["vetting"]["findings"])
    page = client.get("/programs/program/vsspp/vetting?date=2025-06-01", headers=auth(tokens, Accept="text/html")).text
    assert 'id="participants"' in page and page.count("<tr data-outcome=") == len(outcomes)
    assert f'data-subject="{UNIT}bn-72"' in page and "/vetting/https://w3id.org/actorgraph/fictional/id/unit/bn-72?date=2025-06-01&amp;format=html" in page
    assert 'id="p-1-finding-1"' in page
    assert client.get("/programs/program/nope/vetting", headers=auth(tokens)).status_code == 404


def test_screening_csv_in_and_out(client, tokens) -> None:
    upload = "name,type,country,unit_id\nKasimír Ombrécht,person,Veldoria,\n7 Mtn Bde,unit,Veldoria,\nNobody Known,person,,\nx,unit,,unit/bn-45-integrated\n"
    files = {"file": ("names.csv", upload.encode(), "text/csv")}
    body = client.post("/vetting/screen?date=2025-06-01", files=files, headers=auth(tokens)).json()
    rows = body["rows"]
    assert [r["match"] for r in rows] == ["match", "match", "none", "match"]
    assert [r["outcome"] for r in rows] == ["flag", "flag", None, "flag"]
    assert rows[0]["subject"] == PERSON + "kasimir-ombrecht" and rows[0]["candidates"][0]["reasons"]
    assert rows[2]["reason"].startswith("no confident match")
    assert body["counts"] == {"rows": 4, "match": 3, "ambiguous": 0, "none": 1, "flag": 3, "review": 0, "clear": 0}
    download = client.post("/vetting/screen", files=files, headers=auth(tokens, Accept="text/csv"))
    assert download.headers["content-type"].startswith("text/csv") and "attachment" in download.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(download.text)))
    assert [t["match"] for t in table] == ["match", "match", "none", "match"] and table[1]["subject"] == UNIT + "bde-7"
    raw = client.post("/vetting/screen?format=csv", content=upload.encode(), headers=auth(tokens, **{"Content-Type": "text/csv"}))
    assert raw.status_code == 200 and raw.text.splitlines()[0].startswith("row,name,type,country")
    bad = client.post("/vetting/screen", files={"file": ("bad.csv", b"name,type,country\n,unit,XV\n", "text/csv")}, headers=auth(tokens))
    assert bad.status_code == 422 and bad.json()["detail"] == "row 2, field 'name': empty"


def test_runs_are_recorded_with_the_caller_and_hidden_from_queries(client, tokens, store) -> None:
    recorded = client.post("/vetting/person/hadrik-esterhal?date=2025-06-01", headers=auth(tokens)).json()
    runs = client.get("/vetting/runs?subject=person/hadrik-esterhal", headers=auth(tokens)).json()
    latest = runs["runs"][0]
    assert latest["run"] == recorded["run"]
    analyst_id = tokens["analyst"].split("_")[1]
    assert latest["agent"] == {"id": analyst_id, "label": "analyst key", "role": "analyst"}
    assert latest["subject"] == PERSON + "hadrik-esterhal" and latest["outcome"] == "flag" and latest["date"] == "2025-06-01"
    assert latest["policy"]["lookback_years"] == 10 and latest["findings"] and latest["findings_digest"]
    assert any(item["graph"].endswith("/graph/fictional") for item in latest["data_version"])
    assert all(item["import"].startswith("https://w3id.org/actorgraph/id/import/") for item in latest["data_version"])
    # Nobody reads the audit graph through SPARQL, not even an admin; it exists in the store.
    assert store.graph_size(AUDIT_GRAPH) > 0
    for role in ("analyst", "admin"):
        answer = client.post("/sparql", content=f"ASK {{ GRAPH <{AUDIT_GRAPH.value}> {{ ?s ?p ?o }} }}",
                             headers=auth(tokens, role, **{"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}))
        assert answer.json()["boolean"] is False
        answer = client.post("/sparql", content="SELECT ?run WHERE { ?run <https://w3id.org/actorgraph/ontology#vettedSubject> ?s }",
                             headers=auth(tokens, role, **{"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}))
        assert answer.json()["results"]["bindings"] == []


def test_only_explicit_runs_are_recorded(client, tokens) -> None:
    """Viewing a subject's or a program's vetting (the pages do it on every load) records nothing;
    POSTing the same URL is an explicit run and records it with the caller's key."""
    subject, program = "person/petra-volkhaven", "program/vsspp"

    def runs(about: str) -> list[dict[str, object]]:
        return client.get(f"/vetting/runs?subject={about}&limit=1000", headers=auth(tokens)).json()["runs"]  # type: ignore[no-any-return]

    before, program_before = len(runs(subject)), len(runs("unit/bn-72"))
    for accept in ("application/json", "text/html", "text/csv"):
        assert client.get(f"/vetting/{subject}?date=2025-06-01", headers=auth(tokens, Accept=accept)).status_code == 200
    viewed = client.get(f"/vetting/{subject}?date=2025-06-01", headers=auth(tokens)).json()
    assert viewed["run"] is None and len(runs(subject)) == before
    page = client.get(f"/vetting/{subject}?date=2025-06-01&format=html", headers=auth(tokens)).text
    assert "Not recorded" in page
    assert client.get(f"/programs/{program}/vetting?date=2025-06-01", headers=auth(tokens)).json()["recorded"] is False
    assert len(runs("unit/bn-72")) == program_before

    recorded = client.post(f"/vetting/{subject}?date=2025-06-01", headers=auth(tokens))
    assert recorded.status_code == 200 and recorded.json()["outcome"] == viewed["outcome"]
    after = runs(subject)
    assert len(after) == before + 1 and after[0]["run"] == recorded.json()["run"] and after[0]["context"] == "api"
    report = client.post(f"/vetting/{subject}?date=2025-06-01&format=html", headers=auth(tokens)).text
    assert "vetting run by" in report and "Not recorded" not in report and len(runs(subject)) == before + 2
    run_program = client.post(f"/programs/{program}/vetting?date=2025-06-01", headers=auth(tokens)).json()
    assert run_program["recorded"] is True and len(runs("unit/bn-72")) == program_before + 1
    assert runs("unit/bn-72")[0]["context"].startswith("program ")
    # Explicit runs need an analyst too, and a bad value is refused before anything is recorded.
    assert client.post(f"/vetting/{subject}", headers=auth(tokens, "reader")).status_code == 403
    assert client.post(f"/vetting/{subject}?date=2025-02-30", headers=auth(tokens)).status_code == 422
    assert len(runs(subject)) == before + 2


def test_rerun_after_new_data_shows_what_changed(tokens) -> None:
    store = open_store(None)
    setup.init_store(store, demo=True)
    token = keys.create_key(store, "analyst", "diff analyst").token
    client = TestClient(create_app(Settings(store=None), store=store))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/vetting/person/mirela-quorrin?date=2025-06-01", headers=headers).json()["outcome"] == "clear"
    add_graph(store, "new-report", f"""
        @prefix ag: <https://w3id.org/actorgraph/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix prov: <http://www.w3.org/ns/prov#> .
        <{FICTIONAL}incident/new-raid> a ag:Incident ; rdfs:label "Highland raid (fictional)" ;
            ag:startDate "2020-05-02"^^xsd:date ; ag:endDate "2020-05-02"^^xsd:date .
        <{FICTIONAL}relation/perp-new-raid> a ag:Perpetration ; ag:perpetrator <{UNIT}bn-72> ;
            ag:incident <{FICTIONAL}incident/new-raid> ; ag:status ag:Alleged ; ag:confidence ag:MediumConfidence ;
            prov:wasDerivedFrom <{FICTIONAL}source/vtc-final-report-2022> .""")
    rerun = client.post("/vetting/person/mirela-quorrin?date=2025-06-01", headers=headers).json()
    assert rerun["outcome"] == "flag"  # she commanded bn-72 during the new incident
    change = client.get("/vetting/runs?subject=person/mirela-quorrin", headers=headers).json()["diff"]
    assert change["outcome"] == {"from": "clear", "to": "flag", "changed": True}
    assert change["data_changed"] and any(i["graph"].endswith("/graph/new-report") for i in change["imports_added"])
    assert [f["rule"] for f in change["findings_added"]] == ["command"] and change["findings_removed"] == []


def test_command_line(tmp_path: Path) -> None:
    path = tmp_path / "store"
    built = open_store(path)
    setup.init_store(built, demo=True)
    built.close()
    del built
    binary = Path(sys.executable).with_name("actorgraph")
    env = {**os.environ, "ACTORGRAPH_STORE": ""}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(binary), *args, "--store", str(path)], capture_output=True, text=True, timeout=300, env=env, check=False)

    text = cli("vet", "unit/div-2", "--date", "2025-06-01")
    assert text.returncode == 0 and "OUTCOME  CLEAR" in text.stdout and "recorded as" in text.stdout
    contract = json.loads(cli("vet", "person/kasimir-ombrecht", "--date", "2025-06-01", "--format", "json").stdout)
    assert contract["outcome"] == "flag" and contract["findings"][0]["rule"] == "command"
    assert "<html" in cli("vet", "unit/bde-7", "--format", "html").stdout
    program = cli("vet-program", "program/vsspp", "--date", "2025-06-01")
    assert program.returncode == 0 and "9 flag, 1 review, 12 clear" in program.stdout
    names = tmp_path / "names.csv"
    names.write_text("name,type,country\nRIPU,unit,Veldoria\nNobody Known,person,\n", encoding="utf-8")
    screened = cli("screen", str(names), "--format", "csv")
    assert screened.returncode == 0 and next(iter(csv.DictReader(io.StringIO(screened.stdout))))["outcome"] == "flag"
    runs = json.loads(cli("vetting-runs", "--subject", "unit/ripu", "--json").stdout)
    assert runs["runs"][0]["agent"]["id"] == "cli" and runs["runs"][0]["context"] == "screening"
    refused = cli("vet", "unit/nope")
    assert refused.returncode == 1 and "no subject named" in refused.stderr
    bad_policy = tmp_path / "bad.toml"
    bad_policy.write_text("lookback_years = -1\n")
    assert "lookback_years" in cli("vet", "unit/bn-72", "--policy", str(bad_policy)).stderr
