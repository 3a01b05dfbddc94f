"""A write that touches no predicate the rules read keeps the derived links; one that does
recomputes them. Either way the links end up recorded for the current data version."""

from __future__ import annotations

import pyoxigraph as ox

from graph.ingest import derivation, setup, update, writes
from graph.ingest.rule_inputs import predicates_read, rules_read_any
from graph.query import sparql
from graph.store import open_store
from graph.store.limits import QueryLimits
from ontology.namespaces import INFERRED_GRAPH

AG = "https://w3id.org/actorgraph/ontology#"
NOTES = ox.NamedNode("https://w3id.org/actorgraph/graph/rule-input-notes")


def test_the_predicates_a_rule_reads_include_paths_and_exists() -> None:
    read = predicates_read(
        "SELECT * WHERE { ?s <http://x/a>/^<http://x/b>* ?o FILTER EXISTS { ?s <http://x/c> ?z ; <http://x/d> ?w } }"
    )
    assert read == {"http://x/a", "http://x/b", "http://x/c", "http://x/d"}


def test_a_rule_that_can_match_any_predicate_reads_everything() -> None:
    assert predicates_read("SELECT * WHERE { ?s ?p ?o }") is None
    assert predicates_read("SELECT * WHERE { ?s !(<http://x/a>) ?o }") is None


def test_the_bundled_rules_read_relation_properties_not_comments() -> None:
    assert rules_read_any([AG + "commander"]) and rules_read_any([AG + "commandedUnit"])
    assert not rules_read_any(["http://www.w3.org/2000/01/rdf-schema#comment"])


def _update(store, text: str) -> writes.WriteReport:  # type: ignore[no-untyped-def]
    readable = [*sparql.dataset_for(store).graphs, NOTES]
    return update.sandboxed_update(store, text, readable=readable, limits=QueryLimits(), admin=True)


def test_an_update_no_rule_reads_keeps_the_links_and_records_the_new_version() -> None:
    store = open_store(None)
    setup.init_store(store, demo=True)
    before = set(store.quads(ox.NamedNode(INFERRED_GRAPH)))
    report = _update(store, f'INSERT DATA {{ GRAPH <{NOTES.value}> {{ <http://x/n> <http://www.w3.org/2000/01/rdf-schema#comment> "note" }} }}')
    assert report.reasoned
    assert set(store.quads(ox.NamedNode(INFERRED_GRAPH))) == before
    assert derivation.derived_links_stale(store) == []


def test_an_update_a_rule_reads_recomputes_the_links() -> None:
    store = open_store(None)
    setup.init_store(store, demo=True)
    command, person, unit = "http://x/command", "http://x/person", "http://x/unit"
    report = _update(
        store,
        f"INSERT DATA {{ GRAPH <{NOTES.value}> {{ <{command}> <{AG}commander> <{person}> ; <{AG}commandedUnit> <{unit}> }} }}",
    )
    assert report.reasoned
    derived = ox.Quad(ox.NamedNode(person), ox.NamedNode(AG + "commands"), ox.NamedNode(unit), ox.NamedNode(INFERRED_GRAPH))
    assert derived in set(store.quads(ox.NamedNode(INFERRED_GRAPH)))
    assert derivation.derived_links_stale(store) == []
