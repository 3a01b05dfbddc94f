"""The UCDP actor list importer, on the real list in ../shared/data/ucdp.

Expected figures are computed here from the CSV with the csv module, independently of the importer;
broken lists are the real file with one value changed, written to tmp_path.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from api.cli.main import app
from graph.ingest import setup
from graph.ingest.importers.ucdp import importer as ucdp
from graph.store import EmbeddedStore, open_store
from ontology.namespaces import AG, CODE, DCTERMS, GRAPH, ID, PROV, RDF, RDFS
from tests.conftest import shared_data

LIST = "ucdp/ucdp-actor-221.csv"
UCDP = ox.NamedNode(GRAPH + "ucdp")
TYPE = ox.NamedNode(RDF + "type")
CLASSES = {"1": "RebelGroup", "2": "PoliticalMilitia", "3": "CommunityMilitia", "4": "State"}  # the SKOS mappings' choice


@pytest.fixture(scope="module")
def list_file() -> Path:
    return shared_data(LIST)


@pytest.fixture(scope="module")
def rows(list_file: Path) -> list[dict[str, str]]:
    with list_file.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def imported(list_file: Path) -> Iterator[tuple[EmbeddedStore, ucdp.UcdpReport]]:
    store = open_store(None)
    setup.init_store(store, demo=True)
    yield store, ucdp.import_actor_list(store, list_file)


def org(actor_id: str) -> str:
    return f"{ID}org/ucdp-{actor_id}"


def objects(store: EmbeddedStore, subject: str, predicate: str) -> set[str]:
    return {q.object.value for q in store.quads(UCDP) if q.subject.value == subject and q.predicate.value == predicate}


def of_type(store: EmbeddedStore, cls: str) -> set[str]:
    return {q.subject.value for q in store.quads(UCDP) if q.predicate == TYPE and q.object == ox.NamedNode(AG + cls)}


def test_every_actor_with_its_class_and_code(imported, rows) -> None:
    store, report = imported
    assert len(rows) == 1725  # the figure the data README gives
    by_org = Counter(r["Org"].strip() for r in rows)
    for code, cls in CLASSES.items():
        assert len(of_type(store, cls)) == by_org[code], cls
    coded = Counter(q.object.value for q in store.quads(UCDP) if q.predicate.value == AG + "actorType")
    assert coded == {f"{CODE}ucdp-org-{code}": n for code, n in by_org.items()}
    assert report.files["ucdp-actor-221.csv"].rows_imported == len(rows)


def test_links_whose_ends_are_in_the_file(imported, rows) -> None:
    store, report = imported
    ids = {r["ActorId"].strip() for r in rows}

    def links(flag: str, column: str) -> set[tuple[str, str]]:
        return {(r["ActorId"].strip(), other.strip()) for r in rows if r[flag].strip() == "1"
                for other in r[column].split(",") if other.strip() in ids and other.strip() != r["ActorId"].strip()}  # fmt: skip

    splinters = links("Splinter", "ActorIdPrev") | links("SplitTemp", "ActorIdSplitTemp")
    alliances = links("Alliance", "ActorIdAlliance")
    assert len(of_type(store, "Succession")) == len(splinters) == report.counts["splinter links"]
    assert len(of_type(store, "Alliance")) == len(alliances) == report.counts["alliance links"]
    actor, previous = min(splinters)
    node = f"{ID}relation/ucdp-splinter-{previous}-{actor}"
    assert objects(store, node, AG + "predecessor") == {org(previous)} and objects(store, node, AG + "successor") == {org(actor)}
    assert objects(store, node, AG + "successionKind") == {AG + "Splinter"}


def test_an_actor_in_full(imported, rows) -> None:
    store, _ = imported
    row = next(r for r in rows if r["NameOrigFull"].count(" / ") == 1)  # original script / transliteration
    actor = org(row["ActorId"].strip())
    assert objects(store, actor, RDFS + "label") == {row["NameData"].strip()}
    assert objects(store, actor, DCTERMS + "identifier") == {f"ucdp:{row['ActorId'].strip()}"}
    original, transliterated = (p.strip() for p in row["NameOrigFull"].split(" / "))
    assert {original, transliterated} <= objects(store, actor, AG + "alias")
    source = f"{ID}source/ucdp-actor-22.1"
    assert objects(store, actor, PROV + "wasDerivedFrom") == {source}
    assert objects(store, source, DCTERMS + "issued") == {"2022"}
    assert "Uppsala Conflict Data Program" in next(iter(objects(store, source, DCTERMS + "publisher")))


def test_the_crosswalk_reports_and_never_merges(imported) -> None:
    store, report = imported
    found = {c.ucdp_id: c for c in report.crosswalk}
    # Sierra Leone's RUF and Kenya's Mungiki are in the demo data under their own IRIs.
    assert found[532].status == "match" and found[532].candidates[0]["iri"] == f"{ID}group/sl-ruf"
    assert found[714].candidates[0]["iri"] == f"{ID}group/ke-mungiki"
    assert all(c.candidates and c.candidates[0]["reasons"] for c in report.crosswalk)
    # Nothing merged: the UCDP actor keeps its own IRI and the graph says nothing about the demo's.
    assert {q.subject.value for q in store.quads(UCDP) if q.subject.value == f"{ID}group/sl-ruf"} == set()
    assert objects(store, org("532"), RDFS + "label") == {"RUF"}


def test_the_same_file_twice_changes_nothing(list_file: Path) -> None:
    store = open_store(None)
    setup.load_ontology(store)
    ucdp.import_actor_list(store, list_file)
    before = io.BytesIO()
    store.dump(before)
    assert [g.action for g in ucdp.import_actor_list(store, list_file).graphs] == ["unchanged"]
    after = io.BytesIO()
    store.dump(after)
    assert sorted(before.getvalue().splitlines()) == sorted(after.getvalue().splitlines())


def test_bad_values_are_named_by_row_and_column(list_file: Path, rows, tmp_path: Path) -> None:
    text = list_file.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    header = next(csv.reader([text[0]]))
    broken_rows = [dict(r) for r in rows]
    broken_rows[0]["Org"] = "7"
    broken_rows[2]["ActorId"] = broken_rows[1]["ActorId"]
    broken = tmp_path / "broken.csv"
    with broken.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(broken_rows)
    store = open_store(None)
    setup.load_ontology(store)
    with pytest.raises(ucdp.UcdpImportError) as raised:
        ucdp.import_actor_list(store, broken)
    assert {(p.element, p.field) for p in raised.value.problems} == {("row 2", "Org"), ("row 4", "ActorId")}
    assert list(store.quads(UCDP)) == []


def test_the_command(list_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    store_dir = str(tmp_path / "store")
    assert runner.invoke(app, ["init", "--store", store_dir]).exit_code == 0
    result = runner.invoke(app, ["import", "ucdp", str(list_file), "--store", store_dir, "--no-reason"])
    assert result.exit_code == 0, result.output
    assert "1725 rows read, 1725 imported, 0 skipped" in result.output and "crosswalk (for review, nothing merged)" in result.output
