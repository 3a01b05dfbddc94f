"""The SFM importer on WhoWasInCommand's CMS fixtures (real records, read from ../shared/data), and
SFM's first-publication dates in both input formats.

Counts are computed here from the raw JSON (distinct model and pk), never taken from the importer.
"""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from graph.ingest.importers.sfm import importer as sfm
from graph.ingest.importers.sfm.countries import state_iri
from graph.ingest.importers.sfm.iris import incident_iri, unit_iri
from graph.store import EmbeddedStore
from ontology.namespaces import AG, DCTERMS, GRAPH, PROV, RDF, RDFS
from tests.conftest import shared_data
from tests.graph.ingest.test_sfm_importer import I_ONE, fictional_export, write_export

FIXTURES = "sfm/wwic_cms_fixtures"
CMS_GRAPH = ox.NamedNode(GRAPH + "sfm-cms")
XSD = "http://www.w3.org/2001/XMLSchema#"


def distinct_records() -> dict[tuple[str, Any], dict[str, Any]]:
    """Every record of the fixture folder once, keyed by model and pk."""
    records: dict[tuple[str, Any], dict[str, Any]] = {}
    for path in sorted(shared_data(FIXTURES).glob("*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            records[(record["model"], record["pk"])] = record
    return records


def quads(store: EmbeddedStore, subject: ox.NamedNode | None = None, predicate: str | None = None, obj: object = None) -> list[ox.Quad]:
    return [
        q
        for q in store.quads(CMS_GRAPH)
        if (subject is None or q.subject == subject) and (predicate is None or q.predicate.value == predicate) and (obj is None or q.object == obj)
    ]


def values(store: EmbeddedStore, subject: ox.NamedNode, predicate: str) -> set[str]:
    return {q.object.value for q in quads(store, subject, predicate)}


def literals(store: EmbeddedStore, subject: ox.NamedNode, predicate: str) -> set[ox.Literal]:
    return {q.object for q in quads(store, subject, predicate) if isinstance(q.object, ox.Literal)}


def of_type(store: EmbeddedStore, cls: str) -> set[ox.NamedNode]:
    return {q.subject for q in quads(store, None, RDF + "type", ox.NamedNode(AG + cls)) if isinstance(q.subject, ox.NamedNode)}


def the_one(store: EmbeddedStore, cls: str, role: str, node: ox.NamedNode) -> ox.NamedNode:
    typed = of_type(store, cls)
    found = [q.subject for q in quads(store, None, AG + role, node) if q.subject in typed]
    assert len(found) == 1, found
    assert isinstance(found[0], ox.NamedNode)
    return found[0]


@pytest.fixture(scope="module")
def cms_store() -> Iterator[tuple[EmbeddedStore, sfm.ImportReport]]:
    from graph.ingest import setup

    store = EmbeddedStore()
    setup.load_ontology(store)
    report = sfm.import_cms_fixtures(store, shared_data(FIXTURES))
    yield store, report


def test_counts_match_the_raw_records(cms_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, _ = cms_store
    models = Counter(model for model, _pk in distinct_records())
    assert len(of_type(store, "Subordination")) == models["composition.composition"]
    assert len(of_type(store, "Membership")) == models["membershiporganization.membershiporganization"]
    assert len(of_type(store, "Incident")) == models["violation.violation"]
    unit_classes = ("MilitaryUnit", "PoliceUnit", "IntelligenceService", "GovernmentBody", "SecurityForceUnit")
    assert sum(len(of_type(store, cls)) for cls in unit_classes) == models["organization.organization"]
    assert models["organization.organization"] == 146  # the README's 156 counts ten records twice


def test_persons_are_not_named(cms_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, report = cms_store
    names = {r["fields"]["value"] for (model, _), r in distinct_records().items() if model in {"person.personname", "person.personalias"}}
    assert len(names) > 20
    written = {q.object.value for q in quads(store) if isinstance(q.object, ox.Literal)}
    assert not of_type(store, "Person") and not of_type(store, "Posting") and not of_type(store, "Command")
    assert not names & written
    reasons = report.files["person.json"].skip_reasons()
    assert any("court convicted" in reason for reason in reasons)
    assert report.files["person.json"].rows_imported == 0


def test_a_named_unit(cms_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, _ = cms_store
    battalion = unit_iri("10f8d64e-0984-42d5-b6a0-318a7b44e97d")
    assert values(store, battalion, RDFS + "label") == {"1 Batallón de Infantería"}
    assert "primer Batallón" in values(store, battalion, AG + "alias")
    assert values(store, battalion, RDF + "type") == {AG + "MilitaryUnit"}
    assert values(store, battalion, AG + "country") == {state_iri("MX")}
    assert "Campo Militar Número 29-G" in values(store, battalion, AG + "location")


def test_a_composition_keeps_its_dates_and_sources(cms_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, _ = cms_store
    # composition 5: 1 Batallón de Infantería under 29 Zona Militar from 2014-03-09, last cited 2016-05-10, open-ended Y
    child, parent = unit_iri("10f8d64e-0984-42d5-b6a0-318a7b44e97d"), unit_iri("5b11c171-9759-496f-af49-3774d62962f6")
    node = the_one(store, "Subordination", "childUnit", child)
    assert values(store, node, AG + "parentUnit") == {parent.value}
    assert values(store, parent, RDFS + "label") == {"29 Zona Militar"}
    assert values(store, node, AG + "startDate") == {"2014-03-09"}
    assert values(store, node, AG + "ongoing") == {"true"} and values(store, node, AG + "endDate") == set()
    notes = values(store, node, AG + "note")
    assert "SFM: last cited 2016-05-10; assumed to continue (open-ended)" in notes
    assert any("2014-03-09 is the first cited date" in n for n in notes)  # realstart false
    assert values(store, node, AG + "confidence") == {AG + "LowConfidence"}
    sources = values(store, node, PROV + "wasDerivedFrom")
    assert sources
    for source in sources:
        assert values(store, ox.NamedNode(source), DCTERMS + "title") and values(store, ox.NamedNode(source), DCTERMS + "publisher")


def test_every_statement_cites_a_source_with_its_publication_date(cms_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, _ = cms_store
    for cls in ("Subordination", "Membership", "Incident"):
        for node in of_type(store, cls):
            assert values(store, node, PROV + "wasDerivedFrom"), node
    # source 000525d3-...: "Agencia de Noticias Guerrero", published 2017-09-08, added 2018-11-08
    source = ox.NamedNode("https://w3id.org/actorgraph/id/source/sfm-000525d3-21f7-4732-9e40-c3b78ddb8e6c")
    assert values(store, source, DCTERMS + "publisher") == {"Agencia de Noticias Guerrero"}
    assert literals(store, source, DCTERMS + "issued") == {ox.Literal("2017-09-08", datatype=ox.NamedNode(XSD + "date"))}
    assert values(store, source, DCTERMS + "created") == {"2018-11-08"}
    raw = distinct_records()
    with_date = sum(1 for (model, _), r in raw.items() if model == "source.source" and r["fields"]["published_on"])
    written = {q.subject for q in quads(store, None, DCTERMS + "issued")}
    assert 0 < len(written) <= with_date


def test_first_allegation_is_kept(cms_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, _ = cms_store
    # violation 71: an enforced disappearance on 2009-01-22, first alleged in February 2013 ("2013-02-00")
    incident = incident_iri("abd6bad1-13e9-40e8-871f-bfab60ddae8a")
    assert literals(store, incident, AG + "firstPublished") == {ox.Literal("2013-02", datatype=ox.NamedNode(XSD + "gYearMonth"))}
    assert values(store, incident, AG + "startDate") == {"2009-01-22"}
    alleged = sum(1 for (model, _) in distinct_records() if model == "violation.violationfirstallegation")
    assert len({q.subject for q in quads(store, None, AG + "firstPublished")}) == alleged


def test_every_record_is_accounted_for(cms_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    _, report = cms_store
    for path in sorted(shared_data(FIXTURES).glob("*.json")):
        file_report = report.files[path.name]
        assert file_report.rows_read == len(json.loads(path.read_text(encoding="utf-8")))
        assert file_report.rows_imported + file_report.rows_skipped == file_report.rows_read, path.name


def test_importing_twice_changes_nothing(cms_store: tuple[EmbeddedStore, sfm.ImportReport]) -> None:
    store, _ = cms_store
    before = io.BytesIO()
    store.dump(before)
    again = sfm.import_cms_fixtures(store, shared_data(FIXTURES))
    after = io.BytesIO()
    store.dump(after)
    assert [g.action for g in again.graphs] == ["unchanged", "none"]
    assert sorted(before.getvalue().splitlines()) == sorted(after.getvalue().splitlines())


# ------------------------------------------------------------------------------------------------
# Bad input: a copy of the fixtures in tmp_path with one value broken
# ------------------------------------------------------------------------------------------------


def broken_copy(tmp_path: Path, name: str, change: Any) -> Path:
    folder = tmp_path / "fixtures"
    shutil.copytree(shared_data(FIXTURES), folder)
    path = folder / name
    path.chmod(0o644)
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records), encoding="utf-8")
    return folder


def first_index(records: list[dict[str, Any]], model: str) -> int:
    return next(i for i, r in enumerate(records) if r["model"] == model)


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("value", "2016-13-01", "there is no month 13"),
        ("value", "2031-01-01", "is after 2025-01-01, the date of the export"),
        ("confidence", "4", "is not a confidence"),
    ],
)
def test_a_bad_value_names_file_record_and_field_and_writes_nothing(
    ontology_store: EmbeddedStore, tmp_path: Path, field: str, bad: str, message: str
) -> None:
    index = 0

    def change(records: list[dict[str, Any]]) -> None:
        nonlocal index
        index = first_index(records, "composition.compositionstartdate")
        records[index]["fields"][field] = bad

    folder = broken_copy(tmp_path, "composition.json", change)
    with pytest.raises(sfm.SfmImportError) as raised:
        sfm.import_cms_fixtures(ontology_store, folder, date_of_export=date(2025, 1, 1))
    [problem] = raised.value.problems
    assert str(problem).startswith(f"composition.json, record {index + 1}, field {field} (composition.compositionstartdate ")
    assert message in problem.message
    assert not quads(ontology_store)


def test_broken_references_and_malformed_json_are_problems(ontology_store: EmbeddedStore, tmp_path: Path) -> None:
    def dangling(records: list[dict[str, Any]]) -> None:
        records[first_index(records, "composition.compositionparent")]["fields"]["value"] = 999_999

    folder = broken_copy(tmp_path, "composition.json", dangling)
    with pytest.raises(sfm.SfmImportError, match="broken reference: no organization.organization with pk 999999"):
        sfm.read_cms_fixtures(folder)
    (folder / "violation.json").write_text('[{"model": "violation.violation", "pk": 1,', encoding="utf-8")
    with pytest.raises(sfm.SfmImportError, match=r"violation.json: malformed JSON at line 1"):
        sfm.read_cms_fixtures(folder)
    (folder / "violation.json").write_text("[]", encoding="utf-8")

    def conflicting(records: list[dict[str, Any]]) -> None:
        name = next(r for r in records if r["model"] == "organization.organizationname")
        records.append({**name, "fields": {**name["fields"], "value": "Another name"}})

    shutil.copy(shared_data(FIXTURES) / "composition.json", folder / "composition.json")
    (folder / "composition.json").chmod(0o644)
    records = json.loads((folder / "organization.json").read_text(encoding="utf-8"))
    conflicting(records)
    (folder / "organization.json").chmod(0o644)
    (folder / "organization.json").write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(sfm.SfmImportError, match=rf"organization.json, record {len(records)}: differs from the record with the same model and pk"):
        sfm.read_cms_fixtures(folder)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(sfm.SfmImportError, match=r"no fixture files \(\*.json\)"):
        sfm.read_cms_fixtures(empty)


# ------------------------------------------------------------------------------------------------
# First publication in the bulk export format (incidents.csv pub_date)
# ------------------------------------------------------------------------------------------------


def test_export_incident_pub_date_is_kept(tmp_path: Path) -> None:
    converted = sfm.read_export(shared_data("sfm/wwic_export_format"))
    first = [t for t in converted.graphs.public if t.predicate.value == AG + "firstPublished"]
    # incidents.csv: one published incident has pub_date 12/8/2008 (month first, as the file writes dates)
    assert [(t.object.value, t.object.datatype.value) for t in first if isinstance(t.object, ox.Literal)] == [("2008-12-08", XSD + "date")]


@pytest.mark.parametrize(
    ("pub_date", "expected"),
    [("", None), ("2016", ("2016", "gYear")), ("2021-06-25", ("2021-06-25", "date")), ("2021-06-26", "after 2021-06-25")],
)
def test_pub_date_edges(tmp_path: Path, pub_date: str, expected: tuple[str, str] | str | None) -> None:
    rows = fictional_export()
    rows["incidents.csv"][0] = {**rows["incidents.csv"][0], "incident:pub_date": pub_date}
    folder = write_export(tmp_path / "export", rows)
    if isinstance(expected, str):  # the day after the export: an error naming the column
        with pytest.raises(sfm.SfmImportError, match=f"incidents.csv, row 2, column incident:pub_date: 2021-06-26 is {expected}"):
            sfm.read_export(folder, date_of_export=date(2021, 6, 25))
        return
    converted = sfm.read_export(folder, date_of_export=date(2021, 6, 25))
    incident = ox.NamedNode(incident_iri(I_ONE).value)
    found = [t.object for t in converted.graphs.public if t.subject == incident and t.predicate.value == AG + "firstPublished"]
    if expected is None:
        assert found == []
    else:
        assert [(o.value, o.datatype.value) for o in found if isinstance(o, ox.Literal)] == [(expected[0], XSD + expected[1])]
