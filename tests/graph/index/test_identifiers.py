"""Subjects can be named by IRI, by kind/slug (with or without a namespace prefix), or by identifier."""

from __future__ import annotations

import pytest

from graph.index import identifiers
from graph.query import sparql
from graph.store import EmbeddedStore
from ontology.namespaces import FICTIONAL, ID

BN_72 = FICTIONAL + "unit/bn-72"


@pytest.mark.parametrize("name", [BN_72, "unit/bn-72", "fictional/unit/bn-72", f" {BN_72} "])
def test_names_of_a_fictional_unit(demo_store: EmbeddedStore, name: str) -> None:
    dataset = sparql.dataset_for(demo_store)
    assert identifiers.resolve(demo_store, dataset, name).value == BN_72


def test_real_kind_slug(demo_store: EmbeddedStore) -> None:
    dataset = sparql.dataset_for(demo_store)
    assert identifiers.resolve(demo_store, dataset, "org/ecowas").value == ID + "org/ecowas"


@pytest.mark.parametrize("name", ["nope", "unit/does-not-exist", "https://example.org/nothing", "fictional/"])
def test_unknown_names_raise(demo_store: EmbeddedStore, name: str) -> None:
    with pytest.raises(identifiers.UnknownSubject):
        identifiers.resolve(demo_store, sparql.dataset_for(demo_store), name)


def test_subjects_outside_the_dataset_are_not_found(demo_store: EmbeddedStore) -> None:
    real_only = sparql.Dataset(tuple(g for g in sparql.dataset_for(demo_store).graphs if g.value.endswith(("/demo", "/ontology"))))
    assert identifiers.resolve(demo_store, real_only, "org/ecowas").value == ID + "org/ecowas"
    with pytest.raises(identifiers.UnknownSubject):
        identifiers.resolve(demo_store, real_only, "fictional/unit/bn-72")
