"""Screening against the demo data and the real UN list: other scripts, dates of birth with their
precision, nationalities, low-quality aliases. The list is read from ../shared/data/unsc."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

from graph.ingest import setup
from graph.ingest.importers.unsc import importer as unsc
from graph.query import sparql
from graph.store import EmbeddedStore, open_store
from graph.vetting.screening.matching import CONFIDENT, match
from graph.vetting.screening.name_index import NameIndex
from graph.vetting.screening.particulars import OTHER_NATIONALITY_COST, OTHER_YEAR_COST
from graph.vetting.screening.rows import ScreenInput, ScreenRow
from ontology.namespaces import FICTIONAL, ID
from tests.conftest import shared_data

LIST = "unsc/unsc_consolidated_generated_2018-10-29.xml"


@pytest.fixture(scope="module")
def screened() -> Iterator[tuple[EmbeddedStore, NameIndex, ET.Element]]:
    path = shared_data(LIST)
    store = open_store(None)
    setup.init_store(store, demo=True)
    unsc.import_list(store, path)
    yield store, NameIndex.build(store, sparql.dataset_for(store)), ET.parse(path).getroot()


def screen(index: NameIndex, name: str, kind: str = "person", country: str = "", dob: str = "") -> ScreenRow:
    return match(index, ScreenInput(2, name, kind, country, dob))


def un_person(reference: str) -> str:
    return f"{ID}person/unsc-{reference.lower().replace('.', '-')}"


def test_cyrillic_finds_the_latin_record(screened) -> None:
    _, index, _ = screened
    result = screen(index, "Орен Таллавар", country="Veldoria")
    assert result.status == "match", result.message
    assert result.best is not None and result.best.iri == FICTIONAL + "person/oren-tallavar"


def test_original_script_matches_the_listed_person(screened) -> None:
    _, index, tree = screened
    entry = next(e for e in tree.iter("INDIVIDUAL") if (e.findtext("REFERENCE_NUMBER") or "").strip() == "QDi.400")
    result = screen(index, (entry.findtext("NAME_ORIGINAL_SCRIPT") or "").strip())
    assert result.status == "match" and result.best is not None and result.best.iri == un_person("QDi.400")


def test_birth_date_and_nationality_agree(screened) -> None:
    _, index, _ = screened
    result = screen(index, "Ri Won Ho", country="Democratic People's Republic of Korea", dob="1964-07-17")
    assert result.status == "match" and result.best is not None and result.best.iri == un_person("KPi.033")
    assert any(r.startswith("date of birth matches (1964-07-17)") for r in result.best.reasons)
    assert any(r.startswith("nationality matches") for r in result.best.reasons)
    assert result.best.score >= CONFIDENT


def test_another_birth_year_and_nationality_cost_points(screened) -> None:
    _, index, _ = screened
    plain = screen(index, "Ri Won Ho").best
    older = screen(index, "Ri Won Ho", dob="1971").best
    elsewhere = screen(index, "Ri Won Ho", country="Jordan").best
    same_year = screen(index, "Ri Won Ho", dob="1964-01-02").best
    assert plain is not None and older is not None and elsewhere is not None and same_year is not None
    assert older.iri == elsewhere.iri == plain.iri == un_person("KPi.033")
    assert older.score == pytest.approx(max(0.0, plain.score - OTHER_YEAR_COST))
    assert any("year of birth differs (recorded: 1964-07-17)" in r for r in older.reasons)
    assert elsewhere.score == pytest.approx(max(0.0, plain.score - OTHER_NATIONALITY_COST))
    assert any("nationality differs" in r for r in elsewhere.reasons)
    assert plain.score - OTHER_YEAR_COST < same_year.score < plain.score


def test_an_approximate_year_counts_with_a_year_of_slack(screened) -> None:
    _, index, tree = screened
    entry = next(
        e for e in tree.iter("INDIVIDUAL")
        if [(d.findtext("TYPE_OF_DATE"), bool(d.findtext("YEAR"))) for d in e.iter("INDIVIDUAL_DATE_OF_BIRTH")] == [("APPROXIMATELY", True)]
    )  # fmt: skip
    year = int(next(entry.iter("INDIVIDUAL_DATE_OF_BIRTH")).findtext("YEAR") or "0")
    name = " ".join(p for p in ((entry.findtext(t) or "").strip() for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")) if p)
    target = un_person((entry.findtext("REFERENCE_NUMBER") or "").strip())
    near = screen(index, name, dob=str(year + 1))
    far = screen(index, name, dob=str(year + 5))
    near_best = next(c for c in near.candidates if c.iri == target)
    far_best = next(c for c in far.candidates if c.iri == target)
    assert any("fits the approximate year" in r for r in near_best.reasons)
    assert any("year of birth differs" in r for r in far_best.reasons) and far_best.score < near_best.score


def test_a_low_quality_alias_alone_is_never_confident(screened) -> None:
    _, index, _ = screened
    result = screen(index, "Abu Hamza Al-Masri")  # QDi.067's low-quality alias
    assert result.status != "match"
    weak = next(c for c in result.candidates if c.iri == un_person("QDi.067"))
    assert weak.score < CONFIDENT and any("low-quality alias" in r for r in weak.reasons)


def test_a_dropped_middle_name_is_found_with_its_reason(screened) -> None:
    _, index, _ = screened
    result = screen(index, "Mostafa Kamel Ibrahim")  # listed as MOSTAFA KAMEL MOSTAFA IBRAHIM (QDi.067)
    assert result.status == "match" and result.best is not None and result.best.iri == un_person("QDi.067")
    assert any("every word of the name is in 'MOSTAFA KAMEL MOSTAFA IBRAHIM', which has 1 more" in r for r in result.best.reasons)
    # Too short to tell people apart: two syllables of a Korean name are not a confident match.
    assert screen(index, "Ri Ho").status != "match"


def test_a_closed_up_hyphen_finds_the_demo_and_the_listed_record_alike(screened) -> None:
    """The demo's Boko Haram and the UN list's QDe.138 are one group recorded twice: ambiguous, both shown."""
    _, index, _ = screened
    result = screen(index, "Jama'atu Ahlis Sunna Lidda'awati Waljihad", kind="organization")
    assert result.status == "ambiguous"
    iris = {c.iri for c in result.candidates[:2]}
    assert f"{ID}org/unsc-qde-138" in iris and any(i.endswith("ng-boko-haram") for i in iris)
