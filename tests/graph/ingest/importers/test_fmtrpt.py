"""The Foreign Military Training Report importer, on SFM's Africa file in ../shared/data/sfm/fmtrpt,
over the demo data: figures computed here from the TSV, student units resolved against the demo's
Nigerian units, and the library query of trained units with findings."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.ingest import derivation, setup
from graph.ingest.importers.fmtrpt import importer as fmtrpt
from graph.ingest.importers.sfm.countries import state_iri
from graph.query import named_queries, sparql
from graph.store import EmbeddedStore, open_store
from ontology.namespaces import AG, GRAPH, ID, RDF
from tests.conftest import shared_data

AFRICA = "sfm/fmtrpt/2017_2018_Africa_fmtrpt.tsv"
FM_GRAPH = ox.NamedNode(GRAPH + "fmtrpt")
TYPE = ox.NamedNode(RDF + "type")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with shared_data(AFRICA).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def imported() -> Iterator[tuple[EmbeddedStore, fmtrpt.FmtrptReport]]:
    store = open_store(None)
    setup.init_store(store, demo=True)
    report = fmtrpt.import_rows(store, [shared_data(AFRICA)])
    derivation.reason(store)
    yield store, report


def participants(store: EmbeddedStore) -> dict[str, set[str]]:
    """Each trained unit's IRI -> the training nodes."""
    out: dict[str, set[str]] = {}
    for q in store.quads(FM_GRAPH):
        if q.predicate.value == AG + "participant":
            out.setdefault(q.object.value, set()).add(q.subject.value)
    return out


def test_every_row_with_a_student_unit_is_a_training(imported, rows) -> None:
    store, report = imported
    with_unit = [r for r in rows if r["student_unit"].strip()]
    distinct = {tuple(" ".join(v.split()) for v in r.values()) for r in with_unit}
    trainings = {q.subject for q in store.quads(FM_GRAPH) if q.predicate == TYPE and q.object == ox.NamedNode(AG + "Targeting")}
    assert len(trainings) == len(distinct) == report.counts["trainings"]
    counted = report.files[Path(AFRICA).name]
    assert counted.rows_read == len(rows)
    assert counted.rows_skipped == len(rows) - len(with_unit) + len(with_unit) - len(distinct)
    programs = {r["program"].strip() for r in with_unit}
    assert report.counts["programs"] == len(programs)


def test_spellings_of_one_unit_are_one_unit(imported) -> None:
    store, report = imported
    resolution = report.resolution
    assert resolution is not None
    defence, defense = ("NG", "DEFENCE HEADQUARTERS ABUJA"), ("NG", "DEFENSE HEADQUARTERS ABUJA")
    # Either both found one unit of the graph, or both became the same new unit.
    assert resolution.existing.get(defence) == resolution.existing.get(defense)
    assert resolution.new.get(defence) == resolution.new.get(defense)
    # The demo's Defence Headquarters (Nigeria) is found in both spellings of the bare name.
    assert resolution.existing[("NG", "DEFENCE HEADQUARTERS")] == resolution.existing[("NG", "DEFENSE HEADQUARTERS")] == f"{ID}unit/ng-defence-headquarters"
    # A match recorded in another country is never used for this one.
    recorded: dict[str, set[str]] = {}
    for q in store.quads():
        if q.predicate.value == AG + "country":
            recorded.setdefault(q.subject.value, set()).add(q.object.value)
    for (code, _name), iri in resolution.existing.items():
        assert state_iri(code) in recorded.get(iri, set()), (code, iri)


def test_a_training_in_full(imported, rows) -> None:
    store, _ = imported
    row = next(r for r in rows if r["country"] == "Nigeria" and r["student_unit"].strip() and r["start_date"].strip() and r["total_cost"].strip())
    values: dict[tuple[str, str], set[str]] = {}
    for q in store.quads(FM_GRAPH):
        values.setdefault((q.subject.value, q.predicate.value.removeprefix(AG)), set()).add(q.object.value)
    nodes = [n for units in participants(store).values() for n in units]
    month, day, year = (int(p) for p in row["start_date"].split("/"))
    cost = row["total_cost"].replace("$", "").replace(",", "").strip()
    matching = [n for n in nodes if values.get((n, "startDate")) == {f"{year:04d}-{month:02d}-{day:02d}"} and values.get((n, "costUsd")) == {cost}
                and any(row["course_title"].strip() in note for note in values.get((n, "note"), set()))]  # fmt: skip
    assert matching, row


def test_trained_units_with_findings(imported) -> None:
    store, _ = imported
    page = named_queries.run(store, sparql.dataset_for(store), "trained_units_findings", {})
    records = list(page.records())
    from_report = [r for r in records if r["training"] is not None and "/fmtrpt-" in r["training"].value]
    assert from_report, "the demo's Nigerian units with findings should have report trainings"
    for record in from_report:
        assert record["order"].value in ("training before", "training after", "overlap or unknown")
        assert record["incident"] is not None and record["trainingStart"] is not None or record["order"].value == "overlap or unknown"


def test_bad_values_are_named_by_row_and_column(rows, tmp_path: Path) -> None:
    header = list(rows[0].keys())
    broken = [dict(r) for r in rows[:5]]
    broken[1]["start_date"] = "13/45/2017"
    broken[3]["country"] = "Atlantis"
    path = tmp_path / "broken.tsv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header, delimiter="\t")
        writer.writeheader()
        writer.writerows(broken)
    store = open_store(None)
    setup.load_ontology(store)
    with pytest.raises(fmtrpt.FmtrptImportError) as raised:
        fmtrpt.import_rows(store, [path])
    assert {(p.element, p.field) for p in raised.value.problems} == {("row 3", "start_date"), ("row 5", "country")}
    assert list(store.quads(FM_GRAPH)) == []
