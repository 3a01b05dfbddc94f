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
    rows = store.query(PREFIXES + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}", default_graph=graphs, named_graphs=[DEMO, ONTOLOGY])
    assert isinstance(rows, ox.QuerySolutions)
    return int(next(iter(rows))["n"].value)


def subjects(store: EmbeddedStore, where: str, graphs: list[ox.NamedNode]) -> list[str]:
    rows = store.query(PREFIXES + f"SELECT DISTINCT ?x WHERE {{ {where} }} ORDER BY ?x", default_graph=graphs, named_graphs=[DEMO, ONTOLOGY])
    assert isinstance(rows, ox.QuerySolutions)
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


# The safety rule for naming people: a sourced court conviction, or a sourced listing under a UN
# Security Council regime or a state's (or regional body's) own sanctions regime. A domestic
# proscription, an "other" regime or a listing with no regime type does not qualify: states list
# their opponents too, and such a listing says nothing a vetter can stand behind about the person.
QUALIFYING_REGIMES = ("UNSecurityCouncilRegime", "UnilateralHumanRightsRegime", "UnilateralCounterTerrorismRegime")
UNJUSTIFIED_PEOPLE = (
    "?x a ag:Person . "
    "FILTER NOT EXISTS { ?j a ag:JudicialOutcome ; ag:concerns ?x ; ag:judicialOutcome ag:Convicted ; prov:wasDerivedFrom ?s1 . ?s1 a ag:Source } "
    "FILTER NOT EXISTS { ?l a ag:SanctionsListing ; ag:listedParty ?x ; ag:regimeType ?regime ; prov:wasDerivedFrom ?s2 . ?s2 a ag:Source . "
    "VALUES ?regime { " + " ".join(f"ag:{r}" for r in QUALIFYING_REGIMES) + " } }"
)


def test_real_data_names_only_convicted_or_sanctioned_people(demo_store: EmbeddedStore) -> None:
    """The safety rule: an individual appears only where a court convicted them or a UN or national
    sanctions regime lists them, and the record of that conviction or listing is in the data with
    its source."""
    people = count(demo_store, "?x a ag:Person", [DEMO])
    assert people >= 9, people  # the nine people the Special Court convicted: the rule has work to do
    assert subjects(demo_store, UNJUSTIFIED_PEOPLE, [DEMO]) == []


# Each person is named for what the case shows; "bad-" people must be reported, "ok-" ones not.
NAMING_RULE_FIXTURE = """@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ex: <urn:naming-rule:> .

ex:src a ag:Source ; dcterms:title "A source" ; dcterms:publisher "A publisher" .
ex:court a ag:Organization .

ex:ok-convicted a ag:Person .
ex:j1 a ag:JudicialOutcome ; ag:concerns ex:ok-convicted ; ag:court ex:court ; ag:judicialOutcome ag:Convicted ; prov:wasDerivedFrom ex:src .

ex:ok-un-listed a ag:Person .
ex:l1 a ag:SanctionsListing ; ag:listedParty ex:ok-un-listed ; ag:regimeType ag:UNSecurityCouncilRegime ; prov:wasDerivedFrom ex:src .

ex:ok-national-human-rights a ag:Person .
ex:l2 a ag:SanctionsListing ; ag:listedParty ex:ok-national-human-rights ; ag:regimeType ag:UnilateralHumanRightsRegime ; prov:wasDerivedFrom ex:src .

ex:ok-national-counter-terrorism a ag:Person .
ex:l3 a ag:SanctionsListing ; ag:listedParty ex:ok-national-counter-terrorism ; ag:regimeType ag:UnilateralCounterTerrorismRegime ; prov:wasDerivedFrom ex:src .

ex:ok-acquitted-then-convicted a ag:Person .
ex:j2 a ag:JudicialOutcome ; ag:concerns ex:ok-acquitted-then-convicted ; ag:judicialOutcome ag:Acquitted ; prov:wasDerivedFrom ex:src .
ex:j3 a ag:JudicialOutcome ; ag:concerns ex:ok-acquitted-then-convicted ; ag:judicialOutcome ag:Convicted ; prov:wasDerivedFrom ex:src .

ex:bad-nothing a ag:Person .

ex:bad-proscribed a ag:Person .
ex:l4 a ag:SanctionsListing ; ag:listedParty ex:bad-proscribed ; ag:regimeType ag:DomesticProscription ; prov:wasDerivedFrom ex:src .

ex:bad-other-regime a ag:Person .
ex:l5 a ag:SanctionsListing ; ag:listedParty ex:bad-other-regime ; ag:regimeType ag:OtherSanctionsRegime ; prov:wasDerivedFrom ex:src .

ex:bad-no-regime-type a ag:Person .
ex:l6 a ag:SanctionsListing ; ag:listedParty ex:bad-no-regime-type ; prov:wasDerivedFrom ex:src .

ex:bad-listing-unsourced a ag:Person .
ex:l7 a ag:SanctionsListing ; ag:listedParty ex:bad-listing-unsourced ; ag:regimeType ag:UNSecurityCouncilRegime .

ex:bad-listing-dangling-source a ag:Person .
ex:l8 a ag:SanctionsListing ; ag:listedParty ex:bad-listing-dangling-source ; ag:regimeType ag:UNSecurityCouncilRegime ; prov:wasDerivedFrom ex:nowhere .

ex:bad-indicted a ag:Person .
ex:j4 a ag:JudicialOutcome ; ag:concerns ex:bad-indicted ; ag:judicialOutcome ag:Indicted ; prov:wasDerivedFrom ex:src .

ex:bad-acquitted a ag:Person .
ex:j5 a ag:JudicialOutcome ; ag:concerns ex:bad-acquitted ; ag:judicialOutcome ag:Acquitted ; prov:wasDerivedFrom ex:src .

ex:bad-conviction-unsourced a ag:Person .
ex:j6 a ag:JudicialOutcome ; ag:concerns ex:bad-conviction-unsourced ; ag:judicialOutcome ag:Convicted .

ex:bad-perpetrator-only a ag:Person .
ex:p1 a ag:Perpetration ; ag:perpetrator ex:bad-perpetrator-only ; ag:status ag:Established ; prov:wasDerivedFrom ex:src .
"""


def test_the_naming_rule_reports_each_person_it_must_and_no_other(store: EmbeddedStore) -> None:
    """The rule itself, on a deliberately bad fixture: it cannot pass on the demo by matching nothing."""
    fixture = ox.NamedNode("urn:naming-rule:graph")
    store.add(ox.Quad(q.subject, q.predicate, q.object, fixture) for q in ox.parse(NAMING_RULE_FIXTURE, ox.RdfFormat.TURTLE))
    flagged = {iri.removeprefix("urn:naming-rule:") for iri in subjects(store, UNJUSTIFIED_PEOPLE, [fixture])}
    assert flagged == {
        "bad-nothing", "bad-proscribed", "bad-other-regime", "bad-no-regime-type", "bad-listing-unsourced",
        "bad-listing-dangling-source", "bad-indicted", "bad-acquitted", "bad-conviction-unsourced",
        "bad-perpetrator-only",
    }


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
