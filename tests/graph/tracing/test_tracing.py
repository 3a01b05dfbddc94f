"""Tracing on the fictional Veldoria scenario: edges, ego networks at a date, paths, timelines,
profiles, programs and the name search, checked against the storyline in scenario.ttl."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.index.cache import index_for, search_actors, terms_for, warm
from graph.index.names import normalize
from graph.index.subjects import UnknownFilter
from graph.ingest import loader, registry
from graph.query import sparql
from graph.store import EmbeddedStore
from graph.tracing import programs
from graph.tracing.edges import Edge, edges_of
from graph.tracing.errors import BadParameter, NotFound
from graph.tracing.naming import resolve_kind
from graph.tracing.network import Network, network
from graph.tracing.paths import paths
from graph.tracing.profile import profile
from graph.tracing.refs import EdgeView
from graph.tracing.timeline import timeline
from ontology.namespaces import AG, FICTIONAL, GRAPH

F = FICTIONAL
BDE_7 = F + "unit/bde-7"
BN_72 = F + "unit/bn-72"
DIV_1, DIV_2 = F + "unit/div-1", F + "unit/div-2"
TALLAVAR, MARROWIND, VANTESSI = F + "person/oren-tallavar", F + "person/ilse-marrowind", F + "person/aurel-vantessi"
KARST_HOLLOW = F + "incident/karst-hollow-massacre"
VSSPP = F + "program/vsspp"


@pytest.fixture(scope="module")
def dataset(demo_store: EmbeddedStore) -> sparql.Dataset:
    return sparql.dataset_for(demo_store)


def node_ids(network: Network) -> set[str]:
    return {node.id for node in network.nodes}


def edge_of(network: Network, relation: str) -> EdgeView:
    return next(edge for edge in network.edges if edge.id == relation)


# -- edges ------------------------------------------------------------------------------------


def test_edges_follow_the_mapping_table(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    terms = terms_for(demo_store, dataset)
    edges = {e.relation: e for e in edges_of(demo_store, dataset, BDE_7, terms)}
    sub = edges[F + "relation/sub-bde-7-div-1"]
    assert (sub.cls, sub.source, sub.target, sub.directed) == (AG + "Subordination", BDE_7, DIV_1, True)
    assert (sub.start, sub.end, sub.confidence) == ("2010-01-01", "2019-02-28", AG + "HighConfidence")
    assert len(sub.sources) == 2
    command = edges[F + "relation/cmd-vantessi-bde-7"]
    assert (command.cls, command.source, command.target) == (AG + "Command", VANTESSI, BDE_7)
    assert command.role_of(VANTESSI) == AG + "commander" and command.start is None
    alliance = edges[F + "relation/ally-qhg-bde-7"]
    assert alliance.cls == AG + "Alliance" and not alliance.directed
    target = edges[F + "relation/vsspp-target-bde-7"]
    assert (target.cls, target.source, target.target) == (AG + "Targeting", BDE_7, VSSPP)


def test_perpetration_and_mitigation_edges(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    terms = terms_for(demo_store, dataset)
    edges = {e.relation: e for e in edges_of(demo_store, dataset, BN_72, terms)}
    perpetration = edges[F + "relation/perp-karst-hollow-bn-72"]
    assert (perpetration.source, perpetration.target, perpetration.status) == (BN_72, KARST_HOLLOW, AG + "Established")
    reform = edges[F + "relation/reform-bn-72"]
    assert (reform.cls, reform.source, reform.target) == (AG + "Reform", BN_72, VSSPP)


def test_every_relation_node_of_the_scenario_becomes_an_edge(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    """The mapping table in edges.rq covers every relation class the scenario uses."""
    terms = terms_for(demo_store, dataset)
    index = index_for(demo_store, dataset)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    relations = {
        quad.subject.value
        for quad in demo_store.quads(ox.NamedNode(GRAPH + "fictional"))
        if quad.predicate == rdf_type and terms.is_a(quad.object.value, AG + "Relation")
        # a delisting is a record about a listing (it ends it), not a link between two parties
        and not terms.is_a(quad.object.value, AG + "Delisting")
    }
    seen: set[str] = set()
    for kind in ("actor", "program", "incident"):
        for subject in index.of_kind(kind):
            if subject.iri.startswith(F):
                seen |= {edge.relation for edge in edges_of(demo_store, dataset, subject.iri, terms)}
    assert len(relations) > 150 and relations <= seen


# -- ego network at a date --------------------------------------------------------------------


def test_network_follows_the_move_from_div_1_to_div_2(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    """bde-7 was under div-1 until 2019-02-28 and under div-2 from 2019-03-01; Vantessi commanded
    it until 2019-02-28, Marrowind from 2019-03-01."""
    before = network(demo_store, dataset, BDE_7, at=date(2018, 4, 14))
    after = network(demo_store, dataset, BDE_7, at=date(2019, 6, 1))
    assert {DIV_1, VANTESSI} <= node_ids(before) and not {DIV_2, MARROWIND} & node_ids(before)
    assert {DIV_2, MARROWIND} <= node_ids(after) and not {DIV_1, VANTESSI} & node_ids(after)
    assert edge_of(before, F + "relation/sub-bde-7-div-1").source == BDE_7
    assert edge_of(after, F + "relation/sub-bde-7-div-2").target == DIV_2
    undated = network(demo_store, dataset, BDE_7)
    assert {DIV_1, DIV_2, VANTESSI, MARROWIND} <= node_ids(undated)


def test_network_edges_are_valid_at_the_date(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    at = date(2018, 4, 14)
    result = network(demo_store, dataset, BDE_7, depth=2, at=at)
    assert result.edges
    for edge in result.edges:
        assert edge.start is None or edge.start <= "2018-04-14"
        assert edge.end is None or edge.end >= "2018-04-14"


def test_network_depth_is_respected(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    at = date(2018, 4, 14)
    one = network(demo_store, dataset, BDE_7, depth=1, at=at)
    assert all(BDE_7 in (edge.source, edge.target) for edge in one.edges)
    two = network(demo_store, dataset, BDE_7, depth=2, at=at)
    three = network(demo_store, dataset, BDE_7, depth=3, at=at)
    # vaf is above div-1 (2 hops), the ministry of defence above vaf (3 hops)
    assert F + "unit/vaf" not in node_ids(one) and F + "unit/vaf" in node_ids(two)
    assert F + "org/ministry-of-defence" not in node_ids(two) and F + "org/ministry-of-defence" in node_ids(three)
    assert node_ids(one) < node_ids(two) < node_ids(three)
    with pytest.raises(BadParameter) as error:
        network(demo_store, dataset, BDE_7, depth=4)
    assert error.value.parameter == "depth"


def test_network_types_filter(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    chain = network(demo_store, dataset, BDE_7, depth=2, at=date(2018, 4, 14), types="Subordination")
    assert chain.edges and {edge.type for edge in chain.edges} == {"Subordination"}
    assert all(node.types == ["MilitaryUnit"] for node in chain.nodes)
    commands = network(demo_store, dataset, BDE_7, types="Command,Alliance")
    assert {edge.type for edge in commands.edges} == {"Command", "Alliance"}
    # a class includes its subclasses: Membership covers Posting and Command
    members = network(demo_store, dataset, BN_72, types="Membership")
    assert {edge.type for edge in members.edges} == {"Command"}
    with pytest.raises(BadParameter) as error:
        network(demo_store, dataset, BDE_7, types="Command,MilitaryUnit")
    assert error.value.parameter == "types" and "MilitaryUnit" in error.value.message


def test_network_is_capped_with_a_truncated_flag(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    capped = network(demo_store, dataset, BDE_7, depth=2, max_nodes=4)
    assert capped.truncated and len(capped.nodes) == 4
    assert all({edge.source, edge.target} <= node_ids(capped) for edge in capped.edges)
    assert not network(demo_store, dataset, BDE_7, depth=1).truncated


def test_network_nodes_carry_labels_types_and_kinds(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    result = network(demo_store, dataset, BN_72)
    nodes = {node.id: node for node in result.nodes}
    assert nodes[BN_72].label == "72nd Mountain Battalion (Veldoria)" and nodes[BN_72].kind == "actor"
    assert nodes[KARST_HOLLOW].kind == "incident" and nodes[VSSPP].kind == "program"
    assert nodes[TALLAVAR].types == ["Person"]
    edge = edge_of(result, F + "relation/perp-karst-hollow-bn-72")
    assert (edge.type, edge.status, edge.confidence, edge.sources) == ("Perpetration", "established", "high", 2)


# -- paths ------------------------------------------------------------------------------------


def test_path_between_two_commanders_with_hop_details(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    found = paths(demo_store, dataset, TALLAVAR, MARROWIND, max_hops=4, at=date(2019, 4, 1))
    assert found.length == 3
    path = found.paths[0]
    assert path.nodes == [TALLAVAR, BN_72, BDE_7, MARROWIND]
    first, second, third = path.hops
    assert (first.source, first.target) == (TALLAVAR, BN_72)
    assert first.relation.id == F + "relation/cmd-tallavar-bn-72"
    assert (first.relation.type, first.relation.start, first.relation.end, first.relation.confidence) == (
        "Command", "2016-09-01", "2019-05-31", "high")
    assert second.relation.type == "Subordination" and second.relation.target == BDE_7
    # hops go along the path even when the relation points the other way
    assert (third.source, third.target) == (BDE_7, MARROWIND)
    assert (third.relation.source, third.relation.target) == (MARROWIND, BDE_7)
    assert {node.id for node in found.nodes} == set(path.nodes)


def test_paths_respect_the_date_and_the_maximum(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    # Marrowind only took command on 2019-03-01: no path to her on the day of Karst Hollow
    assert paths(demo_store, dataset, TALLAVAR, MARROWIND, at=date(2018, 4, 14)).paths == []
    # bn-72 reached div-2 through bde-7 once bde-7 had moved, and only the long way round before
    after = paths(demo_store, dataset, BN_72, DIV_2, at=date(2019, 6, 1))
    assert after.length == 2 and after.paths[0].nodes == [BN_72, BDE_7, DIV_2]
    before = paths(demo_store, dataset, BN_72, DIV_2, at=date(2018, 4, 14), types="Subordination")
    assert before.length == 4 and before.paths[0].nodes == [BN_72, BDE_7, DIV_1, F + "unit/vaf", DIV_2]
    short = paths(demo_store, dataset, BN_72, DIV_2, max_hops=3, at=date(2018, 4, 14), types="Subordination")
    assert short.length is None and short.paths == []
    with pytest.raises(BadParameter):
        paths(demo_store, dataset, BN_72, DIV_2, max_hops=7)


def test_path_search_stops_at_its_budget(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    full = paths(demo_store, dataset, TALLAVAR, MARROWIND)
    assert not full.budget_exhausted and full.expanded >= 3
    starved = paths(demo_store, dataset, TALLAVAR, MARROWIND, budget=2)
    assert starved.budget_exhausted and starved.paths == [] and starved.expanded <= 2


def test_paths_lists_every_shortest_path_up_to_the_limit(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    found = paths(demo_store, dataset, TALLAVAR, MARROWIND)
    assert found.length == 3 and len(found.paths) >= 2
    assert all(path.length == 3 and path.nodes[0] == TALLAVAR and path.nodes[-1] == MARROWIND for path in found.paths)
    assert len({tuple(h.relation.id for h in path.hops) for path in found.paths}) == len(found.paths)
    one = paths(demo_store, dataset, TALLAVAR, MARROWIND, limit=1)
    assert len(one.paths) == 1 and one.truncated
    assert paths(demo_store, dataset, BDE_7, BDE_7).length == 0


# -- timeline and profile ---------------------------------------------------------------------


def test_timeline_is_in_date_order(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    entries = timeline(demo_store, dataset, BDE_7).entries
    dates = [e.date for e in entries]
    assert None not in dates and dates == sorted(dates) and len(dates) >= 8
    # a relation known only by its end is placed at its end: Vantessi's command, to 2019-02-28
    vantessi = next(e for e in entries if e.relation == F + "relation/cmd-vantessi-bde-7")
    assert (vantessi.start, vantessi.date) == (None, "2019-02-28")
    moves = [e.counterpart.id for e in entries if e.type == "Subordination" and e.role == "child unit"]
    assert moves == [DIV_1, DIV_2]


def test_timeline_dates_incidents_and_pages(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    full = timeline(demo_store, dataset, BN_72)
    incident = next(e for e in full.entries if e.kind == "incident")
    assert (incident.counterpart.id, incident.date, incident.status) == (KARST_HOLLOW, "2018-04-14", "established")
    page = timeline(demo_store, dataset, BN_72, limit=2, offset=1)
    assert page.total == full.total and [e.relation for e in page.entries] == [e.relation for e in full.entries[1:3]]


def test_profile_groups_relations_with_sources(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    result = profile(demo_store, dataset, BN_72)
    assert [t.name for t in result.types] == ["MilitaryUnit"] and result.types[0].label == "Military unit"
    assert "Karst Battalion" in result.aliases and result.country is not None and result.country.label == "Republic of Veldoria"
    assert result.level is not None and result.level.label == "local"
    groups = {group.type: group for group in result.relations}
    assert {"Command", "Subordination", "Perpetration", "Reform", "Targeting"} <= set(groups)
    commanders = [r.counterpart.id for r in groups["Command"].relations]
    assert commanders == [TALLAVAR, F + "person/mirela-quorrin"]  # in date order
    perpetration = groups["Perpetration"].relations[0]
    assert (perpetration.role, perpetration.counterpart.id, perpetration.direction) == ("perpetrator", KARST_HOLLOW, "outgoing")
    sources = {s.title: s for s in perpetration.sources}
    judgment = sources["Judgment in Prosecutor v. Oren Tállavar, Case SCD-2020-07 (fictional)"]
    assert (judgment.publisher, judgment.year) == ("Special Criminal Court for Dunmarrow (fictional)", "2021")
    assert judgment.url == "https://example.org/veldoria/scc-judgment-tallavar-2021"


def test_resolve_names_subjects_in_several_ways(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    index = index_for(demo_store, dataset)
    for name in (BN_72, "unit/bn-72", "fictional/unit/bn-72"):
        assert resolve_kind(demo_store, dataset, index, name) == BN_72
    with pytest.raises(NotFound, match="a program, not an actor"):
        resolve_kind(demo_store, dataset, index, "fictional/program/vsspp")
    with pytest.raises(NotFound, match="no actor named 'unit/no-such-unit'"):
        resolve_kind(demo_store, dataset, index, "unit/no-such-unit")


# -- programs ---------------------------------------------------------------------------------


def test_program_detail_groups_participants(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    detail = programs.program_detail(demo_store, dataset, VSSPP)
    assert [t.name for t in detail.types] == ["SSRProgram"]
    assert (detail.start, detail.end, detail.level.label if detail.level else None) == ("2019-07-01", "2024-06-30", "national")
    assert detail.conflict_phase is not None and detail.conflict_phase.name == "ActiveConflict"
    (funder,) = detail.funders
    assert (funder.actor.id, float(funder.amount or 0), funder.currency) == (F + "org/nadc", 24_000_000, "EUR")
    assert funder.sources[0].title.startswith("Veldoria Security Sector Professionalisation Programme")
    assert [p.actor.id for p in detail.implementers] == [F + "org/gpso"]
    targets = {p.actor.id: p for p in detail.targets}
    assert {BN_72, BDE_7, DIV_1, DIV_2, F + "unit/ripu"} <= set(targets)
    assert targets[BN_72].end == "2022-12-31" and targets[BN_72].program_role is not None
    assert any(p.program_role and p.program_role.name == "TrainerRole" for p in detail.partners)
    assert len(detail.implementers) + len(detail.funders) + len(detail.partners) + len(detail.targets) >= 20
    assert {r.type for r in detail.related} == {"Reform", "Disbandment"}


def test_program_list_pages(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    everything = programs.list_programs(demo_store, dataset, limit=500)
    labels = [p.label for p in everything.programs]
    assert everything.total == len(labels) >= 6 and labels == sorted(labels, key=normalize)
    assert VSSPP in {p.id for p in everything.programs}
    page = programs.list_programs(demo_store, dataset, limit=2, offset=2)
    assert [p.id for p in page.programs] == [p.id for p in everything.programs[2:4]]


# -- search -----------------------------------------------------------------------------------


def test_normalize_ignores_case_accents_and_punctuation() -> None:
    assert normalize("Brigada Sêrra") == normalize("BRIGADA SERRA") == "brigada serra"
    assert normalize("Quellmoor Hunters' Guard") == "quellmoor hunters guard"


def test_search_finds_brigada_serra_without_the_diacritic(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    for query in ("Brigada Serra", "brigada sêrra", "BRIGADA  SERRA"):
        page = search_actors(demo_store, dataset, query)
        assert page.hits[0].subject.iri == BDE_7
        assert (page.hits[0].match, page.hits[0].matched_name) == ("exact", "Brigada Sêrra")


def test_search_ranks_exact_before_prefix_token_and_fuzzy(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    page = search_actors(demo_store, dataset, "Serra", limit=100)
    tiers = [hit.match for hit in page.hits]
    order = ["exact", "prefix", "token", "fuzzy"]
    assert tiers == sorted(tiers, key=order.index)
    assert {"prefix", "token"} <= set(tiers)  # "Sêrra Brigade" starts with it, "Brigada Sêrra" contains it
    exact = search_actors(demo_store, dataset, "7th Mountain Brigade").hits[0]
    assert (exact.subject.iri, exact.match) == (BDE_7, "exact")


def test_search_tolerates_typos(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    hits = search_actors(demo_store, dataset, "Vantesi").hits
    assert hits[0].subject.iri == VANTESSI and hits[0].match == "fuzzy"
    assert search_actors(demo_store, dataset, "Tallavar").hits[0].subject.iri == TALLAVAR


def test_search_filters_and_pages(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    units = search_actors(demo_store, dataset, None, type_="SecurityForceUnit", country="XV", limit=500)
    kinds = {t for hit in units.hits for t in hit.subject.types}
    assert units.total == 37 and kinds == {AG + "MilitaryUnit", AG + "PoliceUnit", AG + "IntelligenceService"}
    national = search_actors(demo_store, dataset, None, type_="MilitaryUnit", country="fictional/state/veldoria", level="national", limit=500)
    assert F + "unit/vaf" in {h.subject.iri for h in national.hits} and BDE_7 not in {h.subject.iri for h in national.hits}
    justice = search_actors(demo_store, dataset, "court", sector="JusticeSector", limit=500)
    assert justice.hits and all(h.subject.sector == AG + "JusticeSector" for h in justice.hits)
    page = search_actors(demo_store, dataset, None, country="Veldoria", limit=5, offset=5)
    whole = search_actors(demo_store, dataset, None, country="Veldoria", limit=500)
    assert [h.subject.iri for h in page.hits] == [h.subject.iri for h in whole.hits[5:10]]
    for parameter, kwargs in (
        ("type", {"type_": "Nonsense"}),
        ("type", {"type_": "Program"}),
        ("country", {"country": "Atlantis"}),
        ("level", {"level": "galactic"}),
        ("sector", {"sector": "space"}),
    ):
        with pytest.raises(UnknownFilter) as error:
            search_actors(demo_store, dataset, "x", **kwargs)  # type: ignore[arg-type]
        assert error.value.parameter == parameter


# -- freshness and restricted graphs ----------------------------------------------------------

EXTRA = """@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix source: <https://w3id.org/actorgraph/fictional/id/source/> .
@prefix group: <https://w3id.org/actorgraph/fictional/id/group/> .
@prefix unit: <https://w3id.org/actorgraph/fictional/id/unit/> .
@prefix rel: <https://w3id.org/actorgraph/fictional/id/relation/> .
source:memo a ag:Source ; dcterms:title "Internal memo (fictional)" ; dcterms:publisher "Nobody (fictional)" .
group:hidden-cell a ag:RebelGroup ; rdfs:label "Hidden Cell" ; ag:name "Hidden Cell" ;
    dcterms:identifier "HC-001" ; prov:wasDerivedFrom source:memo .
