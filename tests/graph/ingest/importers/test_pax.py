"""The PA-X importer, on the real agreements file in ../shared/data/pax, over the demo data:
figures computed here from the CSV, a Sierra Leone agreement checked in full, its RUF signatory
found by the screening matcher, the library query of provisions by country, and bad rows."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.ingest import loader, setup
from graph.ingest.formats import format_named
from graph.ingest.importers.pax import importer as pax
from graph.ingest.importers.pax.signatories import names_in
from graph.ingest.importers.sfm.countries import state_iri
from graph.query import named_queries, sparql
from graph.store import EmbeddedStore, open_store
from ontology.files import VOCABULARIES_FILE
from ontology.namespaces import AG, CODE, GRAPH, ID, RDF, SKOS
from tests.conftest import shared_data

AGREEMENTS = "pax/pax_all_agreements_data.csv"
PAX_GRAPH = ox.NamedNode(GRAPH + "pax")
TYPE = ox.NamedNode(RDF + "type")
PREFIXES = ("Ssr", "Ddr", "Jus", "Tj")
DDR = {"SsrDdr", "DdrProg", "DdrDemil"}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with shared_data(AGREEMENTS).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def imported() -> Iterator[tuple[EmbeddedStore, pax.PaxReport]]:
    store = open_store(None)
    setup.init_store(store, demo=True)
    yield store, pax.import_agreements(store, shared_data(AGREEMENTS))


def of_type(store: EmbeddedStore, local: str) -> set[str]:
    return {q.subject.value for q in store.quads(PAX_GRAPH) if q.predicate == TYPE and q.object == ox.NamedNode(AG + local)}


def values(store: EmbeddedStore, subject: str, local: str) -> set[str]:
    return {q.object.value for q in store.quads(PAX_GRAPH) if q.subject.value == subject and q.predicate.value == AG + local}


def test_every_agreement_and_provision_is_imported(imported, rows) -> None:
    store, report = imported
    ids = {r["AgtId"] for r in rows}
    provisions = sum(1 for r in rows for column, value in r.items() if column.startswith(PREFIXES) and value.strip() != "0")
    assert len(of_type(store, "PeaceAgreement")) == len(ids) == report.counts["agreements"]
    assert len(of_type(store, "Provision")) == provisions == report.counts["provisions"]
    counted = report.files[Path(AGREEMENTS).name]
    assert (counted.rows_read, counted.rows_imported, counted.rows_skipped) == (len(rows), len(rows), 0)


def test_a_sierra_leone_agreement_in_full(imported, rows) -> None:
    store, _ = imported
    row = next(r for r in rows if r["Loc1ISO"] == "SLE" and "For the RUF:" in r["Part"])
    node = f"{ID}agreement/pax-{row['AgtId']}"
    assert values(store, node, "signatureDate") == {row["Dat"]}
    assert values(store, node, "signaturePrecision") == {AG + "DayPrecision"}
    assert values(store, node, "country") == {state_iri("SL")}
    assert values(store, node, "agreementStage") == {f"{CODE}pax-stage-{row['Stage']}"}
    depths = {values(store, p, "provisionTopic").pop().removeprefix(f"{CODE}pax-"): int(values(store, p, "provisionDepth").pop())
              for p in values(store, node, "provision")}  # fmt: skip
    assert depths == {c: int(v) for c, v in row.items() if c.startswith(PREFIXES) and v != "0"}
    signings = [s for s in of_type(store, "Signing") if values(store, s, "agreement") == {node}]
    assert f"{ID}group/sl-ruf" in {values(store, s, "signatory").pop() for s in signings}
    for signing in signings:
        assert values(store, signing, "confidence") == {AG + "MediumConfidence"}


def test_signatories_are_reported_never_merged_silently(imported) -> None:
    store, report = imported
    found = report.signatories
    assert found.matched and found.unmatched
    signed = {values(store, s, "signatory").pop() for s in of_type(store, "Signing")}
    assert signed <= {iri for iri, _label, _score in found.matched.values()}
    # No new actor is made from a name: the pax graph types no actor but the states it cites.
    actor_types = {q.object.value for q in store.quads(PAX_GRAPH) if q.predicate == TYPE} - {
        AG + t for t in ("PeaceAgreement", "Provision", "Signing", "Source")
    }
    assert actor_types == {AG + "State"}


def test_the_same_file_twice_changes_nothing(imported) -> None:
    store, _ = imported
    again = pax.import_agreements(store, shared_data(AGREEMENTS))
    assert [g.action for g in again.graphs] == ["unchanged"]


def test_provisions_for_a_country_and_the_programs_they_mandate(imported, rows) -> None:
    store, _ = imported
    lome = next(r for r in rows if r["Loc1ISO"] == "SLE" and r["DdrProg"] != "0")
    program = f"""@prefix ag: <{AG}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix prov: <http://www.w3.org/ns/prov#> .
    <https://w3id.org/actorgraph/fictional/id/program/ddr-test> a ag:DDRProgram ; rdfs:label "DDR test programme" ;
        ag:mandatedBy <{ID}agreement/pax-{lome["AgtId"]}> ; prov:wasDerivedFrom <{ID}source/pax-2> ."""
    loader.load_sources(store, [loader.RdfSource.from_bytes("mandate.ttl", program.encode(), format_named("turtle"))], graph="mandates")
    page = named_queries.run(store, sparql.dataset_for(store), "agreement_provisions", {"country": "state/sierra-leone", "topic": "SsrDdr"})
    records = [r for r in page.records() if "/agreement/pax-" in r["agreement"].value]  # the demo has its own Lome agreement
    expected = {r["AgtId"] for r in rows if "SLE" in (r["Loc1ISO"], r["Loc2ISO"]) and any(r[c] != "0" for c in DDR)}
    assert {r["agreement"].value.rsplit("-", 1)[-1] for r in records} == expected
    assert {r["code"].value for r in records} <= DDR
    mandated = {
        r["agreement"].value for r in records if r["mandatedPrograms"] is not None and "DDR test programme" in r["mandatedPrograms"].value
    }
    assert mandated == {f"{ID}agreement/pax-{lome['AgtId']}"}


def test_every_provision_column_has_a_concept(rows) -> None:
    import rdflib

    vocabularies = rdflib.Graph().parse(VOCABULARIES_FILE, format="turtle")
    scheme = rdflib.URIRef(CODE + "pax-provision")
    notations = {
        str(vocabularies.value(c, rdflib.URIRef(SKOS + "notation")))
        for c in vocabularies.subjects(rdflib.URIRef(SKOS + "inScheme"), scheme)
    }
    assert {c for c in rows[0] if c.startswith(PREFIXES)} == notations


def test_names_in_a_parties_cell() -> None:
    cell = "For the Government of Veldoria: Minister Aurel Vantessi;\n(Signed) For the VLF: Commander Pell Varno, Chairman"
    assert names_in(cell) == ["Government of Veldoria", "Minister Aurel Vantessi", "VLF", "Commander Pell Varno", "Chairman"]
    assert names_in("") == [] and names_in("; , :") == []


def write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "agreements.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_bad_values_are_named_by_row_and_column(rows, tmp_path: Path) -> None:
    broken = [dict(r) for r in rows[:5]]
    broken[0]["Dat"] = "2001-13-01"
    broken[2]["SsrDdr"] = "5"
    broken[3]["Loc1ISO"] = "XYZ"
    broken[4]["AgtId"] = broken[1]["AgtId"]
    store = open_store(None)
    setup.load_ontology(store)
    with pytest.raises(pax.PaxImportError) as raised:
        pax.import_agreements(store, write(tmp_path, broken))
    assert {(p.element, p.field) for p in raised.value.problems} == {
        ("row 2", "Dat"),
        ("row 4", "SsrDdr"),
        ("row 5", "Loc1ISO"),
        ("row 6", "AgtId"),
    }
    assert list(store.quads(PAX_GRAPH)) == []


@pytest.mark.parametrize(
    ("written", "day", "precision"), [("1999-07", "1999-07-01", "MonthPrecision"), ("1999", "1999-01-01", "YearPrecision")]
)
def test_partial_signature_dates(rows, tmp_path: Path, written: str, day: str, precision: str) -> None:
    row = dict(rows[0])
    row["Dat"] = written
    store = open_store(None)
    setup.load_ontology(store)
    pax.import_agreements(store, write(tmp_path, [row]))
    node = f"{ID}agreement/pax-{row['AgtId']}"
    assert values(store, node, "signatureDate") == {day}
    assert values(store, node, "signaturePrecision") == {AG + precision}


def test_an_empty_file_imports_no_agreement(rows, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(",".join(rows[0]) + "\n", encoding="utf-8")
    store = open_store(None)
    setup.load_ontology(store)
    report = pax.import_agreements(store, path)
    assert report.counts["agreements"] == 0 and report.files["empty.csv"].rows_read == 0
