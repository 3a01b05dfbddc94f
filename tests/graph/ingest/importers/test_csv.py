"""The CSV importer for a user's own data: the shipped templates import as they are (their
references reach the fictional scenario), ids and references within the files, every kind of
bad row named by file, row and column with nothing written, and idempotence."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from graph.ingest import setup
from graph.ingest.importers.csv import importer as tables
from graph.ingest.importers.csv.read import COLUMNS
from graph.ingest.importers.csv.vocab import RELATIONS
from graph.store import EmbeddedStore, open_store
from ontology.files import OWL_FILE
from ontology.namespaces import AG, FICTIONAL, GRAPH, ID, RDF, RDFS

CSV_GRAPH = ox.NamedNode(GRAPH + "csv")
EXAMPLE = FICTIONAL + "unit/example-rapid-response-company"


@pytest.fixture(scope="module")
def demo() -> EmbeddedStore:
    store = open_store(None)
    setup.init_store(store, demo=True)
    return store


def objects(store: EmbeddedStore, subject: str, predicate: str) -> set[str]:
    return {q.object.value for q in store.quads(CSV_GRAPH, subject=ox.NamedNode(subject)) if q.predicate.value == predicate}


def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "tables"
    shutil.copytree(tables.TEMPLATES, folder)
    return folder


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def rewrite(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS[path.stem.rsplit("-", 1)[-1]])
        writer.writeheader()
        writer.writerows(rows)


def test_the_templates_import_as_they_are_and_twice_change_nothing(demo: EmbeddedStore) -> None:
    report = tables.import_tables(demo, [tables.TEMPLATES])
    assert dict(report.counts) == {"sources": 1, "actors": 1, "relations": 1, "incidents": 1, "perpetrations": 1}
    assert objects(demo, EXAMPLE, RDF + "type") == {AG + "SecurityForceUnit"}
    assert objects(demo, EXAMPLE, AG + "alias") == {"ERRC", "Rapid Company"}
    relation = FICTIONAL + "relation/example-errc-under-div-3"
    assert objects(demo, relation, AG + "parentUnit") == {FICTIONAL + "unit/div-3"}  # an actor of the graph, by IRI
    assert objects(demo, relation, AG + "startDate") == {"2018-03-01"}
    assert objects(demo, relation, AG + "startPrecision") == {AG + "MonthPrecision"}
    assert objects(demo, relation, AG + "confidence") == {AG + "MediumConfidence"}
    incident = FICTIONAL + "incident/example-checkpoint-shooting"
    assert objects(demo, incident, AG + "violationType") == {AG + "UnlawfulKilling"}
    perpetrations = {q.subject.value for q in demo.quads(CSV_GRAPH) if q.predicate.value == AG + "incident" and q.object.value == incident}
    assert len(perpetrations) == 1
    (perpetration,) = perpetrations
    assert perpetration.startswith(FICTIONAL + "relation/")
    assert objects(demo, perpetration, AG + "status") == {AG + "Alleged"}
    again = tables.import_tables(demo, [tables.TEMPLATES])
    assert [g.action for g in again.graphs] == ["unchanged"]


def test_short_ids_are_minted_and_referenced_within_the_files(demo: EmbeddedStore, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    rewrite(folder / "sources.csv", [{"id": "report-1", "title": "A report", "publisher": "An NGO", "date": "2020"}])
    rewrite(
        folder / "my-actors.csv", [{"id": "militia-1", "type": "militia", "name": "Hill Militia", "country": "ng", "source": "report-1"}]
    )
    rewrite(folder / "relations.csv", [{"id": "r1", "type": "Rivalry", "subject": "militia-1", "object": f"{ID}unit/ng-nigerian-army",
                                        "start": "2020", "ongoing": "true", "confidence": "Low", "source": "report-1"}])  # fmt: skip
    report = tables.import_tables(demo, [folder], graph="csv-mine")
    mine = ox.NamedNode(GRAPH + "csv-mine")
    actor = f"{ID}org/csv-mine-militia-1"
    found = {(q.subject.value, q.predicate.value, q.object.value) for q in demo.quads(mine)}
    assert (actor, RDF + "type", AG + "Militia") in found
    assert (actor, AG + "country", f"{ID}state/nigeria") in found
    assert (f"{ID}relation/csv-mine-r1", AG + "rival", f"{ID}unit/ng-nigerian-army") in found
    assert (f"{ID}relation/csv-mine-r1", AG + "ongoing", "true") in found
    assert (f"{ID}source/csv-mine-report-1", "http://purl.org/dc/terms/issued", "2020") in found
    assert report.counts["relations"] == 1


@pytest.mark.parametrize(
    ("file", "column", "value", "field", "says"),
    [
        ("actors.csv", "type", "Warlord", "type", "is not an actor type"),
        ("relations.csv", "start", "2018-13", "start", "there is no month 13"),
        ("relations.csv", "end", "2017-01-01", "end", "is before the start"),
        ("relations.csv", "ongoing", "true", "ongoing", None),
        ("actors.csv", "source", "", "source", "required"),
        ("actors.csv", "source", "no-such-report", "source", "is no source"),
        ("relations.csv", "object", "ghost-unit", "object", "is no actor"),
        ("relations.csv", "object", FICTIONAL + "unit/not-in-the-graph", "object", "is no actor"),
        ("relations.csv", "type", "Friendship", "type", "is not a relation type"),
        ("incidents.csv", "violation_types", "Rudeness", "violation_types", "is not a violation value"),
        ("incidents.csv", "status", "", "status", "an incident with perpetrators"),
        ("actors.csv", "country", "Atlantis", "country", "not an ISO 3166-1"),
        ("sources.csv", "url", "example.org/x", "url", "not an http(s) URL"),
    ],
)
def test_each_bad_row_is_named_and_nothing_is_written(
    tmp_path: Path, file: str, column: str, value: str, field: str, says: str | None
) -> None:
    folder = templates(tmp_path)
    rows = rows_of(folder / file)
    if column == "ongoing":
        rows[0]["end"] = "2019-01"
    rows[0][column] = value
    rewrite(folder / file, rows)
    store = open_store(None)
    setup.init_store(store, demo=True)
    before = sorted(str(q) for q in store.quads(None))
    with pytest.raises(tables.CsvImportError) as raised:
        tables.import_tables(store, [folder])
    placed = [(Path(p.file).name, p.element, p.field) for p in raised.value.problems]
    assert (file, "row 2", field) in placed, raised.value.problems
    if says:
        assert any(says in p.message for p in raised.value.problems if p.field == field)
    assert sorted(str(q) for q in store.quads(None)) == before


def test_bad_files_and_duplicate_ids(demo: EmbeddedStore, tmp_path: Path) -> None:
    folder = templates(tmp_path)
    rows = rows_of(folder / "sources.csv")
    rewrite(folder / "sources.csv", rows + rows)
    (folder / "people.csv").write_text("id,name\n1,x\n", encoding="utf-8")
    (folder / "extra-incidents.csv").write_text("id,name,when\n", encoding="utf-8")
    with pytest.raises(tables.CsvImportError) as raised:
        tables.import_tables(demo, [folder, folder / "people.csv"])
    placed = {(Path(p.file).name, p.element, p.field) for p in raised.value.problems}
    assert ("sources.csv", "row 3", "id") in placed
    assert ("people.csv", None, None) in placed
    assert ("extra-incidents.csv", "row 1", "violation_types, start, source, when") in placed


def test_empty_rows_are_skipped_and_an_empty_folder_imports_nothing(tmp_path: Path) -> None:
    store = open_store(None)
    setup.load_ontology(store)
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "actors.csv").write_text("id,type,name,source\n,,,\n", encoding="utf-8")
    report = tables.import_tables(store, [folder])
    assert report.files["actors.csv"].rows_skipped == 1 and not sum(report.counts.values())
    assert list(store.quads(CSV_GRAPH)) == []


def test_relation_types_and_roles_are_the_ontologys() -> None:
    owl = rdflib.Graph().parse(OWL_FILE, format="turtle")
    sub_class, kind = rdflib.URIRef(RDFS + "subClassOf"), rdflib.URIRef(RDF + "type")
    properties = set(owl.subjects(kind, rdflib.URIRef("http://www.w3.org/2002/07/owl#ObjectProperty")))
    for name, roles in RELATIONS.items():
        assert rdflib.URIRef(AG + "Relation") in set(owl.transitive_objects(rdflib.URIRef(AG + name), sub_class)), name
        assert {rdflib.URIRef(role) for role in roles} <= properties, name
