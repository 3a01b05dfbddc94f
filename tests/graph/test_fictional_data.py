"""The fictional Veldoria scenario: well-formed, clearly fictional, and holding the storyline facts
that its comment block promises (vetting tests elsewhere rely on them)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from ontology.files import OWL_FILE, SHAPES_FILE, VOCABULARIES_FILE
from ontology.namespaces import AG, FICTIONAL, FICTIONAL_GRAPH, PREFIXES

SCENARIO = Path(__file__).resolve().parents[2] / "graph" / "data" / "fictional" / "scenario.ttl"

PREFIX_HEADER = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()) + "".join(
    f"PREFIX {kind}: <{FICTIONAL}{kind}/>\n"
    for kind in ("state", "unit", "group", "person", "program", "incident", "relation", "source")
) + f"PREFIX orgid: <{FICTIONAL}org/>\n"

ACTOR_KINDS = ("state", "unit", "group", "org", "person")


@pytest.fixture(scope="module")
def scenario() -> ox.Store:
    """The scenario in its named graph, beside the ontology (for subclass queries)."""
    store = ox.Store()
    store.load(path=str(SCENARIO), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(FICTIONAL_GRAPH))
    store.load(path=str(OWL_FILE), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:test:ontology"))
    store.load(path=str(VOCABULARIES_FILE), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:test:ontology"))
    return store


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    """Rows of plain values, over the union of the graphs."""
    result = store.query(PREFIX_HEADER + query, use_default_graph_as_union=True)
    return [tuple(term.value if term is not None else None for term in row) for row in result]


def ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(PREFIX_HEADER + query, use_default_graph_as_union=True))


def scenario_quads(store: ox.Store) -> list[ox.Quad]:
    return list(store.quads_for_pattern(None, None, None, ox.NamedNode(FICTIONAL_GRAPH)))


def count_in(store: ox.Store, kind: str) -> int:
    rows = select(store, f"""
        SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
            GRAPH <{FICTIONAL_GRAPH}> {{ ?s a ?c }} FILTER STRSTARTS(STR(?s), "{FICTIONAL}{kind}/") }}""")
    return int(rows[0][0])


# -- well-formed and fictional ---------------------------------------------------------------


def test_sizes_meet_the_brief(scenario: ox.Store) -> None:
    actors = sum(count_in(scenario, kind) for kind in ACTOR_KINDS)
    assert actors >= 60
    assert count_in(scenario, "program") >= 5
    assert count_in(scenario, "relation") >= 120
    assert count_in(scenario, "incident") >= 8
    units = select(scenario, """
        SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { ?u a/rdfs:subClassOf* ag:SecurityForceUnit }""")
    assert int(units[0][0]) >= 25


def test_unit_hierarchy_has_at_least_four_levels(scenario: ox.Store) -> None:
    # vaf > div-1 > bde-7 > bn-72 > coy-alpha-72: a unit three subordinations below another unit.
    assert ask(scenario, """
        ASK {
            ?s1 ag:childUnit ?l4 ; ag:parentUnit ?l3 . ?s2 ag:childUnit ?l3 ; ag:parentUnit ?l2 .
            ?s3 ag:childUnit ?l2 ; ag:parentUnit ?l1 .
            ?l1 a/rdfs:subClassOf* ag:SecurityForceUnit . ?l4 a/rdfs:subClassOf* ag:SecurityForceUnit .
        }""")
    depth5 = select(scenario, """
        SELECT ?top WHERE {
            [ ag:childUnit unit:coy-alpha-72 ; ag:parentUnit unit:bn-72 ] .
            [ ag:childUnit unit:bn-72 ; ag:parentUnit unit:bde-7 ] .
            [ ag:childUnit unit:bde-7 ; ag:parentUnit ?div ] .
            [ ag:childUnit ?div ; ag:parentUnit ?top ] . }""")
    assert {row[0] for row in depth5} == {FICTIONAL + "unit/vaf"}


def test_every_minted_iri_is_fictional(scenario: ox.Store) -> None:
    allowed_objects = (FICTIONAL, AG)
    for quad in scenario_quads(scenario):
        assert isinstance(quad.subject, ox.NamedNode), quad
        assert quad.subject.value.startswith(FICTIONAL), quad
        if isinstance(quad.object, ox.NamedNode):
            assert quad.object.value.startswith(allowed_objects), quad
    kinds = {q.subject.value[len(FICTIONAL):].split("/")[0] for q in scenario_quads(scenario)}
    assert kinds <= {"state", "unit", "group", "org", "person", "program", "incident", "relation", "source"}


def test_sources_are_fictional_documents(scenario: ox.Store) -> None:
    rows = select(scenario, """
        SELECT ?s ?title ?publisher ?issued ?url WHERE {
            ?s a ag:Source ; dcterms:title ?title ; dcterms:publisher ?publisher ; dcterms:issued ?issued .
            OPTIONAL { ?s schema:url ?url } }""")
    assert len(rows) >= 8
    for _, title, publisher, issued, url in rows:
        assert "(fictional)" in title and "(fictional)" in publisher
        assert re.fullmatch(r"\d{4}", issued)
        assert url is None or url.startswith("https://example.org/")
    assert ask(scenario, """ASK { ?s a ag:Source ; dcterms:issued ?y FILTER(DATATYPE(?y) = xsd:gYear) }""")
    assert not ask(scenario, """ASK { ?s a ag:Source ; dcterms:issued ?y FILTER(DATATYPE(?y) != xsd:gYear) }""")


def test_every_relation_has_one_confidence_and_a_source(scenario: ox.Store) -> None:
    relations = select(scenario, """
        SELECT ?r (COUNT(DISTINCT ?c) AS ?confidences) (COUNT(DISTINCT ?src) AS ?sources) WHERE {
            ?r a ?cls . ?cls rdfs:subClassOf* ag:Relation .
            OPTIONAL { ?r ag:confidence ?c FILTER(?c IN (ag:LowConfidence, ag:MediumConfidence, ag:HighConfidence)) }
            OPTIONAL { ?r prov:wasDerivedFrom ?src . ?src a ag:Source }
        } GROUP BY ?r""")
    assert len(relations) >= 120
    for node, confidences, sources in relations:
        assert node.startswith(FICTIONAL + "relation/")
        assert int(confidences) == 1, node
        assert int(sources) >= 1, node
    assert not ask(scenario, "ASK { ?r ag:confidence ?a , ?b FILTER(?a != ?b) }")


def test_every_incident_program_and_actor_has_a_source(scenario: ox.Store) -> None:
    missing = select(scenario, """
        SELECT ?x WHERE {
            ?x a ?cls . ?cls rdfs:subClassOf* ?top VALUES ?top { ag:Actor ag:Program ag:Incident }
            FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?src . ?src a ag:Source } }""")
    assert missing == []
    incidents = select(scenario, """
        SELECT ?i ?c WHERE { ?i a ag:Incident ; ag:violationType ?v ; ag:startDate ?d ; ag:location ?l ;
                                ag:fatalities ?f ; ag:confidence ?c }""")
    assert len({row[0] for row in incidents}) == count_in(scenario, "incident")


def test_actors_carry_names_aliases_and_dimensions(scenario: ox.Store) -> None:
    incomplete = select(scenario, """
        SELECT ?a WHERE {
            ?a a ?cls . ?cls rdfs:subClassOf* ag:Actor .
            FILTER NOT EXISTS { ?a rdfs:label ?l ; ag:name ?n ; ag:country ?c ; ag:level ?lv ; ag:sector ?s } }""")
    assert incomplete == []
    aliases = [row[0] for row in select(scenario, "SELECT ?alias WHERE { ?a ag:alias ?alias }")]
    assert "Brigada Sêrra" in aliases
    assert any(not alias.isascii() for alias in aliases)
    assert sum(1 for alias in aliases if re.fullmatch(r"[A-Z]{2,6}", alias)) >= 10  # VLF, RIPU, QHG...


def test_dates_are_valid_and_ordered(scenario: ox.Store) -> None:
    rows = select(scenario, """
        SELECT ?x ?start ?end WHERE {
            { ?x ag:startDate ?start } UNION { ?x ag:endDate ?end } }""")
    assert rows
    for _, start, end in rows:
        date.fromisoformat(start or end)
    assert not ask(scenario, """
        ASK { ?x ?p ?d FILTER(?p IN (ag:startDate, ag:endDate) && DATATYPE(?d) != xsd:date) }""")
    assert not ask(scenario, "ASK { ?x ag:startDate ?s ; ag:endDate ?e FILTER(?e < ?s) }")


def test_partial_dates_are_normalized(scenario: ox.Store) -> None:
    rows = select(scenario, """
        SELECT ?d ?p ?which WHERE {
            { ?x ag:startDate ?d ; ag:startPrecision ?p BIND("start" AS ?which) }
            UNION { ?x ag:endDate ?d ; ag:endPrecision ?p BIND("end" AS ?which) } }""")
    assert len(rows) >= 20
    for value, precision, which in rows:
        d = date.fromisoformat(value)
        if which == "start":
            assert d.day == 1 and (precision == AG + "MonthPrecision" or d.month == 1), value
        else:
            following = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            assert (following - d).days == 1, value  # last day of the month
            assert precision == AG + "MonthPrecision" or d.month == 12, value
    # February 2020 ends on the 29th: the detentions (month precision) must end then.
    assert select(scenario, "SELECT ?e WHERE { incident:pell-varno-detentions ag:endDate ?e }") == [("2020-02-29",)]


def test_conforms_to_the_shapes(scenario: ox.Store) -> None:
    pyshacl = pytest.importorskip("pyshacl")
    rdflib = pytest.importorskip("rdflib")
    if not SHAPES_FILE.exists():
        pytest.skip("ontology/shapes.ttl is not there yet")
    data = rdflib.Graph().parse(SCENARIO, format="turtle")
    ontology = rdflib.Graph().parse(OWL_FILE).parse(VOCABULARIES_FILE)
    conforms, _, text = pyshacl.validate(
        data, shacl_graph=rdflib.Graph().parse(SHAPES_FILE), ont_graph=ontology, advanced=True, allow_warnings=True
    )
    assert conforms, text


def test_passes_the_project_validator(scenario: ox.Store) -> None:
    validation = pytest.importorskip("graph.ingest.validation")
    violations = validation.default_validator().validate(
        scenario, [ox.NamedNode(FICTIONAL_GRAPH)], [ox.NamedNode("urn:test:ontology")]
    )
    assert [str(v) for v in violations] == []


# -- the storyline the comment block promises ---------------------------------------------------


def test_commander_after_the_incident_started_after_it(scenario: ox.Store) -> None:
    """Quorrin took the 72nd after Karst Hollow; Tállavar held it during. Same for RIPU."""
    rows = select(scenario, """
        SELECT ?who ?start ?end ?i_start ?i_end WHERE {
            VALUES (?who ?unit ?incident) {
                (person:mirela-quorrin unit:bn-72 incident:karst-hollow-massacre)
                (person:oren-tallavar unit:bn-72 incident:karst-hollow-massacre)
                (person:kasimir-ombrecht unit:ripu incident:pell-varno-detentions)
                (person:lio-farrandt unit:ripu incident:pell-varno-detentions) }
            ?c a ag:Command ; ag:commander ?who ; ag:commandedUnit ?unit .
            OPTIONAL { ?c ag:startDate ?start } OPTIONAL { ?c ag:endDate ?end }
            ?incident ag:startDate ?i_start ; ag:endDate ?i_end .
            ?p ag:perpetrator ?unit ; ag:incident ?incident . }""")
    by_person = {row[0].rsplit("/", 1)[1]: row[1:] for row in rows}
    assert set(by_person) == {"mirela-quorrin", "oren-tallavar", "kasimir-ombrecht", "lio-farrandt"}
    for after in ("mirela-quorrin", "lio-farrandt"):
        start, _, _, i_end = by_person[after]
        assert date.fromisoformat(start) > date.fromisoformat(i_end)
    for during in ("oren-tallavar", "kasimir-ombrecht"):
        start, end, i_start, i_end = by_person[during]
        assert date.fromisoformat(start) <= date.fromisoformat(i_start)
        assert date.fromisoformat(end) >= date.fromisoformat(i_end)


def test_command_rotations_unknown_start_and_ongoing(scenario: ox.Store) -> None:
    assert select(scenario, """
        SELECT ?end WHERE { ?c ag:commander person:aurel-vantessi ; ag:commandedUnit unit:bde-7 ; ag:endDate ?end
                            FILTER NOT EXISTS { ?c ag:startDate ?s } }""") == [("2019-02-28",)]
    assert ask(scenario, "ASK { ?c ag:commander person:ilse-marrowind ; ag:commandedUnit unit:bde-7 ; ag:ongoing true }")
    rotating = select(scenario, """
        SELECT ?unit WHERE { ?a ag:commandedUnit ?unit ; ag:commander ?x . ?b ag:commandedUnit ?unit ; ag:commander ?y
                             FILTER(?x != ?y) } GROUP BY ?unit""")
    assert len(rotating) >= 4


def test_brigade_moved_between_divisions_after_the_massacre(scenario: ox.Store) -> None:
    """On the day of Karst Hollow the 7th Brigade was under the 1st Division only (not the 2nd)."""
    parents = select(scenario, """
        SELECT ?parent WHERE {
            incident:karst-hollow-massacre ag:startDate ?day .
            ?s ag:childUnit unit:bde-7 ; ag:parentUnit ?parent .
            OPTIONAL { ?s ag:startDate ?from } OPTIONAL { ?s ag:endDate ?to }
            FILTER((!BOUND(?from) || ?from <= ?day) && (!BOUND(?to) || ?to >= ?day)) }""")
    assert parents == [(FICTIONAL + "unit/div-1",)]
    assert select(scenario, "SELECT ?d WHERE { [ ag:childUnit unit:bde-7 ; ag:parentUnit unit:div-2 ; ag:startDate ?d ] }") \
        == [("2019-03-01",)]


def test_perpetrations_have_the_promised_status_and_confidence(scenario: ox.Store) -> None:
    rows = {
        (who.rsplit("/", 1)[1], status.rsplit("#", 1)[1]): conf.rsplit("#", 1)[1]
        for who, status, conf in select(scenario, """
            SELECT ?who ?status ?conf WHERE { ?p a ag:Perpetration ; ag:perpetrator ?who ; ag:status ?status ;
                                                ag:confidence ?conf ; ag:incident ?i }""")
    }
    assert rows[("bn-72", "Established")] == "HighConfidence"
    assert rows[("ripu", "Alleged")] == "MediumConfidence"
    assert rows[("bn-121", "Alleged")] == "LowConfidence"
    assert rows[("bn-311", "Alleged")] == "MediumConfidence"
    assert rows[("tavrin-youth-vanguard", "Alleged")] == "HighConfidence"
    assert {status for _, status in rows} == {"Alleged", "Established"}
    assert {conf for conf in rows.values()} == {"LowConfidence", "MediumConfidence", "HighConfidence"}


def test_militia_integrated_through_ddr_and_rebel_splinter(scenario: ox.Store) -> None:
    assert ask(scenario, """
        ASK { ?i a ag:Integration ; ag:integratedOrganization group:quellmoor-hunters-guard ;
                 ag:absorbingOrganization unit:bn-45-integrated ; ag:viaProgram ?p ; ag:integrationScope ag:WholeOrganization .
              ?p a ag:DDRProgram . group:quellmoor-hunters-guard a ag:CommunityMilitia .
              ?perp ag:perpetrator group:quellmoor-hunters-guard ; ag:status ag:Alleged . }""")
    assert ask(scenario, """
        ASK { ?s a ag:Succession ; ag:predecessor group:vlf ; ag:successor group:rch ; ag:successionKind ag:Splinter }""")


def test_membership_during_the_groups_incident(scenario: ox.Store) -> None:
    assert ask(scenario, """
        ASK { ?m a ag:Membership ; org:member person:hadrik-esterhal ; org:organization ?g ;
                 ag:startDate ?from ; ag:endDate ?to .
              ?p ag:perpetrator ?g ; ag:incident ?i . ?i ag:startDate ?day
              FILTER(?from <= ?day && ?to >= ?day) }""")
    postings = select(scenario, "SELECT ?p WHERE { ?p a ag:Posting ; org:member ?m ; org:organization ?o ; ag:rank ?r ; ag:title ?t }")
    assert len(postings) >= 10


def test_mitigations_sanctions_and_illicit_economy(scenario: ox.Store) -> None:
    assert ask(scenario, """
        ASK { ?j a ag:JudicialOutcome ; ag:concerns person:oren-tallavar ; ag:judicialOutcome ag:Convicted ;
                 ag:aboutIncident incident:karst-hollow-massacre ; ag:court ?court . ?court a ag:JusticeInstitution }""")
    assert ask(scenario, "ASK { ?d a ag:Disbandment ; ag:concerns unit:coy-alpha-72 ; ag:viaProgram program:vsspp }")
    assert ask(scenario, "ASK { ?r a ag:Reform ; ag:concerns unit:bn-72 ; ag:viaProgram ?p . ?p a ag:SSRProgram }")
    listed = {row[0].rsplit("/", 2)[1] for row in select(scenario, """
        SELECT ?x WHERE { ?s a ag:SanctionsListing ; ag:listedParty ?x ; ag:listingAuthority ?a ;
                             ag:sanctionsRegime ?r ; ag:listingReference ?ref }""")}
    assert {"person", "group"} <= listed
    assert ask(scenario, """
        ASK { ?r ag:reliantActor unit:bde-7 ; ag:economicPartner ?n ; ag:relianceKind ag:RevenueReliance .
              ?n a ag:IllicitNetwork }""")
    assert ask(scenario, """
        ASK { ?r ag:reliantActor ?m ; ag:economicPartner ?n ; ag:relianceKind ag:ControlReliance .
              ?m a ag:PoliticalMilitia . ?n a ag:IllicitNetwork }""")


def test_alliances_rivalries_and_other_actor_kinds(scenario: ox.Store) -> None:
    for cls in ("Alliance", "Rivalry"):
        rows = select(scenario, f"SELECT ?r WHERE {{ ?r a ag:{cls} ; ag:firstParty ?a ; ag:startDate ?s }}")
        assert len(rows) >= 3
    assert ask(scenario, "ASK { ?r a ag:Alliance ; ag:endDate ?e }")  # alliances change over time
    for cls in ("ReligiousAuthority", "TraditionalAuthority", "CivilSocietyOrganization", "LocalAdministration",
                "IllicitNetwork", "CommunityMilitia", "RebelGroup", "PoliceUnit"):
        assert ask(scenario, f"ASK {{ ?x a/rdfs:subClassOf* ag:{cls} }}"), cls


# -- the vetting cases of the SSR program ------------------------------------------------------

CLEAN = ("org/nadc", "org/gpso", "org/vccp", "org/pell-varno-women-for-peace", "org/ilvesse-interfaith-council",
         "unit/military-academy", "unit/bde-11", "unit/bn-112", "unit/ppc-ilvesse")
DIRECT = ("unit/bn-72", "unit/ripu", "unit/bn-121", "unit/bn-311")
LINKED = ("unit/bde-7", "unit/div-1", "unit/div-2", "org/ministry-of-interior", "org/ministry-of-defence",
          "unit/bn-45-integrated", "person/kasimir-ombrecht", "person/mirela-quorrin", "person/hadrik-esterhal")


def test_ssr_program_has_about_twenty_partners_and_other_programs_exist(scenario: ox.Store) -> None:
    participants = {row[0][len(FICTIONAL):] for row in select(scenario, """
        SELECT ?x WHERE { ?p ag:program program:vsspp ; ag:participant ?x }""")}
    assert set(CLEAN) | set(DIRECT) | set(LINKED) <= participants
    assert len(participants) >= 20
    for cls in ("DDRProgram", "EarlyWarningProgram", "JSRProgram"):
        assert ask(scenario, f"ASK {{ ?p a ag:{cls} . ?x ag:program ?p }}"), cls


def test_clean_partners_have_no_link_to_any_perpetrator(scenario: ox.Store) -> None:
    """Clean at any depth and any time: the strictest vetting must pass them."""
    for slug in CLEAN:
        assert not ask(scenario, f"""
            ASK {{
                <{FICTIONAL + slug}> (^ag:parentUnit/ag:childUnit)* ?x .
                {{ ?p ag:perpetrator ?x }}
                UNION {{ ?i ag:absorbingOrganization ?x ; ag:integratedOrganization ?g . ?p ag:perpetrator ?g }}
                UNION {{
                    {{ ?m org:member ?person ; org:organization ?x }} UNION {{ ?m ag:commander ?person ; ag:commandedUnit ?x }}
                    {{ ?p ag:perpetrator ?person }}
                    UNION {{ ?c ag:commander ?person ; ag:commandedUnit ?u . ?p ag:perpetrator ?u }}
                    UNION {{ ?n org:member ?person ; org:organization ?g . ?p ag:perpetrator ?g }} }} }}"""), slug


def test_direct_perpetrators_are_named(scenario: ox.Store) -> None:
    for slug in DIRECT:
        assert ask(scenario, f"ASK {{ ?p ag:perpetrator <{FICTIONAL + slug}> ; ag:incident ?i }}"), slug


def parents_on(store: ox.Store, unit: str, day: str) -> set[str]:
    """The units `unit` was directly subordinate to on `day` (open dates count as covering)."""
    rows = select(store, f"""
        SELECT ?parent WHERE {{
            ?s ag:childUnit <{unit}> ; ag:parentUnit ?parent .
            OPTIONAL {{ ?s ag:startDate ?from }} OPTIONAL {{ ?s ag:endDate ?to }}
            FILTER((!BOUND(?from) || ?from <= "{day}"^^xsd:date) && (!BOUND(?to) || ?to >= "{day}"^^xsd:date)) }}""")
    return {row[0] for row in rows}


def ancestors_on(store: ox.Store, unit: str, day: str) -> set[str]:
    found: set[str] = set()
    frontier = parents_on(store, unit, day)
    while frontier:
        found |= frontier
        frontier = {p for u in frontier for p in parents_on(store, u, day)} - found
    return found


def test_parent_units_linked_only_while_the_child_was_below_them(scenario: ox.Store) -> None:
    """Karst Hollow: bde-7 and div-1 were above the 72nd that day; div-2 was not (bde-7 joined it later)."""
    ancestors = {a[len(FICTIONAL):] for a in ancestors_on(scenario, FICTIONAL + "unit/bn-72", "2018-04-14")}
    assert {"unit/bde-7", "unit/div-1", "unit/vaf"} <= ancestors
    assert "unit/div-2" not in ancestors
    today = {a[len(FICTIONAL):] for a in ancestors_on(scenario, FICTIONAL + "unit/bn-72", "2023-01-01")}
    assert "unit/div-2" in today and "unit/div-1" not in today


def test_ministries_are_linked_through_the_hierarchy(scenario: ox.Store) -> None:
    # Interior: directly above the DSS, an alleged perpetrator.
    assert ask(scenario, """
        ASK { [ ag:childUnit unit:dss ; ag:parentUnit orgid:ministry-of-interior ] .
              [ ag:perpetrator unit:dss ; ag:status ag:Alleged ; ag:confidence ag:MediumConfidence ] }""")
    # Defence: perpetrators only four levels down.
    assert ask(scenario, """
        ASK { [ ag:childUnit unit:vaf ; ag:parentUnit orgid:ministry-of-defence ] .
              [ ag:childUnit unit:div-1 ; ag:parentUnit unit:vaf ] . [ ag:childUnit unit:bde-7 ; ag:parentUnit unit:div-1 ] .
              [ ag:childUnit unit:bn-72 ; ag:parentUnit unit:bde-7 ] . [ ag:perpetrator unit:bn-72 ] }""")
    assert not ask(scenario, """
        ASK { { ?s ag:childUnit ?x ; ag:parentUnit orgid:ministry-of-defence } UNION
              { ?s1 ag:childUnit ?x ; ag:parentUnit ?m . ?s2 ag:childUnit ?m ; ag:parentUnit orgid:ministry-of-defence }
              ?p ag:perpetrator ?x }""")


def test_integrated_unit_is_commanded_by_the_former_militia_leader(scenario: ox.Store) -> None:
    assert ask(scenario, """
        ASK { ?c ag:commander person:jorvan-halvren ; ag:commandedUnit unit:bn-45-integrated .
              ?p org:member person:jorvan-halvren ; org:organization group:quellmoor-hunters-guard ;
                 ag:startDate ?from ; ag:endDate ?to .
              incident:orrandel-road-abductions ag:startDate ?day FILTER(?from <= ?day && ?to >= ?day) }""")
