"""Indexes are built once per store, kind and state, and only the newest few of each kind are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.index import cache
from graph.index.subjects import FIELDS
from graph.ingest import loader
from graph.ingest.formats import format_for_path
from graph.ingest.loader import RdfSource
from graph.query.sparql import dataset_for
from graph.store import EmbeddedStore
from ontology.namespaces import AG


class FakeStore:
    """Any object that can be weakly referenced stands for a store here."""


def test_built_once_per_state_and_reused() -> None:
    store, builds = FakeStore(), []

    def build() -> object:
        builds.append(1)
        return object()

    first = cache.cached(store, "things", ("v1",), build)  # type: ignore[arg-type]  # a stand-in store
    assert cache.cached(store, "things", ("v1",), build) is first  # type: ignore[arg-type]
    assert cache.cached(store, "things", ("v2",), build) is not first  # type: ignore[arg-type]
    assert len(builds) == 2


def test_each_kind_keeps_its_own_newest_states() -> None:
    store = FakeStore()
    kept = cache.cached(store, "subjects", "s", object)  # type: ignore[arg-type]
    for version in range(cache._MAX_STATES + 2):
        cache.cached(store, "names", version, object)  # type: ignore[arg-type]
    assert cache.cached(store, "subjects", "s", object) is kept  # type: ignore[arg-type]


def test_a_kind_may_keep_only_its_newest_state() -> None:
    store = FakeStore()
    first = cache.cached(store, "big", 1, object, keep=1)  # type: ignore[arg-type]
    cache.cached(store, "big", 2, object, keep=1)  # type: ignore[arg-type]
    assert cache.cached(store, "big", 1, object, keep=1) is not first  # type: ignore[arg-type]


def test_every_field_of_the_subjects_query_reaches_the_index(ontology_store: EmbeddedStore) -> None:
    """queries/tracing/subjects.rq numbers the properties it reads, and FIELDS turns the numbers
    back into properties: each value below lands in the attribute of its own property only."""
    document = """
        @prefix ag: <https://w3id.org/actorgraph/ontology#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix schema: <https://schema.org/> .
        <https://example.org/unit> a ag:MilitaryUnit ; rdfs:label "Label" ; ag:name "Name" ; ag:alias "Alias" ;
            ag:country "country" ; ag:countryCode "countryCode" ; ag:level "level" ; ag:sector "sector" ;
            ag:location "location" ; ag:startDate "startDate" ; ag:endDate "endDate" ;
            ag:startPrecision ag:YearPrecision ; ag:endPrecision ag:MonthPrecision ; ag:ongoing "ongoing" .
        <https://example.org/source> a ag:Source ; dcterms:title "title" ; dcterms:publisher "publisher" ;
            dcterms:issued "issued" ; schema:url "url" .
    """
    loader.load_sources(ontology_store, [RdfSource.from_bytes("fields.ttl", document.encode(), format_for_path(Path("x.ttl")))], trusted=True)
    dataset = dataset_for(ontology_store)
    index = cache.build_subject_index(ontology_store, dataset, cache.terms_for(ontology_store, dataset))
    unit, source = index.get("https://example.org/unit"), index.get("https://example.org/source")
    assert unit is not None and source is not None
    assert (unit.label, unit.names, unit.aliases, unit.kind) == ("Label", ["Label", "Name"], ["Alias"], "actor")
    assert AG + "MilitaryUnit" in unit.types
    single = ("country", "country_code", "level", "sector", "location", "start", "end", "start_precision", "end_precision", "ongoing")
    assert [getattr(unit, attribute) for attribute in single] == [
        "country", "countryCode", "level", "sector", "location", "startDate", "endDate", AG + "YearPrecision", AG + "MonthPrecision", "ongoing"
    ]
    assert (source.title, source.publisher, source.issued, source.url) == ("title", "publisher", "issued", "url")
    assert len(FIELDS) == len(set(FIELDS)) == 18


@pytest.mark.parametrize("coarse_first", [True, False], ids=["year loaded first", "day loaded first"])
def test_two_sources_that_disagree_on_a_dates_precision_keep_the_coarser(ontology_store: EmbeddedStore, coarse_first: bool) -> None:
    """Two imports may each record the same incident's start (sh:maxCount holds per import): the
    index must not say it more precisely than one of them gave it, whichever loaded first, nor
    call it ongoing when one says it is not."""
    prefixes = "@prefix ag: <https://w3id.org/actorgraph/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    coarse = prefixes + (
        '<https://example.org/incident> a ag:Incident ; rdfs:label "Incident" ; ag:startDate "2010-01-01" ; '
        'ag:startPrecision ag:YearPrecision ; ag:endPrecision ag:MonthPrecision ; ag:ongoing "true" .'
    )
    fine = prefixes + (
        '<https://example.org/incident> a ag:Incident ; ag:startDate "2010-01-01" ; ag:startPrecision ag:DayPrecision ; '
        'ag:endPrecision ag:DayPrecision ; ag:ongoing "false" .'
    )
    for name, document in ([("coarse", coarse), ("fine", fine)] if coarse_first else [("fine", fine), ("coarse", coarse)]):
        source = RdfSource.from_bytes(f"{name}.ttl", document.encode(), format_for_path(Path("x.ttl")))
        loader.load_sources(ontology_store, [source], trusted=True)
    dataset = dataset_for(ontology_store)
    index = cache.build_subject_index(ontology_store, dataset, cache.terms_for(ontology_store, dataset))
    incident = index.get("https://example.org/incident")
    assert incident is not None
    assert (incident.start_precision, incident.end_precision) == (AG + "YearPrecision", AG + "MonthPrecision")
    assert incident.ongoing == "false"
