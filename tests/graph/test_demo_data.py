"""The bundled real demo data: big enough, valid, sourced, and naming only people it may name."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph import loader, registry, setup
from graph.loader import RdfSource
from graph.store import EmbeddedStore
from ontology.namespaces import AG, DEMO_GRAPH, FICTIONAL, FICTIONAL_GRAPH, ID, ONTOLOGY_GRAPH

PREFIXES = """PREFIX ag: <https://w3id.org/actorgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
DEMO = ox.NamedNode(DEMO_GRAPH)
ONTOLOGY = ox.NamedNode(ONTOLOGY_GRAPH)


def count(store: EmbeddedStore, where: str, graphs: list[ox.NamedNode]) -> int:
    # GRAPH <demo> inside `where` needs the demo graph among the named graphs too.
    rows = list(store.query(PREFIXES + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}", default_graph=graphs, named_graphs=[DEMO, ONTOLOGY]))
    return int(rows[0]["n"].value)


def subjects(store: EmbeddedStore, where: str, graphs: list[ox.NamedNode]) -> list[str]:
    rows = store.query(PREFIXES + f"SELECT DISTINCT ?x WHERE {{ {where} }} ORDER BY ?x", default_graph=graphs, named_graphs=[DEMO, ONTOLOGY])
    return [row["x"].value for row in rows]


def test_demo_graphs_are_registered_and_validated(demo_store: EmbeddedStore) -> None:
    infos = {info.name: info for info in registry.registered_graphs(demo_store)}
    assert infos["demo"].validated and infos["fictional"].validated
    assert {"ontology", "demo", "fictional", "inferred"} <= set(infos)


def test_real_data_meets_the_sizes(demo_store: EmbeddedStore) -> None:
    graphs = [DEMO, ONTOLOGY]
    actors = count(demo_store, "GRAPH <%s> { ?x a ?c } ?c rdfs:subClassOf* ag:Actor ." % DEMO_GRAPH, [ONTOLOGY])
    programs = count(demo_store, "GRAPH <%s> { ?x a ?c } ?c rdfs:subClassOf* ag:Program ." % DEMO_GRAPH, [ONTOLOGY])
    dated = count(
        demo_store,
        "GRAPH <%s> { ?x a ?c . { ?x ag:startDate ?d } UNION { ?x ag:endDate ?d } } ?c rdfs:subClassOf* ag:Relation ." % DEMO_GRAPH,
        [ONTOLOGY],
    )
    assert actors >= 80, actors
    assert programs >= 15, programs
    assert dated >= 150, dated
    assert count(demo_store, "?x a ag:Incident", graphs) >= 15


def test_every_relation_incident_actor_and_program_cites_a_complete_source(demo_store: EmbeddedStore) -> None:
    unsourced = subjects(
        demo_store,
        "GRAPH <%s> { ?x a ?c } ?c rdfs:subClassOf* ?top . VALUES ?top { ag:Relation ag:Incident ag:Actor ag:Program } "
        "FILTER NOT EXISTS { GRAPH <%s> { ?x prov:wasDerivedFrom ?s } }" % (DEMO_GRAPH, DEMO_GRAPH),
        [ONTOLOGY],
    )
    assert unsourced == []
    incomplete = subjects(
        demo_store,
        "?x a ag:Source . FILTER NOT EXISTS { ?x dcterms:title ?t ; dcterms:publisher ?p }",
        [DEMO],
    )
    assert incomplete == []
    dangling = subjects(demo_store, "?r prov:wasDerivedFrom ?x . FILTER NOT EXISTS { ?x a ag:Source }", [DEMO])
    assert dangling == []


def test_real_data_names_only_convicted_or_sanctioned_people(demo_store: EmbeddedStore) -> None:
    """The safety rule: an individual appears only where a court convicted them or a sanctions list
    names them, and the record of that conviction or listing is in the data with its source."""
    unjustified = subjects(
        demo_store,
        "?x a ag:Person . "
        "FILTER NOT EXISTS { ?j a ag:JudicialOutcome ; ag:concerns ?x ; ag:judicialOutcome ag:Convicted ; prov:wasDerivedFrom ?s1 } "
        "FILTER NOT EXISTS { ?l a ag:SanctionsListing ; ag:listedParty ?x ; prov:wasDerivedFrom ?s2 }",
        [DEMO],
    )
    assert unjustified == []


def test_real_and_fictional_data_keep_to_their_namespaces(demo_store: EmbeddedStore) -> None:
    fictional_in_real = subjects(demo_store, "?x ?p ?o . FILTER(STRSTARTS(STR(?x), %r))" % FICTIONAL, [DEMO])
    real_in_fictional = subjects(demo_store, "?x ?p ?o . FILTER(STRSTARTS(STR(?x), %r))" % ID, [ox.NamedNode(FICTIONAL_GRAPH)])
    assert fictional_in_real == []
    assert real_in_fictional == []


def test_memo_cases_are_covered(demo_store: EmbeddedStore) -> None:
    names = " ".join(subjects(demo_store, "?s rdfs:label ?x", [DEMO])).lower()
    for expected in ("ecowas", "african union", "r2p focal points", "uwiano", "special court for sierra leone",
                     "civilian joint task force", "national peace council"):
        assert expected in names, expected


def test_every_demo_file_validates_on_its_own_graph(ontology_store: EmbeddedStore) -> None:
    """Each bundled file, loaded alone with the regional file it refers to, passes the shapes."""
    files = setup.demo_files()
    result = loader.load_sources(ontology_store, [RdfSource.from_path(p) for p in files["demo"]], graph="demo-check")
    assert result.validated and result.triples > 5000


@pytest.mark.parametrize("kind", ["MilitaryUnit", "CommunityMilitia", "ReligiousAuthority", "IllicitNetwork", "CivilSocietyOrganization", "DDRProgram", "EarlyWarningProgram", "SSRProgram", "JSRProgram"])
def test_real_data_covers_each_kind(demo_store: EmbeddedStore, kind: str) -> None:
    assert count(demo_store, f"?x a <{AG}{kind}>", [DEMO]) >= 1
