"""The bundled real demo data: big enough, valid, sourced, and naming only people it may name."""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox
import pytest

from graph.ingest import loader, registry, setup
from graph.ingest.loader import RdfSource
from graph.query import sparql
from graph.store import EmbeddedStore
from graph.tracing.profile import profile
from graph.vetting.engine import vet
from ontology.namespaces import AG, DEMO_GRAPH, FICTIONAL, FICTIONAL_GRAPH, ID, ONTOLOGY_GRAPH

PREFIXES = """PREFIX ag: <https://w3id.org/actorgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
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
    actors = count(demo_store, f"GRAPH <{DEMO_GRAPH}> {{ ?x a ?c }} ?c rdfs:subClassOf* ag:Actor .", [ONTOLOGY])
    programs = count(demo_store, f"GRAPH <{DEMO_GRAPH}> {{ ?x a ?c }} ?c rdfs:subClassOf* ag:Program .", [ONTOLOGY])
    dated = count(
        demo_store,
        f"GRAPH <{DEMO_GRAPH}> {{ ?x a ?c . {{ ?x ag:startDate ?d }} UNION {{ ?x ag:endDate ?d }} }} ?c rdfs:subClassOf* ag:Relation .",
        [ONTOLOGY],
    )
    assert actors >= 80, actors
    assert programs >= 15, programs
    assert dated >= 150, dated
    assert count(demo_store, "?x a ag:Incident", graphs) >= 15


def test_every_relation_incident_actor_and_program_cites_a_complete_source(demo_store: EmbeddedStore) -> None:
    unsourced = subjects(
        demo_store,
        f"GRAPH <{DEMO_GRAPH}> {{ ?x a ?c }} ?c rdfs:subClassOf* ?top . VALUES ?top {{ ag:Relation ag:Incident ag:Actor ag:Program }} "
        f"FILTER NOT EXISTS {{ GRAPH <{DEMO_GRAPH}> {{ ?x prov:wasDerivedFrom ?s }} }}",
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
    fictional_in_real = subjects(demo_store, f"?x ?p ?o . FILTER(STRSTARTS(STR(?x), {FICTIONAL!r}))", [DEMO])
    real_in_fictional = subjects(demo_store, f"?x ?p ?o . FILTER(STRSTARTS(STR(?x), {ID!r}))", [ox.NamedNode(FICTIONAL_GRAPH)])
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


def ask(store: EmbeddedStore, where: str) -> bool:
    result = store.query(PREFIXES + "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n" + f"ASK {{ {where} }}", default_graph=[DEMO], named_graphs=[DEMO, ONTOLOGY])
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


def test_every_listing_says_what_kind_of_regime_it_is(demo_store: EmbeddedStore) -> None:
    """Without ag:regimeType a listing reads as "other" and vetting can neither flag a UN listing nor
    set aside a state's proscription of its opponents."""
    assert count(demo_store, "?x a ag:SanctionsListing", [DEMO]) >= 10
    assert subjects(demo_store, "?x a ag:SanctionsListing FILTER NOT EXISTS { ?x ag:regimeType ?t }", [DEMO]) == []
    domestic = subjects(demo_store, "?x ag:regimeType ag:DomesticProscription", [DEMO])
    assert ID + "relation/ng-san-fhc-imn" in domestic and ID + "relation/ng-san-un-boko-haram" not in domestic


