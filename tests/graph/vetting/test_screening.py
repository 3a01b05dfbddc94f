"""Screening lists of names against the graph: spelling variants, transliteration, abbreviations,
acronyms, unit identifiers; scores with reasons; no confident match said plainly; CSV in and out."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from graph.index.names import fold
from graph.ingest import loader, setup
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource
from graph.query import sparql
from graph.store import EmbeddedStore, open_store
from graph.vetting import audit
from graph.vetting.screening.keys import acronym, key
from graph.vetting.screening.matching import match
from graph.vetting.screening.name_index import NameIndex, name_index
from graph.vetting.screening.rows import ScreeningError, ScreenInput, parse_csv, to_csv
from graph.vetting.screening.screen import iter_vetted, screen
from ontology.namespaces import FICTIONAL

UNIT, PERSON, GROUP = FICTIONAL + "unit/", FICTIONAL + "person/", FICTIONAL + "group/"


@pytest.fixture(scope="module")
def dataset(demo_store: EmbeddedStore) -> sparql.Dataset:
    return sparql.dataset_for(demo_store)


@pytest.fixture(scope="module")
def index(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> NameIndex:
    return name_index(demo_store, dataset, audit.data_version(demo_store, dataset).digest)


def row(name: str, kind: str = "", country: str = "", dob: str = "", unit_id: str = "") -> ScreenInput:
    return ScreenInput(2, name, kind, country, dob, unit_id)


def test_normalization() -> None:
    assert fold("Tállavar Sêrra Quórrin") == "tallavar serra quorrin"
    assert key("7 Mtn Bde") == key("7th Mountain Brigade") == key("7th Mountain Brigade (Veldoria)")
    assert key("Lt. Col. Oren Tállavar", person=True) == key("Tallavar, Oren", person=True)
    assert acronym("Rapid Intervention Police Unit (Veldoria)") == "ripu"
    assert acronym("Veldorian Coalition for Civilian Protection") == "vccp"
    assert acronym("Veldoria") is None


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("5º Batallón de Infantería", "5 Batallon de Infanteria"),
        ("4.º Batallón", "4 Batallon"),
        ("1ª Brigada", "1 Brigada"),
        ("5° Batallón", "5 Batallon"),
        ("5to Batallón", "5 Batallon"),
        ("3ra Brigada", "3 Brigada"),
        ("1er régiment", "1 regiment"),
        ("2ème division", "2 division"),
    ],
)
def test_ordinals_in_other_languages_compare_as_numbers(written: str, plain: str) -> None:
    assert key(written) == key(plain)
    # The number stays a token of its own, so a different number is caught ("numbers differ").
    assert plain.split()[0] in key(written).split()


def test_a_letter_after_a_number_is_kept_when_it_is_a_code() -> None:
    assert key("Company 1A") != key("Company 1B") and key("Company 1A") != key("Company 1")


@pytest.mark.parametrize(
    ("name", "kind", "country", "expected", "reason"),
    [
        ("Oren Tállavar", "person", "Veldoria", PERSON + "oren-tallavar", "exactly as written"),
        ("OREN TALLAVAR", "person", "Veldoria", PERSON + "oren-tallavar", "diacritics and case"),
        ("Tallavar, Oren", "person", "Veldoria", PERSON + "oren-tallavar", "another order"),
        ("Lt. Col. Oren Tallavar", "person", "", PERSON + "oren-tallavar", "ranks"),
        ("Kasimír Ombrécht", "person", "XV", PERSON + "kasimir-ombrecht", "exactly as written"),
        ("Kasimir Ombrecht Supt", "person", "XV", PERSON + "kasimir-ombrecht", "ranks"),
        ("7 Mtn Bde", "unit", "Veldoria", UNIT + "bde-7", "exactly as written"),
        ("Seventh Mountain Brigade of Veldoria", "unit", "Veldoria", None, None),
        ("72 Mountain Battalion", "unit", "Veldoria", UNIT + "bn-72", "abbreviations"),
        ("Brigada Serra", "unit", "", UNIT + "bde-7", "diacritics"),
        ("Quellmoor Hunters Guard", "group", "Veldoria", GROUP + "quellmoor-hunters-guard", "punctuation"),
        ("RIPU", "unit", "Veldoria", UNIT + "ripu", "RIPU"),
    ],
)
def test_spelling_variants_find_the_actor(index, demo_store, dataset, name, kind, country, expected, reason) -> None:
    result = match(index, row(name, kind, country), demo_store, dataset)
    if expected is None:
        assert result.status != "match"
        return
    assert result.status == "match", result.message
    assert result.best is not None and result.best.iri == expected
    assert any(reason.lower() in r.lower() for r in result.best.reasons), result.best.reasons


def test_every_candidate_has_a_score_and_reasons(index, demo_store, dataset) -> None:
    result = match(index, row("72 Mountain Battalion", "unit", "Veldoria"), demo_store, dataset)
    assert len(result.candidates) > 1
    for candidate in result.candidates:
        assert 0 <= candidate.score <= 100 and candidate.reasons and candidate.reasons[0].startswith("name ")
    # 71st and 72nd are one character apart and different units: numbers must agree.
    neighbour = [c for c in result.candidates if c.iri == UNIT + "bn-71"]
    assert neighbour and neighbour[0].score <= 70 and any("numbers differ" in r for r in neighbour[0].reasons)


def test_no_confident_match_is_said_plainly(index, demo_store, dataset) -> None:
    nobody = match(index, row("Jane Doe", "person", "Veldoria"), demo_store, dataset)
    assert nobody.status == "none" and nobody.message.startswith("no confident match") and nobody.vetting is None
    # A different recorded country costs points: Tállavar "of Orrandel" is not a confident match.
    elsewhere = match(index, row("Oren Tallavar", "person", "Orrandel"), demo_store, dataset)
    assert elsewhere.status == "none" and any("country differs" in r for r in elsewhere.candidates[0].reasons)
    # The type filters: there is no person called RIPU.
    assert match(index, row("RIPU", "person", "Veldoria"), demo_store, dataset).status == "none"


def test_unit_id_resolves_and_dates_of_birth_are_reported(index, demo_store, dataset) -> None:
    result = match(index, row("anything at all", "unit", "Veldoria", unit_id="unit/bn-45-integrated"), demo_store, dataset)
    assert result.status == "match" and result.best.iri == UNIT + "bn-45-integrated"
    assert "resolves to this actor" in result.best.reasons[0]
    person = match(index, row("Mirela Quorrin", "person", "Veldoria", dob="1975-03-02"), demo_store, dataset)
    assert any("date of birth not recorded" in r for r in person.best.reasons)


def test_two_actors_with_one_name_are_ambiguous() -> None:
    store = open_store(None)
    setup.load_ontology(store)
    turtle = f"""@prefix ag: <https://w3id.org/actorgraph/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <{PERSON}twin-a> a ag:Person ; rdfs:label "Ana Varga" ; ag:name "Ana Varga" .
    <{PERSON}twin-b> a ag:Person ; rdfs:label "Ana Várga" ; ag:name "Ana Várga" ."""
    loader.load_sources(store, [RdfSource.from_bytes("twins.ttl", turtle.encode(), format_named("turtle"))], graph="twins", trusted=True)
    dataset = sparql.dataset_for(store)
    built = NameIndex.build(store, dataset)
    result = match(built, row("Ana Varga", "person"), store, dataset)
    assert result.status == "ambiguous" and "2 candidates" in result.message
    assert {c.iri for c in result.candidates} == {PERSON + "twin-a", PERSON + "twin-b"}


def test_parse_csv_names_row_and_field() -> None:
    rows = parse_csv("\ufeffName,Type,Country,date_of_birth\nOren Tallavar,person,Veldoria,1970\n\nRIPU,unit,XV,\n".encode())
    assert [(r.row, r.name, r.kind, r.date_of_birth) for r in rows] == [(2, "Oren Tallavar", "person", "1970"), (4, "RIPU", "organization", "")]
    bad = {
        b"name,type\nx,person\n": "row 1 (header): missing column(s) country",
        b"name,type,country\nx,person,XV\n,unit,XV\n": "row 3, field 'name'",
        b"name,type,country\nx,vessel,XV\n": "row 2, field 'type'",
        b"name,type,country,date_of_birth\nx,person,XV,12/03/1970\n": "row 2, field 'date_of_birth'",
        b"": "empty",
        b"\xff\xfename": "not UTF-8",
    }
    for data, message in bad.items():
        with pytest.raises(ScreeningError, match=message.replace("(", r"\(").replace(")", r"\)")):
            parse_csv(data)


def test_screen_vets_confident_matches_and_writes_csv(demo_store, dataset) -> None:
    text = "name,type,country\nKasimir Ombrecht,person,Veldoria\nMirela Quórrin,person,Veldoria\nJane Doe,person,\n=HYPERLINK(1),unit,\n"
    results = screen(demo_store, dataset, parse_csv(text), version_digest="test", on=date(2025, 6, 1))
    outcomes = [(r.status, r.vetting.outcome if r.vetting else None) for r in results]
    assert outcomes == [("match", "flag"), ("match", "clear"), ("none", None), ("none", None)]
    table = list(csv.DictReader(io.StringIO(to_csv(results))))
    assert [t["outcome"] for t in table] == ["flag", "clear", "", ""]
    assert table[0]["subject"] == PERSON + "kasimir-ombrecht" and "Kasimir Ombrecht" in table[0]["candidates"]
    assert table[2]["reason"].startswith("no confident match")
    assert table[3]["name"] == "'=HYPERLINK(1)"  # a spreadsheet must not run it
    assert len(list(iter_vetted(results))) == 2
