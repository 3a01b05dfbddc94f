"""The UN Security Council consolidated list importer, on the real list in ../shared/data/unsc.

Expected figures are computed here from the XML with ElementTree, independently of the importer.
Newer lists and broken lists are derived from the real file inside tmp_path (never copied into
the repository): entries removed, the generation date moved, a value broken.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from api.cli.main import app
from graph.index.identifiers import resolve
from graph.ingest import registry, setup
from graph.ingest.importers.unsc import importer as unsc
from graph.query.sparql import dataset_for
from graph.store import EmbeddedStore, open_store
from graph.vetting.engine import vet
from ontology.namespaces import AG, DCTERMS, GRAPH, ID, PROV, RDF, RDFS, SCHEMA
from tests.conftest import shared_data
from tests.support.snapshots import snapshot

LIST = "unsc/unsc_consolidated_generated_2018-10-29.xml"
UNSC = ox.NamedNode(GRAPH + "unsc")
TYPE = ox.NamedNode(RDF + "type")
GENERATED = date(2018, 10, 29)


def ag(local: str) -> ox.NamedNode:
    return ox.NamedNode(AG + local)


@pytest.fixture(scope="module")
def list_file() -> Path:
    return shared_data(LIST)


@pytest.fixture(scope="module")
def tree(list_file: Path) -> ET.Element:
    return ET.parse(list_file).getroot()


@pytest.fixture(scope="module")
def imported(list_file: Path) -> Iterator[EmbeddedStore]:
    """One store with the ontology and the real list, shared by the read-only tests."""
    store = open_store(None)
    setup.load_ontology(store)
    unsc.import_list(store, list_file)
    yield store


def fresh(path: Path) -> EmbeddedStore:
    store = open_store(None)
    setup.load_ontology(store)
    unsc.import_list(store, path)
    return store


def objects(store: EmbeddedStore, subject: str, local: str, predicate_ns: str = AG) -> set[str]:
    return {q.object.value for q in store.quads(UNSC) if q.subject.value == subject and q.predicate.value == predicate_ns + local}


def of_type(store: EmbeddedStore, cls: str) -> set[str]:
    return {q.subject.value for q in store.quads(UNSC) if q.predicate == TYPE and q.object == ag(cls)}




def person(reference: str) -> str:
    return f"{ID}person/unsc-{reference.lower().replace('.', '-')}"


def listing(reference: str, listed_on: str) -> str:
    return f"{ID}relation/unsc-listing-{reference.lower().replace('.', '-')}-{listed_on}"


def text(element: ET.Element, tag: str) -> str:
    return " ".join((element.findtext(tag) or "").split())


# -- counts and spot checks ------------------------------------------------------------------


def test_every_entry_becomes_an_actor_and_a_listing(imported: EmbeddedStore, tree: ET.Element) -> None:
    individuals, entities = tree.findall("INDIVIDUALS/INDIVIDUAL"), tree.findall("ENTITIES/ENTITY")
    assert (len(individuals), len(entities)) == (703, 390)  # the figures the data README gives
    assert len(of_type(imported, "Person")) == len(individuals)
    assert len(of_type(imported, "Organization")) == len(entities)
    listings = of_type(imported, "SanctionsListing")
    assert len(listings) == len(individuals) + len(entities)
    references = {text(e, "REFERENCE_NUMBER") for e in individuals + entities}
    assert {v for s in listings for v in objects(imported, s, "listingReference")} == references
    regimes = {q.object for q in imported.quads(UNSC) if q.predicate == ag("regimeType")}
    assert regimes == {ag("UNSecurityCouncilRegime")}


def test_alias_qualities_are_kept(imported: EmbeddedStore, tree: ET.Element) -> None:
    graded = [(text(e, "REFERENCE_NUMBER"), text(a, "ALIAS_NAME"), text(a, "QUALITY")) for e in tree.iter("INDIVIDUAL") for a in e.iter("INDIVIDUAL_ALIAS")]
    good = {(ref, name) for ref, name, quality in graded if quality != "Low"}
    # A name the list also gives as a good alias of the same entry (QDi.067's "Abu Hamza") is good.
    low = {(ref, name) for ref, name, quality in graded if quality == "Low" and name and (ref, name) not in good}
    weak = {q for q in imported.quads(UNSC) if q.predicate == ag("weakAlias") and "/person/" in q.subject.value}
    assert len(weak) == len(low) > 500
    reference, name = min(low)
    assert name in objects(imported, person(reference), "weakAlias")
    assert name not in objects(imported, person(reference), "alias")


def test_an_individual_in_full(imported: EmbeddedStore) -> None:
    """KPi.033 as the list gives it: padded names cleaned, date of birth, nationality, post, passport."""
    actor = person("KPi.033")
    assert objects(imported, actor, "label", RDFS) == {"RI WON HO"}
    assert resolve(imported, dataset_for(imported), "KPi.033").value == actor  # the reference names the person
    assert objects(imported, actor, "birthDate", SCHEMA) == {"1964-07-17"}
    assert objects(imported, actor, "nationality") == {"Democratic People's Republic of Korea"}
    assert objects(imported, actor, "designation") == {"DPRK Ministry of State Security Official"}
    assert objects(imported, actor, "identityDocument") == {"Passport 381310014"}
    node = listing("KPi.033", "2016-11-30")
    assert objects(imported, node, "listedParty") == {actor}
    assert objects(imported, node, "sanctionsRegime") == {"DPRK"}
    assert objects(imported, node, "startDate") == {"2016-11-30"}
    assert objects(imported, node, "endDate") == set()


def test_original_script_and_partial_birth_dates(imported: EmbeddedStore, tree: ET.Element) -> None:
    actor = person("QDi.400")
    assert "إياد نظمي صالح خليل" in objects(imported, actor, "alias")
    assert objects(imported, actor, "nationality") == {"Jordan"}
    between = next(e for e in tree.iter("INDIVIDUAL") if any(text(d, "TYPE_OF_DATE") == "BETWEEN" for d in e.iter("INDIVIDUAL_DATE_OF_BIRTH")))
    dob = next(d for d in between.iter("INDIVIDUAL_DATE_OF_BIRTH") if text(d, "TYPE_OF_DATE") == "BETWEEN")
    first, last = int(text(dob, "FROM_YEAR")), int(text(dob, "TO_YEAR"))
    years = objects(imported, person(text(between, "REFERENCE_NUMBER")), "approximateBirthYear")
    assert {str(y) for y in range(first, last + 1)} <= years


def test_every_statement_cites_the_list(imported: EmbeddedStore) -> None:
    source = f"{ID}source/unsc-consolidated-list-2018-10-29"
    assert objects(imported, source, "publisher", DCTERMS) == {"United Nations Security Council"}
    assert objects(imported, source, "issued", DCTERMS) == {"2018-10-29"}
    assert objects(imported, source, "url", SCHEMA) == {unsc.DEFAULT_URL}
    [title] = objects(imported, source, "title", DCTERMS)
    assert "Consolidated List" in title and "2018-10-29T19:09:49" in title
    cited = {q.subject.value for q in imported.quads(UNSC) if q.predicate.value == PROV + "wasDerivedFrom" and q.object.value == source}
    assert of_type(imported, "Person") | of_type(imported, "Organization") | of_type(imported, "SanctionsListing") <= cited
    [record] = [g for g in registry.registered_graphs(imported) if g.graph == UNSC]
    assert record.importer == "unsc"


# -- atomic, idempotent, history -------------------------------------------------------------


def test_the_same_list_twice_changes_nothing(list_file: Path) -> None:
    store = fresh(list_file)
    before = snapshot(store)
    report = unsc.import_list(store, list_file)
    assert [g.action for g in report.graphs] == ["unchanged"]
    assert snapshot(store) == before


def newer_list(original: Path, target: Path, generated: str, drop: set[str]) -> Path:
    """The real list with entries removed and another generation time, written to `target`."""
    data = original.read_text(encoding="utf-8")
    data = re.sub(r'dateGenerated="[^"]*"', f'dateGenerated="{generated}"', data, count=1)
    for reference in drop:
        data, count = re.subn(rf"<(INDIVIDUAL|ENTITY)>(?:(?!</\1>).)*<REFERENCE_NUMBER>{re.escape(reference)}\s*</REFERENCE_NUMBER>.*?</\1>", "", data, flags=re.DOTALL)
        assert count == 1, reference
    target.write_text(data, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def with_newer(list_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[EmbeddedStore, Path]:
    newer = newer_list(list_file, tmp_path_factory.mktemp("unsc") / "newer.xml", "2018-11-15T10:00:00.000-05:00", {"KPi.033", "QDe.138"})
    store = fresh(list_file)
    report = unsc.import_list(store, newer)
    assert report.counts["listings ended by this list (no longer on it)"] == 2
    return store, newer


def test_a_newer_list_delists_what_it_no_longer_holds(with_newer: tuple[EmbeddedStore, Path], tree: ET.Element) -> None:
    store, _ = with_newer
    node = listing("KPi.033", "2016-11-30")
    assert objects(store, node, "endDate") == {"2018-11-15"}
    assert objects(store, node, "startDate") == {"2016-11-30"}
    assert objects(store, node, "wasDerivedFrom", PROV) == {f"{ID}source/unsc-consolidated-list-{d}" for d in ("2018-10-29", "2018-11-15")}
    assert objects(store, person("KPi.033"), "label", RDFS) == {"RI WON HO"}  # kept, never deleted
    assert len(of_type(store, "SanctionsListing")) == len(tree.findall("*/INDIVIDUAL")) + len(tree.findall("*/ENTITY"))
    still = listing("KPi.037", "2016-11-30")
    assert objects(store, still, "endDate") == set()


def test_history_survives_a_reimport_and_refuses_an_older_list(with_newer: tuple[EmbeddedStore, Path], list_file: Path) -> None:
    store, newer = with_newer
    before = snapshot(store)
    assert [g.action for g in unsc.import_list(store, newer).graphs] == ["unchanged"]
    with pytest.raises(unsc.UnscImportError, match=r"generated on 2018-10-29, before the list already in graph 'unsc' \(2018-11-15\)"):
        unsc.import_list(store, list_file)
    assert snapshot(store) == before


@pytest.mark.parametrize(("day", "current"), [(date(2018, 11, 14), True), (date(2018, 11, 16), False)])
def test_vetting_reads_the_delisting_day(with_newer: tuple[EmbeddedStore, Path], day: date, current: bool) -> None:
    """Listed the day before the newer list, former the day after."""
    store, _ = with_newer
    result = vet(store, dataset_for(store), person("KPi.033"), on=day)
    [finding] = [f for f in result.findings if f.rule == "sanctions"]
    assert finding.current is current
    assert finding.evidence[0].relation == listing("KPi.033", "2016-11-30")


def test_vetting_before_the_listing_date_finds_nothing(imported: EmbeddedStore) -> None:
    result = vet(imported, dataset_for(imported), person("KPi.033"), on=date(2016, 11, 30) - timedelta(days=1))
    assert [f for f in result.findings if f.rule == "sanctions"] == []


# -- bad input -------------------------------------------------------------------------------


def test_bad_values_are_named_by_element_and_field_and_nothing_is_written(list_file: Path, tmp_path: Path) -> None:
    data = list_file.read_text(encoding="utf-8")
    data = data.replace("<LISTED_ON>2016-11-30</LISTED_ON>", "<LISTED_ON>2016-11-31</LISTED_ON>", 1)
    data = data.replace("<QUALITY>Low</QUALITY>", "<QUALITY>Medium</QUALITY>", 1)
    broken = tmp_path / "broken.xml"
    broken.write_text(data, encoding="utf-8")
    store = open_store(None)
    setup.load_ontology(store)
    before = snapshot(store)
    with pytest.raises(unsc.UnscImportError) as raised:
        unsc.import_list(store, broken)
    fields = {(p.field, p.element.split(" (")[0].split()[0] if p.element else None) for p in raised.value.problems}
    assert fields == {("LISTED_ON", "INDIVIDUAL"), ("QUALITY", "INDIVIDUAL")}
    assert "2016-11-31" in str(raised.value) and "'Medium'" in str(raised.value)
    assert snapshot(store) == before


def test_not_a_list(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<ROOT/>", encoding="utf-8")
    with pytest.raises(unsc.UnscImportError, match="root element must be CONSOLIDATED_LIST"):
        unsc.read_list(other)
    truncated = tmp_path / "truncated.xml"
    truncated.write_text("<CONSOLIDATED_LIST dateGenerated='2018-10-29T00:00:00'><INDIVIDUALS>", encoding="utf-8")
    with pytest.raises(unsc.UnscImportError, match="not well-formed"):
        unsc.read_list(truncated)


# -- the command -----------------------------------------------------------------------------


def test_the_command_reports_and_fails_cleanly(list_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    store_dir = str(tmp_path / "store")
    assert runner.invoke(app, ["init", "--store", store_dir]).exit_code == 0
    result = runner.invoke(app, ["import", "unsc", str(list_file), "--store", store_dir, "--no-reason"])
    assert result.exit_code == 0, result.output
    assert "INDIVIDUAL: 703 rows read, 703 imported, 0 skipped" in result.output
    assert "graph unsc: created" in result.output
    again = runner.invoke(app, ["import", "unsc", str(list_file), "--store", store_dir, "--no-reason"])
    assert "graph unsc: unchanged" in again.output
    bad = tmp_path / "bad.xml"
    bad.write_text("<ROOT/>", encoding="utf-8")
    failed = runner.invoke(app, ["import", "unsc", str(bad), "--store", store_dir])
    assert failed.exit_code == 1 and "nothing was imported" in failed.output