# What a review of the sources corrected; each line failed on the data before the correction.
SOURCE_REVIEW = {
    # Sesay's RUF command ends (January 2002) instead of running on as if he still held it.
    "Sesay's command has an end": f"<{ID}relation/sl-command-sesay-ruf> ag:endDate ?end FILTER(?end < xsd:date('2003-01-01'))",
    # The appeal reversed part of Fofana's conviction: a later acquittal record, and the appeal conviction.
    "Fofana's reversal is recorded": (
        f"?a a ag:JudicialOutcome ; ag:concerns <{ID}person/sl-moinina-fofana> ; ag:judicialOutcome ag:Acquitted ; ag:startDate ?d1 ; prov:wasDerivedFrom ?s . "
        f"?c a ag:JudicialOutcome ; ag:concerns <{ID}person/sl-moinina-fofana> ; ag:judicialOutcome ag:Convicted ; ag:startDate ?d2 . "
        f"?t a ag:JudicialOutcome ; ag:concerns <{ID}person/sl-moinina-fofana> ; ag:judicialOutcome ag:Convicted ; ag:startDate ?d0 "
        "FILTER(?d0 < ?d1 && ?d1 = ?d2)"
    ),
    "Lafiya Dole is national": f"<{ID}unit/ng-operation-lafiya-dole> ag:level ag:NationalLevel",
    # ISIL and AQIM are not Nigerian; their Nigerian ties stay as relations.
    "ISIL is not Nigerian": (
        f"<{ID}group/ng-islamic-state> ag:country ?c FILTER(?c != <{ID}state/nigeria>) "
        f"?m org:member <{ID}group/ng-iswap> ; org:organization <{ID}group/ng-islamic-state>"
    ),
    "AQIM is not Nigerian": (
        f"<{ID}group/ng-aqim> ag:country ?c FILTER(?c != <{ID}state/nigeria>) "
        f"?a ag:firstParty <{ID}group/ng-ansaru> ; ag:ally <{ID}group/ng-aqim>"
    ),
    "BMATT is its own unit": f"<{ID}unit/ng-bmatt-nigeria> a ag:MilitaryUnit . FILTER NOT EXISTS {{ <{ID}org/ng-uk-ministry-of-defence> ag:alias ?a FILTER(CONTAINS(LCASE(?a), 'training team')) }}",
    "Giwa is the 7 Division's": (
        f"?p a ag:Perpetration ; ag:perpetrator <{ID}unit/ng-army-7-division> ; ag:incident <{ID}incident/ng-giwa-barracks-2014> . "
        f"FILTER NOT EXISTS {{ ?q ag:perpetrator <{ID}unit/ng-nigerian-army> ; ag:incident <{ID}incident/ng-giwa-barracks-2014> }}"
    ),
}


@pytest.mark.parametrize("correction", sorted(SOURCE_REVIEW))
def test_corrections_from_the_source_review_hold(demo_store: EmbeddedStore, correction: str) -> None:
    assert ask(demo_store, SOURCE_REVIEW[correction]), correction


def test_a_vetting_report_on_fofana_quotes_the_appeal(demo_store: EmbeddedStore) -> None:
    """His convictions name the CDF crimes, so vetting finds them, and the evidence is the appeal
    judgment, which says what it reversed."""
    result = vet(demo_store, sparql.dataset_for(demo_store), ID + "person/sl-moinina-fofana", on=date(2025, 6, 1))
    direct = [f for f in result.findings if f.rule == "direct"]
    assert direct, [f.rule for f in result.findings]
    notes = [e.note for f in direct for e in f.evidence]
    assert any("reversed the conviction for collective punishments" in n for n in notes), notes


def test_fofana_s_profile_tells_the_appeal_s_acquittal_from_the_convictions(demo_store: EmbeddedStore) -> None:
    """A profile lists each court record with its outcome, so the reversal on appeal is visible there too."""
    actor_profile = profile(demo_store, sparql.dataset_for(demo_store), ID + "person/sl-moinina-fofana")
    records = {(r.start, r.status) for group in actor_profile.relations if group.type == "JudicialOutcome" for r in group.relations}
    assert records == {("2007-08-02", "convicted"), ("2008-05-28", "convicted"), ("2008-05-28", "acquitted")}, records


def test_multi_state_bodies_have_no_single_country(demo_store: EmbeddedStore) -> None:
    """A body of several states (ECOWAS, the AU, the Lake Chad Basin Commission and its task force)
    is nobody's national organization, whichever country file it sits in."""
    assert count(demo_store, "?x a ag:RegionalOrganization", [DEMO]) >= 3
    assert subjects(demo_store, "?x a ag:RegionalOrganization ; ag:country ?c", [DEMO]) == []
    assert not ask(demo_store, f"<{ID}unit/ng-mnjtf> ag:country ?c")
