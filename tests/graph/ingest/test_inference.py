"""The SPARQL materialization rules: the exact links they derive, how they keep the inferred graph,
and that HermiT, reasoning over the OWL property chains, derives the very same links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.ingest import inference
from graph.store import EmbeddedStore, open_store
from ontology import reasoner
from ontology.files import OWL_FILE
from ontology.namespaces import AG, FICTIONAL, INFERRED_GRAPH, graph_iri

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "reasoning_sample.ttl"
SAMPLE_GRAPH = ox.NamedNode(graph_iri("reasoning-sample"))
INFERRED = ox.NamedNode(INFERRED_GRAPH)

# Every link the sample must yield, by derived property, as (subject, object) slugs under FICTIONAL.
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "memberOf": {
        ("person-sergeant-cato", "unit-11th-brigade"),  # posting
        ("person-dael", "group-red-hills-militia"),  # membership
        ("person-general-arvo", "unit-kestrian-army"),  # command: ag:commander is an org:member
        ("person-colonel-brenna", "unit-11th-brigade"),  # command (former)
    },
    "commands": {
        ("person-general-arvo", "unit-kestrian-army"),
        ("person-colonel-brenna", "unit-11th-brigade"),
    },
    "subOrganizationOf": {
        ("unit-1st-division", "unit-kestrian-army"),
        ("unit-11th-brigade", "unit-1st-division"),
        ("unit-12th-brigade", "unit-1st-division"),
        ("unit-11th-brigade", "unit-kestrian-army"),  # transitive
        ("unit-12th-brigade", "unit-kestrian-army"),  # transitive
    },
    "perpetratorOf": {("unit-11th-brigade", "incident-ashford-killings")},
    "integratedInto": {("group-green-valley-militia", "unit-1st-division")},
    "alliedWith": {
        ("group-red-hills-militia", "unit-12th-brigade"),
        ("unit-12th-brigade", "group-red-hills-militia"),  # symmetric
    },
    "rivalOf": {
        ("group-red-hills-militia", "group-blue-river-front"),
        ("group-blue-river-front", "group-red-hills-militia"),  # symmetric
    },
    "participatesIn": {
        ("org-northland-aid", "program-kestria-ssr"),
        ("unit-1st-division", "program-kestria-ssr"),
    },
    "reliesOn": {("unit-12th-brigade", "network-marsh-cattle")},
    "succeededBy": {("group-blue-river-front", "group-new-blue-river-front")},
    "sanctionedBy": {("person-general-arvo", "org-regional-sanctions-committee")},
}
DERIVED = sorted(AG + name for name in EXPECTED)

# Inverse role properties, a hierarchy cycle and a self-alliance: corners where a hand-written rule
# could easily part ways with OWL.
CORNERS = """\
@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix f: <https://w3id.org/actorgraph/fictional/id/> .
f:person-eda a ag:Person ; ag:hasMembership f:relation-eda-member ; ag:holdsCommand f:relation-eda-commands .
f:relation-eda-member a ag:Membership ; org:organization f:group-red-hills-militia .
f:relation-eda-commands a ag:Command ; ag:commandedUnit f:unit-kestrian-army .
f:group-red-hills-militia a ag:CommunityMilitia ; ag:firstPartyIn f:relation-self-alliance .
f:relation-self-alliance a ag:Alliance ; ag:ally f:group-red-hills-militia .
f:unit-kestrian-army a ag:MilitaryUnit ; ag:childIn f:relation-loop-1 .
f:relation-loop-1 a ag:Subordination ; ag:parentUnit f:unit-ghost-corps .
f:relation-loop-2 a ag:Subordination ; ag:childUnit f:unit-ghost-corps ; ag:parentUnit f:unit-kestrian-army .
f:unit-ghost-corps a ag:MilitaryUnit .
f:group-blue-river-front a ag:RebelGroup ; ag:predecessorIn f:relation-rename ; ag:listingOf f:relation-listing ;
    ag:perpetratorIn f:relation-raid ; ag:participation f:relation-target ; ag:relianceOf f:relation-reliance ;
    ag:integrationOf f:relation-merger .
