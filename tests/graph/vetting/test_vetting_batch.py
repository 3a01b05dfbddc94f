"""Batched reads for many subjects (graph.vetting.batch) answer exactly as one subject at a time.

A program's partners and a screening's matches are read with a few queries per batch instead of
about ten per subject; these tests hold every answer of the batched path to the one-by-one path on
every actor of the demo data, under several dates and policies, and check that the batch really
spares the per-subject queries.
"""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox
import pytest

from graph.index.identifiers import UnknownSubject
from graph.query import sparql
from graph.store import EmbeddedStore
from graph.vetting import facts as vetting_facts
from graph.vetting.batch import batched_text, describe_all, prefetch
from graph.vetting.engine import NotVettable, vet, vet_program
from graph.vetting.facts import Facts
from graph.vetting.policy import DEFAULT_POLICY, Policy, policy_from_dict
from graph.vetting.screening.name_index import NameIndex
from graph.vetting.screening.rows import parse_csv
from graph.vetting.screening.screen import screen
from ontology.namespaces import FICTIONAL

DAY = date(2025, 6, 1)
PROGRAM = FICTIONAL + "program/vsspp"


@pytest.fixture(scope="module")
def dataset(demo_store: EmbeddedStore) -> sparql.Dataset:
    return sparql.dataset_for(demo_store)