unit:watch a ag:PoliceUnit ; rdfs:label "Watch Post" ; ag:name "Watch Post" ; prov:wasDerivedFrom source:memo .
rel:rival-hidden-watch a ag:Rivalry ; ag:firstParty group:hidden-cell ; ag:rival unit:watch ;
    ag:startDate "2020-01-01"^^xsd:date ; ag:confidence ag:LowConfidence ; prov:wasDerivedFrom source:memo .
rel:member-watch-hidden a ag:Membership ; org:member unit:watch ; org:organization group:hidden-cell ;
    ag:confidence ag:LowConfidence ; prov:wasDerivedFrom source:memo .
rel:rival-hidden-watch-2 a ag:Rivalry ; ag:firstParty group:hidden-cell ; ag:rival unit:watch ;
    ag:endDate "2019-06-30"^^xsd:date ; ag:confidence ag:LowConfidence ; prov:wasDerivedFrom source:memo .
"""


def test_warm_builds_the_indexes_once(demo_store: EmbeddedStore) -> None:
    warm(demo_store)
    readers = sparql.dataset_for(demo_store, include_restricted=False)
    built = index_for(demo_store, readers)
    warm(demo_store)
    assert index_for(demo_store, readers) is built and built.actor_count > 100


def test_indexes_follow_loads_and_restricted_graphs(ontology_store: EmbeddedStore, tmp_path: Path) -> None:
    public = sparql.dataset_for(ontology_store)
    assert search_actors(ontology_store, public, "Hidden Cell").total == 0
    path = tmp_path / "extra.ttl"
    path.write_text(EXTRA, encoding="utf-8")
    loader.load_file(ontology_store, path, graph="secret")
    everything = sparql.dataset_for(ontology_store)
    hit = search_actors(ontology_store, everything, "hidden cel").hits[0]  # the index was rebuilt
    assert hit.subject.iri == F + "group/hidden-cell"
    index = index_for(ontology_store, everything)
    assert resolve_kind(ontology_store, everything, index, "HC-001") == F + "group/hidden-cell"
    assert F + "unit/watch" in node_ids(network(ontology_store, everything, F + "group/hidden-cell"))
    # undated relations come last in a timeline
    entries = timeline(ontology_store, everything, F + "group/hidden-cell").entries
    assert [(e.relation, e.date) for e in entries] == [
        (F + "relation/rival-hidden-watch-2", "2019-06-30"),
        (F + "relation/rival-hidden-watch", "2020-01-01"),
        (F + "relation/member-watch-hidden", None),
    ]
    registry.set_restricted(ontology_store, ox.NamedNode(GRAPH + "secret"), True)
    readers = sparql.dataset_for(ontology_store, include_restricted=False)
    assert search_actors(ontology_store, readers, "Hidden Cell").total == 0
    with pytest.raises(NotFound):
        resolve_kind(ontology_store, readers, index_for(ontology_store, readers), F + "group/hidden-cell")
    analysts = sparql.dataset_for(ontology_store, include_restricted=True)
    assert search_actors(ontology_store, analysts, "Hidden Cell").total == 1


def test_valid_at_reads_dates_by_the_one_set_of_rules() -> None:
    """An end that is unknown keeps the edge as "may have held", never "held"; a partial start
    makes the edge uncertain inside its month; an edge the dates rule out is dropped."""
    from datetime import date

    from graph.vetting.dates import DAY, MONTH, Overlap

    def edge(start: str | None, end: str | None = None, *, ongoing: bool = False, precision: str = DAY) -> Edge:
        return Edge("r", AG + "Command", "a", "b", "commander", "commandedUnit", True, start, end, None, None, (),
                            start_precision=precision, ongoing=ongoing)

    assert edge("2000-01-01").reading_at(date(2025, 6, 1)) is Overlap.UNCERTAIN  # end unknown
    assert edge("2000-01-01", ongoing=True).reading_at(date(2025, 6, 1)) is Overlap.YES
    assert edge("2019-05-01", precision=MONTH, ongoing=True).reading_at(date(2019, 5, 10)) is Overlap.UNCERTAIN
    assert edge("2019-05-01", precision=MONTH, ongoing=True).reading_at(date(2019, 6, 1)) is Overlap.YES
    assert not edge("2019-05-21", ongoing=True).valid_at(date(2019, 5, 20))  # the day before it began
    assert not edge("2016-01-01", "2019-05-19").valid_at(date(2019, 5, 20))  # the day after it ended
    assert edge("2016-01-01", "2019-05-20").valid_at(date(2019, 5, 20)) and edge(None).valid_at(date(1990, 1, 1))