f:relation-rename a ag:Succession ; ag:successor f:group-new-blue-river-front .
f:relation-listing a ag:SanctionsListing ; ag:listingAuthority f:org-regional-sanctions-committee .
f:relation-raid a ag:Perpetration ; ag:incident f:incident-ashford-killings .
f:relation-target a ag:Targeting ; ag:program f:program-kestria-ssr .
f:relation-reliance a ag:EconomicReliance ; ag:economicPartner f:network-marsh-cattle .
f:relation-merger a ag:Integration ; ag:absorbingOrganization f:unit-kestrian-army .
"""


def _store_with(*sources: Path | str) -> EmbeddedStore:
    """A memory store with each source in its own named graph, as imports are."""
    store = open_store(None)
    for number, source in enumerate(sources):
        graph = ox.NamedNode(graph_iri(f"test-{number}"))
        if isinstance(source, Path):
            store.raw.load(path=str(source), format=ox.RdfFormat.TURTLE, to_graph=graph)
        else:
            store.raw.load(source, format=ox.RdfFormat.TURTLE, to_graph=graph)
    return store


def _inferred(store: EmbeddedStore) -> set[tuple[str, str, str]]:
    return {
        (quad.subject.value, quad.predicate.value, quad.object.value)
        for quad in store.quads(INFERRED)
    }


def _links(prop: str, pairs: set[tuple[str, str]]) -> set[tuple[str, str, str]]:
    return {(FICTIONAL + s, AG + prop, FICTIONAL + o) for s, o in pairs}


@pytest.fixture
def sample_store() -> EmbeddedStore:
    store = open_store(None)
    store.raw.load(path=str(SAMPLE), format=ox.RdfFormat.TURTLE, to_graph=SAMPLE_GRAPH)
    return store


def test_one_rule_per_derived_property() -> None:
    rules = inference.load_rules()
    assert sorted(rule.derives for rule in rules) == DERIVED
    for rule in rules:
        assert rule.title and rule.description, rule.path


@pytest.mark.parametrize("prop", sorted(EXPECTED))
def test_rules_derive_exactly_the_expected_links(sample_store: EmbeddedStore, prop: str) -> None:
    inference.materialize(sample_store)
    derived = {link for link in _inferred(sample_store) if link[1] == AG + prop}
    assert derived == _links(prop, EXPECTED[prop])


def test_rivalry_is_no_alliance_and_alliance_no_rivalry(sample_store: EmbeddedStore) -> None:
    inference.materialize(sample_store)
    links = _inferred(sample_store)
    red_hills, blue_river, brigade = (FICTIONAL + s for s in ("group-red-hills-militia", "group-blue-river-front", "unit-12th-brigade"))
    assert (red_hills, AG + "alliedWith", blue_river) not in links
    assert (blue_river, AG + "alliedWith", red_hills) not in links
    assert (red_hills, AG + "rivalOf", brigade) not in links


def test_report_counts_links_per_property(sample_store: EmbeddedStore) -> None:
    report = inference.materialize(sample_store)
    assert report.counts == {AG + prop: len(pairs) for prop, pairs in EXPECTED.items()}
    assert report.seconds >= 0


def test_inferred_links_stay_out_of_asserted_graphs(sample_store: EmbeddedStore) -> None:
    asserted = set(sample_store.quads(SAMPLE_GRAPH))
    inference.materialize(sample_store)
    assert set(sample_store.quads(SAMPLE_GRAPH)) == asserted
    assert not list(sample_store.quads(ox.DefaultGraph()))
    derived = {ox.NamedNode(AG + prop) for prop in EXPECTED}
    assert all(quad.predicate in derived for quad in sample_store.quads(INFERRED))


def test_hierarchy_split_over_graphs_is_closed(tmp_path: Path) -> None:
    # Imports land in separate named graphs; the chain of command must be followed across them.
    upper = "@prefix ag: <https://w3id.org/actorgraph/ontology#> . @prefix f: <https://w3id.org/actorgraph/fictional/id/> .\n"
    lower = upper + "f:relation-b ag:childUnit f:unit-c ; ag:parentUnit f:unit-b .\n"
    upper += "f:relation-a ag:childUnit f:unit-b ; ag:parentUnit f:unit-a .\n"
    store = _store_with(upper, lower)
    inference.materialize(store)
    assert (FICTIONAL + "unit-c", AG + "subOrganizationOf", FICTIONAL + "unit-a") in _inferred(store)


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk"])
def test_links_of_blank_nodes_name_the_stores_own_nodes(tmp_path: Path, on_disk: bool) -> None:
    # The rules' results go through N-Triples text on their way to the inferred graph; a blank node
    # must come back as the node of the data, not as a new one, in a direct and in a closed link.
    data = (
        "@prefix ag: <https://w3id.org/actorgraph/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix f: <https://w3id.org/actorgraph/fictional/id/> .\n"
        "f:membership org:member _:fighter ; org:organization _:militia .\n"
        "f:relation-a ag:childUnit _:militia ; ag:parentUnit _:front .\n"
        "f:relation-b ag:childUnit _:front ; ag:parentUnit f:coalition .\n"
    )
    store = open_store(tmp_path / "store" if on_disk else None)
    store.raw.load(data.encode(), format=ox.RdfFormat.TURTLE, to_graph=SAMPLE_GRAPH)
    org, ag = "http://www.w3.org/ns/org#", AG
    node = {
        role: next(q.object for q in store.quads(SAMPLE_GRAPH) if q.predicate.value == org + role)
        for role in ("member", "organization")
    }
    front = next(q.object for q in store.quads(SAMPLE_GRAPH) if q.predicate.value == ag + "parentUnit" and isinstance(q.object, ox.BlankNode))
    inference.materialize(store)
    links = {(q.subject, q.predicate.value, q.object) for q in store.quads(INFERRED)}
    assert (node["member"], ag + "memberOf", node["organization"]) in links
    assert (node["organization"], ag + "subOrganizationOf", front) in links
    assert (node["organization"], ag + "subOrganizationOf", ox.NamedNode(FICTIONAL + "coalition")) in links
    blank_nodes = {term for link in links for term in (link[0], link[2]) if isinstance(term, ox.BlankNode)}
    assert blank_nodes == {node["member"], node["organization"], front}


def test_rerun_replaces_the_previous_inferred_graph(sample_store: EmbeddedStore) -> None:
    inference.materialize(sample_store)
    before = _inferred(sample_store)
    alliance = ox.NamedNode(FICTIONAL + "relation-red-hills-allied-12th")
    subordination = ox.NamedNode(FICTIONAL + "relation-11th-under-division")
    for node in (alliance, subordination):
        for quad in list(sample_store.raw.quads_for_pattern(node, None, None, None)):
            sample_store.remove([quad])

    report = inference.materialize(sample_store)

    gone = _links("alliedWith", EXPECTED["alliedWith"]) | _links(
        "subOrganizationOf", {("unit-11th-brigade", "unit-1st-division"), ("unit-11th-brigade", "unit-kestrian-army")}
    )
    assert _inferred(sample_store) == before - gone
    assert report.counts[AG + "alliedWith"] == 0
    assert report.counts[AG + "subOrganizationOf"] == 3


def test_rerun_on_unchanged_data_is_stable(sample_store: EmbeddedStore) -> None:
    first = inference.materialize(sample_store)
    before = _inferred(sample_store)
    second = inference.materialize(sample_store)
    assert _inferred(sample_store) == before
    assert second.counts == first.counts


def test_stray_links_in_the_inferred_graph_are_dropped(sample_store: EmbeddedStore) -> None:
    stray = ox.Quad(ox.NamedNode(FICTIONAL + "person-dael"), ox.NamedNode(AG + "commands"), ox.NamedNode(FICTIONAL + "unit-1st-division"), INFERRED)
    sample_store.add([stray])
    inference.materialize(sample_store)
    assert stray not in set(sample_store.quads(INFERRED))


def test_works_on_the_project_store_interface() -> None:
    store = open_store(None)
    store.raw.load(path=str(SAMPLE), format=ox.RdfFormat.TURTLE, to_graph=SAMPLE_GRAPH)
    report = inference.materialize(store)
    assert sum(report.counts.values()) == sum(len(pairs) for pairs in EXPECTED.values())
    assert store.graph_size(INFERRED) == sum(report.counts.values())


def _rules_copy(tmp_path: Path) -> Path:
    rules_dir = tmp_path / "rules"
    shutil.copytree(inference.RULES_DIR, rules_dir)
    return rules_dir


def test_a_failing_rule_leaves_the_previous_graph(sample_store: EmbeddedStore, tmp_path: Path) -> None:
    inference.materialize(sample_store)
    before = _inferred(sample_store)
    rules_dir = _rules_copy(tmp_path)
    (rules_dir / "zz_broken.rq").write_text(
        "# title: Broken\n# derives: ag:commands\nPREFIX ag: <https://w3id.org/actorgraph/ontology#>\n"
        "CONSTRUCT { ?a ag:commands ?b } WHERE { ?a ag:commander ?b \n",
        encoding="utf-8",
    )
    with pytest.raises(inference.RuleError, match="zz_broken"):
        inference.materialize(sample_store, rules_dir)
    assert _inferred(sample_store) == before


def test_a_rule_may_not_produce_another_property(sample_store: EmbeddedStore, tmp_path: Path) -> None:
    inference.materialize(sample_store)
    before = _inferred(sample_store)
    rules_dir = _rules_copy(tmp_path)
    (rules_dir / "zz_liar.rq").write_text(
        "# title: Liar\n# derives: ag:commands\nPREFIX ag: <https://w3id.org/actorgraph/ontology#>\n"
        "PREFIX org: <http://www.w3.org/ns/org#>\n"
        "CONSTRUCT { ?a ag:reliesOn ?b } WHERE { ?m org:member ?a ; org:organization ?b }\n",
        encoding="utf-8",
    )
    with pytest.raises(inference.RuleError, match="zz_liar"):
        inference.materialize(sample_store, rules_dir)
    assert _inferred(sample_store) == before


@pytest.mark.parametrize(
    "where",
    [
        "?a ag:memberOf ?b",
        "?a <https://w3id.org/actorgraph/ontology#memberOf> ?b",
        "?a ag:commander/ag:memberOf ?b",
    ],
)
def test_a_rule_may_not_read_a_derived_property(tmp_path: Path, where: str) -> None:
    rules_dir = _rules_copy(tmp_path)
    (rules_dir / "zz_reader.rq").write_text(
        "# title: Reader\n# derives: ag:reliesOn\n"
        "PREFIX ag: <https://w3id.org/actorgraph/ontology#>\n"
        "# a comment that mentions ag:memberOf does not count\n"
        f"CONSTRUCT {{ ?a ag:reliesOn ?b }} WHERE {{ {where} }}\n",
        encoding="utf-8",
    )
    with pytest.raises(inference.RuleError, match="memberOf"):
        inference.load_rules(rules_dir)


def test_comments_and_role_properties_do_not_count_as_reading(tmp_path: Path) -> None:
    # org:memberOf and ag:memberOf share a local name; only the latter is derived here.
    rules_dir = _rules_copy(tmp_path)
    (rules_dir / "zz_reader.rq").write_text(
        "# title: Reader\n# derives: ag:reliesOn\n"
        "PREFIX ag: <https://w3id.org/actorgraph/ontology#>\nPREFIX org: <http://www.w3.org/ns/org#>\n"
        "CONSTRUCT { ?a ag:reliesOn ?b } WHERE {\n  # ag:memberOf would be wrong here\n  ?a org:memberOf ?b . FILTER(?b != \"ag:memberOf\")\n}\n",
        encoding="utf-8",
    )
    assert any(rule.name == "zz_reader" for rule in inference.load_rules(rules_dir))


def _chains(steps: set[tuple[str, str]]) -> set[tuple[str, str]]:
    nodes = {name: ox.NamedNode(FICTIONAL + name) for step in steps for name in step}
    closed = inference.transitive_closure((nodes[a], nodes[b]) for a, b in steps)
    return {(a.value.removeprefix(FICTIONAL), b.value.removeprefix(FICTIONAL)) for a, b in closed}


def test_transitive_closure_of_a_chain_a_diamond_and_a_cycle() -> None:
    assert _chains({("a", "b"), ("b", "c")}) == {("a", "b"), ("b", "c"), ("a", "c")}
    # Two routes to the same top give each link once.
    assert _chains({("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")}) == {
        ("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("a", "d")
    }
    # On a cycle every node reaches every other and itself; a unit hanging below it reaches all of it.
    cycle = {("x", "y"), ("y", "x"), ("z", "x")}
    assert _chains(cycle) == {("x", "y"), ("y", "x"), ("x", "x"), ("y", "y"), ("z", "x"), ("z", "y")}
    assert _chains(set()) == set()


def _ontology_transitive_properties() -> set[str]:
    graph = ox.Store()
    graph.load(path=str(OWL_FILE), format=ox.RdfFormat.TURTLE)
    query = "SELECT ?p WHERE { ?p a <http://www.w3.org/2002/07/owl#TransitiveProperty> }"
    return {row["p"].value for row in graph.query(query)}  # type: ignore[union-attr]


def test_closure_header_matches_the_ontology() -> None:
    """A rule closes its links exactly when the ontology calls the property transitive: a
    missing header would leave the chain of command one level deep."""
    rules = inference.load_rules()
    transitive = _ontology_transitive_properties()
    assert AG + "subOrganizationOf" in transitive
    assert {rule.derives for rule in rules if rule.transitive} == {rule.derives for rule in rules} & transitive


def test_an_unknown_closure_is_refused(tmp_path: Path) -> None:
    rules_dir = _rules_copy(tmp_path)
    (rules_dir / "zz_closure.rq").write_text(
        "# title: Closure\n# derives: ag:reliesOn\n# closure: reflexive\n"
        "PREFIX ag: <https://w3id.org/actorgraph/ontology#>\nPREFIX org: <http://www.w3.org/ns/org#>\n"
        "CONSTRUCT { ?a ag:reliesOn ?b } WHERE { ?a org:memberOf ?b }\n",
        encoding="utf-8",
    )
    with pytest.raises(inference.RuleError, match="zz_closure.*reflexive"):
        inference.load_rules(rules_dir)


@pytest.mark.parametrize("sources", [(SAMPLE,), (SAMPLE, CORNERS)], ids=["sample", "sample+corners"])
def test_hermit_derives_the_same_links(sources: tuple[Path | str, ...]) -> None:
    """The OWL chains and the SPARQL rules agree, property by property.

    Nothing is ignored: HermiT reports the known instances of each property between named
    individuals, which is exactly what the rules produce. The corner cases include a two-unit
    cycle, where both sides derive the reflexive links (unit, subOrganizationOf, unit) through
    transitivity, and a self-alliance, where both derive (group, alliedWith, group).
    """
    store = _store_with(*sources)
    inference.materialize(store)
    by_rules = _inferred(store)
    by_hermit = reasoner.derive_links(list(sources), DERIVED)
    for prop in DERIVED:
        rules_side = {link for link in by_rules if link[1] == prop}
        hermit_side = {link for link in by_hermit if link[1] == prop}
        assert rules_side == hermit_side, prop
    assert by_rules == by_hermit


def test_corner_cases_derive_through_inverse_properties() -> None:
    store = _store_with(CORNERS)
    inference.materialize(store)
    links = _inferred(store)
    army, ghost = FICTIONAL + "unit-kestrian-army", FICTIONAL + "unit-ghost-corps"
    assert (FICTIONAL + "person-eda", AG + "memberOf", FICTIONAL + "group-red-hills-militia") in links
    assert (FICTIONAL + "person-eda", AG + "commands", army) in links
    assert (FICTIONAL + "person-eda", AG + "memberOf", army) in links
    assert {(army, AG + "subOrganizationOf", army), (ghost, AG + "subOrganizationOf", ghost)} <= links
    assert (FICTIONAL + "group-blue-river-front", AG + "integratedInto", army) in links