@pytest.fixture(scope="module")
def actors(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> list[str]:
    found = sorted(NameIndex.build(demo_store, dataset).actors)
    assert len(found) > 100  # persons, units, groups and organizations of several scenarios
    return found


def one_by_one(store: EmbeddedStore, dataset: sparql.Dataset, subjects: list[str], day: date, policy: Policy,
               known: date | None = None) -> dict[str, object]:
    out: dict[str, object] = {}
    for subject in subjects:
        try:
            out[subject] = vet(store, dataset, subject, on=day, policy=policy, facts=Facts(store, dataset, as_known_on=known)).as_dict()
        except (UnknownSubject, NotVettable) as error:
            out[subject] = type(error).__name__
    return out


def batched(store: EmbeddedStore, dataset: sparql.Dataset, subjects: list[str], day: date, policy: Policy,
            known: date | None = None) -> dict[str, object]:
    facts = Facts(store, dataset, as_known_on=known)
    prefetch(facts, subjects, policy)
    out: dict[str, object] = {}
    for subject in subjects:
        try:
            out[subject] = vet(store, dataset, subject, on=day, policy=policy, facts=facts).as_dict()
        except (UnknownSubject, NotVettable) as error:
            out[subject] = type(error).__name__
    return out


POLICIES = {
    "default": DEFAULT_POLICY,
    "both directions, no conviction rule": policy_from_dict({"hierarchy_direction": "both", "conviction_establishes": False}),
    "up, three rules": policy_from_dict({"hierarchy_direction": "up", "rules": ["direct", "hierarchy", "sanctions"]}),
}


@pytest.mark.parametrize("day", [DAY, date(2012, 3, 15)], ids=["2025", "2012"])
@pytest.mark.parametrize("policy", list(POLICIES.values()), ids=list(POLICIES))
def test_batched_vetting_equals_one_subject_at_a_time(demo_store, dataset, actors, day, policy) -> None:
    # Non-actors and unknown IRIs are in the batch too: they must fail the same way.
    subjects = [*actors, PROGRAM, FICTIONAL + "incident/karst-hollow-massacre", FICTIONAL + "unit/no-such-unit"]
    expected = one_by_one(demo_store, dataset, subjects, day, policy)
    assert sum(1 for r in expected.values() if isinstance(r, dict) and r["outcome"] == "flag") >= 5  # the comparison covers findings
    assert batched(demo_store, dataset, subjects, day, policy) == expected


def test_batched_vetting_equals_one_subject_at_a_time_as_known_on_a_past_day(demo_store, dataset, actors) -> None:
    known = date(2010, 12, 31)  # only what sources published (or graphs imported) by then
    expected = one_by_one(demo_store, dataset, actors, DAY, DEFAULT_POLICY, known)
    assert expected != one_by_one(demo_store, dataset, actors, DAY, DEFAULT_POLICY)  # the knowledge date matters here
    assert batched(demo_store, dataset, actors, DAY, DEFAULT_POLICY, known) == expected


def test_batched_reads_spare_the_per_subject_rule_queries(demo_store, dataset, actors, monkeypatch) -> None:
    facts = Facts(demo_store, dataset)
    prefetch(facts, actors, DEFAULT_POLICY)
    names: list[str] = []
    real = vetting_facts.run_query

    def counting(store, text, dataset, **kwargs):  # type: ignore[no-untyped-def]
        names.append(text)
        return real(store, text, dataset, **kwargs)

    monkeypatch.setattr(vetting_facts, "run_query", counting)
    for subject in actors:
        vet(demo_store, dataset, subject, on=DAY, facts=facts)
    rule_texts = {vetting_facts.query_text(n) for n in ("subject", "direct", "judgments", "command", "hierarchy", "membership",
                                                          "absorption", "predecessors", "risk")}
    assert not [t for t in names if t in rule_texts]  # every subject's rule rows came from the batch
    # What is left is per finding (mitigations, chains of command, a network's listings): far fewer.
    assert len(names) < len(actors)


def test_program_vetting_equals_vetting_each_partner_alone(demo_store, dataset) -> None:
    program = vet_program(demo_store, dataset, PROGRAM, on=DAY)
    assert len(program.participants) >= 20
    for participant in program.participants:
        alone = vet(demo_store, dataset, participant.iri, on=DAY, facts=Facts(demo_store, dataset))
        assert participant.result.as_dict() == alone.as_dict(), participant.iri


def test_screening_vets_each_match_as_vetting_it_alone(demo_store, dataset) -> None:
    rows = parse_csv("name,type,country\n72 Mountain Battalion,unit,Veldoria\nKasimir Ombrecht,person,\nRIPU,unit,Veldoria\nNobody Atall,person,\n")
    results = screen(demo_store, dataset, rows, version_digest="batch-test", on=DAY)
    matched = [r for r in results if r.vetting is not None]
    assert len(matched) == 3 and results[-1].status == "none"
    for row in matched:
        alone = vet(demo_store, dataset, row.vetting.subject, on=DAY, facts=Facts(demo_store, dataset))  # type: ignore[union-attr]
        assert row.vetting.as_dict() == alone.as_dict()  # type: ignore[union-attr]


def test_batched_describe_and_subject_rows_equal_single_reads(demo_store, dataset, actors) -> None:
    nodes = [*actors, PROGRAM, FICTIONAL + "relation/cmd-ombrecht-ripu", FICTIONAL + "unit/no-such-unit"]
    batch = Facts(QueryOnly(demo_store), dataset)  # type: ignore[arg-type]  # the SPARQL path reads nodes in batches
    describe_all(batch, nodes)
    assert all(batch.is_described(node) for node in nodes)
    prefetch(batch, nodes, DEFAULT_POLICY)
    for node in nodes:
        single = Facts(demo_store, dataset)
        assert batch.describe(node) == single.describe(node), node
        term = ox.NamedNode(node)
        # subject.rq may repeat a row (a class stated in two graphs); the batch states it once
        assert {tuple(r.items()) for r in batch.rows("subject", subject=term)} == {tuple(r.items()) for r in single.rows("subject", subject=term)}


def test_batched_text_binds_the_subjects_in_one_values_table() -> None:
    subjects = [ox.NamedNode(FICTIONAL + "person/a"), ox.NamedNode(FICTIONAL + "person/b")]
    plain = batched_text("direct", "subject", subjects)
    assert plain.split("WHERE", 1)[1].count("VALUES") == 1 and f"VALUES ?subject {{ <{FICTIONAL}person/a> <{FICTIONAL}person/b> }}" in plain
    # command.rq opens with a table of roles: the subjects are multiplied into it, not set beside it
    command = batched_text("command", "subject", subjects)
    assert command.split("WHERE", 1)[1].count("VALUES") == 1
    assert f"(<{FICTIONAL}person/b> ag:commander ag:commandedUnit ag:Command)" in command
    assert f"(<{FICTIONAL}person/a> org:member org:organization ag:Posting)" in command
    # an IRI pyoxigraph accepted cannot close the table
    with pytest.raises(ValueError):
        ox.NamedNode(FICTIONAL + "x> } } DROP ALL #")


class QueryOnly:
    """The store seen only through its query method, as a remote SPARQL backend would be: the
    reader then takes the SPARQL path for everything (no index scans on the embedded store)."""

    def __init__(self, store: EmbeddedStore) -> None:
        self._store = store

    def query(self, *args: object, **kwargs: object) -> object:
        return self._store.query(*args, **kwargs)  # type: ignore[arg-type]


def test_the_sparql_path_answers_as_the_index_scans_do(demo_store, dataset, actors) -> None:
    subjects = [*actors, PROGRAM]
    remote = QueryOnly(demo_store)
    expected = one_by_one(demo_store, dataset, subjects, DAY, DEFAULT_POLICY)
    assert one_by_one(remote, dataset, subjects, DAY, DEFAULT_POLICY) == expected  # type: ignore[arg-type]
    assert batched(remote, dataset, subjects, DAY, DEFAULT_POLICY) == expected  # type: ignore[arg-type]
    for node in [*subjects, FICTIONAL + "relation/cmd-ombrecht-ripu"]:
        assert Facts(remote, dataset).describe(node) == Facts(demo_store, dataset).describe(node)  # type: ignore[arg-type]
