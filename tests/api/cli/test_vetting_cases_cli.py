"""`actorgraph cases ...` as a real process on a real on-disk store: decide with one key, sign off
with another, list by status, and see a case need re-vetting after `actorgraph load` brings new data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.access import keys
from graph.ingest import setup
from graph.store import open_store
from ontology.namespaces import FICTIONAL

BINARY = Path(sys.executable).with_name("actorgraph")
UNIT = FICTIONAL + "unit/"


@pytest.fixture(scope="module")
def disk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("cases") / "store"
    built = open_store(path)
    setup.init_store(built, demo=True)
    made = {name: keys.create_key(built, role, name).token for name, role in
            (("alice", "analyst"), ("bob", "analyst"), ("reader", "reader"))}
    built.close()
    return path, made


def run(path: Path, *args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACTORGRAPH_STORE": ""}
    env.pop("ACTORGRAPH_KEY", None)
    if key:
        env["ACTORGRAPH_KEY"] = key
    return subprocess.run([str(BINARY), "cases", *args, "--store", str(path)], capture_output=True, text=True, timeout=300, env=env, check=False)


def test_decide_sign_off_list_and_re_vet(disk: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    path, tokens = disk
    made = run(path, "create", "person/mirela-quorrin", "--date", "2025-06-01", "--decision", "approve",
               "--justification", "No record found.", "--json", key=tokens["alice"])
    assert made.returncode == 0, made.stderr
    case = json.loads(made.stdout)
    assert case["decided_by"]["label"] == "alice" and case["engine"]["outcome"] == "clear" and case["status"] == "awaiting-sign-off"

    same = run(path, "sign-off", case["id"], key=tokens["alice"])
    assert same.returncode == 1 and "different API key" in same.stderr
    signed = run(path, "sign-off", case["id"], "--note", "Checked.", key=tokens["bob"])
    assert signed.returncode == 0 and "signed off by bob" in signed.stdout and "IN-FORCE" in signed.stdout

    table = run(path, "list", "--status", "in-force")
    assert table.returncode == 0 and case["id"] in table.stdout and "Mirela Quorrin" in table.stdout
    assert "no vetting cases with status needs-re-vetting" in run(path, "list", "--status", "needs-re-vetting").stdout

    report = tmp_path / "new-report.ttl"
    report.write_text(f"""
        @prefix ag: <https://w3id.org/actorgraph/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix prov: <http://www.w3.org/ns/prov#> .
        @prefix dcterms: <http://purl.org/dc/terms/> . @prefix schema: <https://schema.org/> .
        <{FICTIONAL}source/new-report> a ag:Source ; dcterms:title "New report (fictional)" ;
            dcterms:publisher "Veldoria Monitor (fictional)" ; dcterms:issued "2025-07-01"^^xsd:date .
        <{FICTIONAL}incident/new-raid> a ag:Incident ; rdfs:label "Highland raid (fictional)" ;
            ag:violationType ag:Torture ;
            ag:startDate "2020-05-02"^^xsd:date ; ag:endDate "2020-05-02"^^xsd:date ; prov:wasDerivedFrom <{FICTIONAL}source/new-report> .
        <{FICTIONAL}relation/perp-new-raid> a ag:Perpetration ; ag:perpetrator <{UNIT}bn-72> ;
            ag:incident <{FICTIONAL}incident/new-raid> ; ag:status ag:Alleged ; ag:confidence ag:MediumConfidence ;
            prov:wasDerivedFrom <{FICTIONAL}source/new-report> .
    """, encoding="utf-8")
    env = {**os.environ, "ACTORGRAPH_STORE": ""}
    loaded = subprocess.run([str(BINARY), "load", str(report), "--graph", "new-report", "--store", str(path)],
                            capture_output=True, text=True, timeout=300, env=env, check=False)
    assert loaded.returncode == 0, loaded.stderr

    changed = run(path, "list", "--status", "needs-re-vetting", "--json")
    listed = json.loads(changed.stdout)["cases"]
    assert [c["id"] for c in listed] == [case["id"]]
    assert listed[0]["changes"]["outcome"] == {"from": "clear", "to": "flag", "changed": True}
    shown = run(path, "show", case["id"])
    assert "NEEDS RE-VETTING: the engine now says flag, was clear" in shown.stdout and "+ " in shown.stdout
    assert "EXPIRED" in run(path, "show", case["id"], "--on", case["expires"]).stdout
    record = run(path, "show", case["id"], "--html").stdout
    assert "<html" in record and f"Vetting case {case['id']}: Mirela Quorrin" in record and 'data-status="needs-re-vetting"' in record


def test_errors_name_the_option(disk: tuple[Path, dict[str, str]]) -> None:
    path, tokens = disk
    base = ("create", "unit/bn-72", "--justification", "Karst Hollow.")
    bad = run(path, *base, "--decision", "maybe", key=tokens["alice"])
    assert bad.returncode == 1 and "--decision: 'maybe' is not one of approve" in bad.stderr
    conditions = run(path, *base, "--decision", "approve_with_conditions", key=tokens["alice"])
    assert conditions.returncode == 1 and "--conditions: required" in conditions.stderr
    unknown = run(path, "create", "unit/no-such-unit", "--decision", "deny", "--justification", "x", key=tokens["alice"])
    assert unknown.returncode == 1 and "no subject named 'unit/no-such-unit'" in unknown.stderr
    reader = run(path, *base, "--decision", "deny", key=tokens["reader"])
    assert reader.returncode == 1 and "--key: deciding needs the analyst role" in reader.stderr
    forged = run(path, *base, "--decision", "deny", key="ag_000000000000_" + "x" * 43)
    assert forged.returncode == 1 and "--key: unknown API key" in forged.stderr
    no_key = run(path, *base, "--decision", "deny")
    assert no_key.returncode != 0 and "--key" in no_key.stderr
    assert "--status: 'open' is not one of" in run(path, "list", "--status", "open").stderr
    assert "no vetting case with id 'abcabcabcabc'" in run(path, "show", "abcabcabcabc").stderr
    assert "no vetting case" in run(path, "sign-off", "abcabcabcabc", key=tokens["bob"]).stderr
