"""Names are folded, and short names expanded, in one place for the whole graph layer."""

from __future__ import annotations

import pytest

from graph.index.names import candidate_iris, fold, local_name, normalize
from ontology.namespaces import FICTIONAL, ID, SYNTHETIC


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Tállavar Sêrra", "tallavar serra"),
        ("  Fuerza   Aérea ", "fuerza aerea"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("", ""),
    ],
)
def test_fold_strips_accents_case_and_extra_spaces(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_normalize_also_turns_punctuation_into_spaces() -> None:
    assert normalize("Brigada Sêrra, 2nd (North)") == "brigada serra 2nd north"
    assert normalize("7_Mtn-Bde") == "7 mtn bde"


def test_short_names_expand_to_every_namespace_most_specific_first() -> None:
    assert candidate_iris("fictional/unit/bn-72")[0] == FICTIONAL + "unit/bn-72"
    assert candidate_iris("synthetic/unit/u-1")[0] == SYNTHETIC + "unit/u-1"
    assert candidate_iris("id/org/ecowas")[0] == ID + "org/ecowas"
    assert candidate_iris("unit/bn-72") == [ID + "unit/bn-72", FICTIONAL + "unit/bn-72", SYNTHETIC + "unit/bn-72"]
    assert candidate_iris(" https://example.org/x ") == ["https://example.org/x"]
    assert candidate_iris("urn:x:y") == ["urn:x:y"]
    assert candidate_iris("no slash") == [] and candidate_iris("two words/x") == []


@pytest.mark.parametrize(
    ("iri", "name"),
    [("https://w3id.org/actorgraph/ontology#Command", "Command"), ("https://example.org/a/b", "b"), ("https://example.org/a/b/", "b")],
)
def test_local_name(iri: str, name: str) -> None:
    assert local_name(iri) == name
