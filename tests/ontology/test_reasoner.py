"""The OWL checker: HermiT must find the model consistent, and must say why when data breaks it.

Each HermiT run takes about a second (JVM start included), so none of these is marked slow.
"""

from __future__ import annotations

from pathlib import Path

import owlready2
import pytest
import rdflib

from ontology import reasoner
from ontology.namespaces import AG

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = FIXTURES / "reasoning_sample.ttl"

PREFIXES = """\
@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix f: <https://w3id.org/actorgraph/fictional/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def test_model_is_consistent_and_coherent() -> None:
    report = reasoner.check_consistency()
    assert report.consistent, report.explanation
    assert report.inconsistent_classes == []
    assert report.ok and report.explanation == ""


def test_sample_data_with_dates_and_years_is_consistent() -> None:
    # The sample carries xsd:date on every relation and xsd:gYear on sources: both outside the
    # OWL 2 datatype map, which would make HermiT abort without the reasoner's workarounds.
    report = reasoner.check_consistency([SAMPLE])
    assert report.ok, report.explanation


def test_person_that_is_also_an_organization_is_inconsistent() -> None:
    data = PREFIXES + "f:person-janus a ag:Person, ag:Organization .\n"
    report = reasoner.check_consistency([data])
    assert not report.consistent
    assert not report.ok
    assert "inconsistent" in report.explanation
    # Pellet names the clashing axioms, by local name.
    for fragment in ("person-janus type Person", "person-janus type Organization", "disjointWith"):
        assert fragment in report.explanation, report.explanation


def test_alliance_that_names_a_rival_is_inconsistent() -> None:
    # ag:rival has the domain ag:Rivalry, which is disjoint with ag:Alliance.
    data = PREFIXES + (
        "f:relation-odd a ag:Alliance ; ag:firstParty f:group-a ; ag:rival f:group-b ;\n"
        '    ag:startDate "2020-01-01"^^xsd:date .\n'
    )
    report = reasoner.check_consistency([data])
    assert not report.consistent
    assert "Rivalry" in report.explanation and "relation-odd" in report.explanation, report.explanation


def test_unsatisfiable_class_is_listed() -> None:
    data = PREFIXES + "f:Centaur a owl:Class ; rdfs:subClassOf ag:Person, ag:Organization .\n"
    report = reasoner.check_consistency([data])
    assert report.consistent
    assert report.inconsistent_classes == ["https://w3id.org/actorgraph/fictional/id/Centaur"]
    assert not report.ok
    assert "Centaur" in report.explanation


def test_derive_links_refuses_inconsistent_input() -> None:
    data = PREFIXES + "f:person-janus a ag:Person, ag:Organization .\n"
    with pytest.raises(reasoner.InconsistentInput, match="disjointWith"):
        reasoner.derive_links([data], [AG + "memberOf"])


def test_derive_links_rejects_unknown_property() -> None:
    with pytest.raises(ValueError, match="not an object property"):
        reasoner.derive_links([SAMPLE], [AG + "noSuchProperty"])


def test_unreadable_input_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(reasoner.ReasonerError, match="broken.ttl"):
        reasoner.check_consistency([broken])


def test_missing_java_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(owlready2, "JAVA_EXE", "no-such-java")
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(reasoner.ReasonerUnavailable, match="Java was not found"):
        reasoner.check_consistency()


@pytest.mark.parametrize(
    ("lexical", "expected"),
    [
        ("2019-03-01", "2019-03-01T00:00:00"),
        ("2019-03-01Z", "2019-03-01T00:00:00Z"),
        ("2019-03-01+01:00", "2019-03-01T00:00:00+01:00"),
    ],
)
def test_dates_become_datetimes_for_hermit(lexical: str, expected: str) -> None:
    subject, predicate = rdflib.URIRef("urn:s"), rdflib.URIRef(AG + "startDate")
    date = rdflib.Literal(lexical, datatype=rdflib.URIRef(reasoner.XSD_DATE), normalize=False)
    converted = reasoner._hermit_safe((subject, predicate, date))
    assert converted[2] == rdflib.Literal(expected, datatype=rdflib.URIRef(reasoner.XSD_DATE_TIME), normalize=False)


def test_other_literals_pass_unchanged() -> None:
    triple = (rdflib.URIRef("urn:s"), rdflib.URIRef(AG + "name"), rdflib.Literal("Kestria"))
    assert reasoner._hermit_safe(triple) is triple
