"""The shapes file and the SHACL-to-SPARQL validator.

Each test loads the ontology and a small inline Turtle snippet into an in-memory pyoxigraph store,
validates, and checks exactly which (focus node, path, constraint) the validator reports. The last
tests run pyshacl on the same data and require the same results.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH, SKOS

from graph.ingest.validation import ShapeValidator, UnsupportedShapeError, Violation
from graph.store import EmbeddedStore, open_store
from ontology.files import MODEL_FILES, SHAPES_FILE, VOCABULARIES_FILE
from ontology.namespaces import AG, FICTIONAL, FICTIONAL_GRAPH, ONTOLOGY_GRAPH

AGSH = "https://w3id.org/actorgraph/shapes#"
DATA = ox.NamedNode(FICTIONAL_GRAPH)
ONTOLOGY = ox.NamedNode(ONTOLOGY_GRAPH)

PREFIXES = """
@prefix ag:      <https://w3id.org/actorgraph/ontology#> .
@prefix sh:      <http://www.w3.org/ns/shacl#> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix schema:  <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix fic:     <https://w3id.org/actorgraph/fictional/id/> .
@prefix ex:      <https://w3id.org/actorgraph/fictional/id/shape/> .
"""

# Sources, actors, an incident and a program that the relation snippets below point to.
CONTEXT = """
fic:source-report a ag:Source ; dcterms:title "Report on Veldoria" ; dcterms:publisher "Fictional Watch" ;
    schema:url "https://example.org/report" .
fic:person-colonel a ag:Person ; rdfs:label "Colonel Fictional" .
fic:unit-battalion a ag:MilitaryUnit ; rdfs:label "1st Fictional Battalion" ; ag:level ag:LocalLevel .
fic:unit-brigade a ag:MilitaryUnit ; rdfs:label "Fictional Brigade" .
fic:militia-hunters a ag:CommunityMilitia ; rdfs:label "Fictional Hunters" .
fic:state-veldoria a ag:State ; rdfs:label "Veldoria" ; ag:countryCode "VL" .
fic:incident-market a ag:Incident ; rdfs:label "Market attack" ; ag:violationType ag:MassKilling ;
    prov:wasDerivedFrom fic:source-report ; ag:startDate "2016-03-04"^^xsd:date ; ag:fatalities 12 ;
    ag:country fic:state-veldoria .
fic:program-ddr a ag:DDRProgram ; rdfs:label "Fictional DDR" ; prov:wasDerivedFrom fic:source-report ;
    ag:level ag:NationalLevel ; ag:sector ag:DDRSector ; ag:startDate "2017-01-01"^^xsd:date .
"""

SOURCED = """prov:wasDerivedFrom fic:source-report ; ag:confidence ag:HighConfidence"""

VALID_RELATIONS = f"""
fic:command a ag:Command ; ag:commander fic:person-colonel ; ag:commandedUnit fic:unit-battalion ;
    {SOURCED} ; ag:startDate "2015-01-01"^^xsd:date ; ag:endDate "2016-06-30"^^xsd:date .
fic:membership a ag:Membership ; org:member fic:militia-hunters ; org:organization fic:unit-brigade ; {SOURCED} .
fic:subordination a ag:Subordination ; ag:childUnit fic:unit-battalion ; ag:parentUnit fic:unit-brigade ; {SOURCED} .
fic:alliance a ag:Alliance ; ag:firstParty fic:militia-hunters ; ag:ally fic:unit-brigade ; {SOURCED} .
fic:perpetration a ag:Perpetration ; ag:perpetrator fic:unit-battalion ; ag:incident fic:incident-market ;
    ag:status ag:Alleged ; {SOURCED} .
fic:funding a ag:Funding ; ag:program fic:program-ddr ; ag:participant fic:state-veldoria ; ag:amount 250000 ;
    ag:currency "USD" ; ag:programRole ag:FunderRole ; {SOURCED} .
fic:trial a ag:JudicialOutcome ; ag:concerns fic:person-colonel ; ag:judicialOutcome ag:Convicted ;
    ag:aboutIncident fic:incident-market ; {SOURCED} ; ag:startDate "2019-05-05"^^xsd:date ;
    ag:endDate "2019-05-05"^^xsd:date .
"""


def fic(slug: str) -> str:
    return FICTIONAL + slug


def make_store(*turtle: str) -> EmbeddedStore:
    """The ontology in its graph, and the snippets (with CONTEXT) in the fictional data graph."""
    store = open_store(None)
    for path in MODEL_FILES:
        store.raw.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ONTOLOGY)
    store.raw.load(PREFIXES + CONTEXT + "\n".join(turtle), format=ox.RdfFormat.TURTLE, to_graph=DATA)
    return store


@pytest.fixture(scope="module")
def validator() -> ShapeValidator:
    return ShapeValidator()


def run(validator: ShapeValidator, *turtle: str) -> list[Violation]:
    return validator.validate(make_store(*turtle), [DATA], [ONTOLOGY])


def keys(violations: Iterable[Violation]) -> set[tuple[str, str | None, str]]:
    return {(v.focus_node, v.path, v.constraint) for v in violations}


# --------------------------------------------------------------------------------------------
# Valid data
# --------------------------------------------------------------------------------------------


def test_valid_relations_pass(validator: ShapeValidator) -> None:
    # The fixture is non-trivial: it types nodes with many relation classes.
    store = make_store(VALID_RELATIONS)
    assert len(list(store.raw.quads_for_pattern(None, ox.NamedNode(RDF.type), None, DATA))) >= 14
    assert validator.validate(store, [DATA], [ONTOLOGY]) == []


def test_start_equal_to_end_is_valid(validator: ShapeValidator) -> None:
    violations = run(
        validator,
        f"""fic:m a ag:Membership ; org:member fic:person-colonel ; org:organization fic:unit-brigade ; {SOURCED} ;
            ag:startDate "2015-01-01"^^xsd:date ; ag:endDate "2015-01-01"^^xsd:date .""",
    )
    assert violations == []


# --------------------------------------------------------------------------------------------
# Sources and confidence
# --------------------------------------------------------------------------------------------


def test_missing_source(validator: ShapeValidator) -> None:
    violations = run(
        validator,
        """fic:m a ag:Membership ; org:member fic:person-colonel ; org:organization fic:unit-brigade ;
            ag:confidence ag:LowConfidence .""",
    )
    assert keys(violations) == {(fic("m"), "prov:wasDerivedFrom", "sh:minCount")}
    (violation,) = violations
    assert violation.message == "Relation node has no source (prov:wasDerivedFrom)"
    assert violation.shape == AGSH + "Relation-source-count"
    assert violation.value is None
    assert violation.severity == "sh:Violation"


def test_source_that_is_not_a_source(validator: ShapeValidator) -> None:
    violations = run(
        validator,
        """fic:m a ag:Membership ; org:member fic:person-colonel ; org:organization fic:unit-brigade ;
            prov:wasDerivedFrom fic:person-colonel, fic:source-report ; ag:confidence ag:LowConfidence .""",
    )
    assert keys(violations) == {(fic("m"), "prov:wasDerivedFrom", "sh:class")}
    assert violations[0].value == "<" + fic("person-colonel") + ">"


@pytest.mark.parametrize(
    ("confidence", "shown"),
    [
        ("ag:Certain", "ag:Certain"),
        ('"high"', '"high"'),
        ("ag:Alleged", "ag:Alleged"),
        # A literal of an unknown datatype beside IRI members: comparing them is false, never an
        # error that would drop the violation (queries/shacl/same-iri.rq).
        ('"high"^^<urn:unknown-datatype>', '"high"^^<urn:unknown-datatype>'),
    ],
)
def test_confidence_outside_the_scheme(validator: ShapeValidator, confidence: str, shown: str) -> None:
    violations = run(
        validator,
        f"""fic:m a ag:Membership ; org:member fic:person-colonel ; org:organization fic:unit-brigade ;
            prov:wasDerivedFrom fic:source-report ; ag:confidence {confidence} .""",
    )
    assert keys(violations) == {(fic("m"), "ag:confidence", "sh:in")}
    assert violations[0].value == shown


def test_two_confidences(validator: ShapeValidator) -> None:
    violations = run(
        validator,
        """fic:m a ag:Membership ; org:member fic:person-colonel ; org:organization fic:unit-brigade ;
            prov:wasDerivedFrom fic:source-report ; ag:confidence ag:LowConfidence, ag:HighConfidence .""",
    )
    assert keys(violations) == {(fic("m"), "ag:confidence", "sh:maxCount")}


def test_missing_confidence(validator: ShapeValidator) -> None:
    violations = run(
        validator,
        """fic:m a ag:Membership ; org:member fic:person-colonel ; org:organization fic:unit-brigade ;
            prov:wasDerivedFrom fic:source-report .""",
    )
    assert keys(violations) == {(fic("m"), "ag:confidence", "sh:minCount")}


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "date",
    [
        '"2013-13-45"^^xsd:date',  # ill-formed: month 13
        '"2013-02-30"^^xsd:date',  # ill-formed: no such day
        '"yesterday"^^xsd:date',  # ill-formed
        '"2013-01-01"',  # a plain string
        '"2013"^^xsd:gYear',  # another datatype
        '"2013-01-01T00:00:00"^^xsd:dateTime',  # another datatype
        "fic:unit-brigade",  # not a literal
    ],
)
def test_malformed_start_date(validator: ShapeValidator, date: str) -> None:
    violations = run(
        validator,
        f"""fic:m a ag:Membership ; org:member fic:person-colonel ; org:organization fic:unit-brigade ; {SOURCED} ;
            ag:startDate {date} .""",
    )
    assert keys(violations) == {(fic("m"), "ag:startDate", "sh:datatype")}
    assert violations[0].message == "Start date (ag:startDate) is not a valid xsd:date"


def test_end_before_start(validator: ShapeValidator) -> None:
    violations = run(
        validator,
        f"""fic:m a ag:Membership ; org:member fic:person-colonel ; org:organization fic:unit-brigade ; {SOURCED} ;
            ag:startDate "2016-01-01"^^xsd:date ; ag:endDate "2015-12-31"^^xsd:date .""",
    )
    assert keys(violations) == {(fic("m"), "ag:startDate", "sh:lessThanOrEquals")}
    assert violations[0].value == '"2016-01-01"^^xsd:date'


def test_dates_of_programs_and_incidents_are_checked(validator: ShapeValidator) -> None:
    violations = run(
        validator,
        """fic:program-ddr ag:endDate "2016-01-01"^^xsd:date .
           fic:incident-market ag:startDate "2016-03-05"^^xsd:date .""",
    )
    assert keys(violations) == {
        (fic("program-ddr"), "ag:startDate", "sh:lessThanOrEquals"),
        (fic("incident-market"), "ag:startDate", "sh:maxCount"),
    }


def test_unparseable_dates_cannot_be_compared(validator: ShapeValidator) -> None:
    # SHACL: values that cannot be compared violate sh:lessThanOrEquals too (pyshacl skips them).
    violations = run(
        validator,
        f"""fic:m a ag:Membership ; org:member fic:person-colonel ; org:organization fic:unit-brigade ; {SOURCED} ;
            ag:startDate "2016-13-01"^^xsd:date ; ag:endDate "2017-01-01"^^xsd:date .""",
    )
    assert keys(violations) == {
        (fic("m"), "ag:startDate", "sh:datatype"),
        (fic("m"), "ag:startDate", "sh:lessThanOrEquals"),
    }


# --------------------------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------------------------


def test_missing_role(validator: ShapeValidator) -> None:
    violations = run(validator, f"""fic:c a ag:Command ; ag:commander fic:person-colonel ; {SOURCED} .""")
    assert keys(violations) == {
        (fic("c"), "ag:commandedUnit", "sh:minCount"),
        (fic("c"), "org:organization|ag:commandedUnit", "sh:minCount"),
    }
    shapes = {v.shape for v in violations}
    assert shapes == {AGSH + "Command-commandedUnit-count", AGSH + "Membership-organization-count"}


def test_command_roles_count_as_membership_roles(validator: ShapeValidator) -> None:
    # ag:commander / ag:commandedUnit satisfy the membership shape; a second, different org:member does not.
    assert run(validator, VALID_RELATIONS) == []
    violations = run(
        validator,
        f"""fic:c a ag:Command ; ag:commander fic:person-colonel ; ag:commandedUnit fic:unit-battalion ;
            org:member fic:unit-brigade ; {SOURCED} .""",
    )
    assert (fic("c"), "org:member|ag:commander", "sh:maxCount") in keys(violations)


def test_wrong_class_of_role_value(validator: ShapeValidator) -> None:
    violations = run(
        validator,
        f"""fic:c a ag:Command ; ag:commander fic:unit-brigade ; ag:commandedUnit fic:person-colonel ; {SOURCED} .
            fic:s a ag:Subordination ; ag:childUnit fic:unit-battalion ; ag:parentUnit fic:person-colonel ;
                {SOURCED} .""",
    )
    assert keys(violations) == {
        (fic("c"), "ag:commander", "sh:class"),
        (fic("c"), "ag:commandedUnit", "sh:class"),
        (fic("c"), "org:member|ag:commander", "sh:class"),  # a posting is held by a person
        (fic("c"), "org:organization|ag:commandedUnit", "sh:class"),
        (fic("s"), "ag:parentUnit", "sh:class"),
    }
    commander = next(v for v in violations if v.path == "ag:commander")
    assert commander.value == "<" + fic("unit-brigade") + ">"
    assert commander.message == "Commander (ag:commander) is not an ag:Person"


def test_role_value_typed_only_in_context_graph(validator: ShapeValidator) -> None:
    # Types are looked up in data + context graphs, so an actor defined elsewhere is fine.
    store = make_store(
        f"fic:s a ag:Subordination ; ag:childUnit fic:unit-x ; ag:parentUnit fic:unit-brigade ; {SOURCED} ."
    )
    other = ox.NamedNode(FICTIONAL + "graph/other")
    store.raw.load(PREFIXES + 'fic:unit-x a ag:PoliceUnit ; rdfs:label "X" .', format=ox.RdfFormat.TURTLE, to_graph=other)
    assert validator.validate(store, [DATA], [ONTOLOGY, other]) == []
    without = validator.validate(store, [DATA], [ONTOLOGY])
    assert keys(without) == {(fic("s"), "ag:childUnit", "sh:class")}


def test_self_alliance(validator: ShapeValidator) -> None:
    violations = run(
        validator,
        f"fic:a a ag:Alliance ; ag:firstParty fic:militia-hunters ; ag:ally fic:militia-hunters ; {SOURCED} .",
    )
    assert keys(violations) == {(fic("a"), "ag:firstParty", "sh:disjoint")}


def test_perpetration_without_status(validator: ShapeValidator) -> None:
    violations = run(
        validator,
        f"""fic:p a ag:Perpetration ; ag:perpetrator fic:unit-battalion ; ag:incident fic:incident-market ;
            {SOURCED} .""",
    )
    assert keys(violations) == {(fic("p"), "ag:status", "sh:minCount")}
    assert "ag:Alleged or ag:Established" in violations[0].message


def test_perpetration_status_outside_the_scheme(validator: ShapeValidator) -> None:
    violations = run(
        validator,
        f"""fic:p a ag:Perpetration ; ag:perpetrator fic:unit-battalion ; ag:incident fic:incident-market ;
            ag:status ag:Rumoured ; {SOURCED} .""",
    )
    assert keys(violations) == {(fic("p"), "ag:status", "sh:in")}


# --------------------------------------------------------------------------------------------
# Targeting
# --------------------------------------------------------------------------------------------


def test_subclass_instances_are_targeted(validator: ShapeValidator) -> None:
    # Typed only ag:Command (three levels below ag:Relation) and ag:CommunityMilitia (below ag:Actor).
    violations = run(
        validator,
        """fic:c a ag:Command ; ag:commander fic:person-colonel ; ag:commandedUnit fic:unit-battalion ;
            ag:confidence ag:HighConfidence .
           fic:nameless a ag:CommunityMilitia .""",
    )
    assert keys(violations) == {
        (fic("c"), "prov:wasDerivedFrom", "sh:minCount"),
        (fic("nameless"), "rdfs:label", "sh:minCount"),
    }
    assert {v.shape for v in violations} == {AGSH + "Relation-source-count", AGSH + "Actor-label"}


def test_focus_nodes_come_from_data_graphs_only(validator: ShapeValidator) -> None:
    store = make_store(VALID_RELATIONS)
    elsewhere = ox.NamedNode(FICTIONAL + "graph/elsewhere")
    store.raw.load(PREFIXES + "fic:broken a ag:Membership .", format=ox.RdfFormat.TURTLE, to_graph=elsewhere)
    assert validator.validate(store, [DATA], [ONTOLOGY, elsewhere]) == []
    assert {v.focus_node for v in validator.validate(store, [elsewhere], [ONTOLOGY])} == {fic("broken")}


def test_subjects_of_level_are_targeted(validator: ShapeValidator) -> None:
    violations = run(validator, "fic:unit-brigade ag:level ag:Galactic . fic:program-ddr ag:sector ag:SpaceSector .")
    assert keys(violations) == {
        (fic("unit-brigade"), "ag:level", "sh:in"),
        (fic("program-ddr"), "ag:sector", "sh:in"),
    }


def test_incident_needs_name_type_source_and_date(validator: ShapeValidator) -> None:
    violations = run(validator, "fic:i a ag:Incident ; ag:violationType ag:Gossip ; ag:fatalities -3 .")
    assert keys(violations) == {
        (fic("i"), None, "sh:or"),
        (fic("i"), "ag:violationType", "sh:in"),
        (fic("i"), "prov:wasDerivedFrom", "sh:minCount"),
        (fic("i"), "ag:startDate", "sh:minCount"),
        (fic("i"), "ag:fatalities", "sh:minInclusive"),
    }
    named = run(
        validator,
        """fic:i a ag:Incident ; ag:name "Named only" ; ag:violationType ag:Torture ;
            prov:wasDerivedFrom fic:source-report ; ag:startDate "2016-01-01"^^xsd:date .""",
    )
    assert named == []


def test_source_needs_title_and_publisher(validator: ShapeValidator) -> None:
    violations = run(validator, 'fic:s a ag:Source ; schema:url "ftp://example.org" .')
    assert keys(violations) == {
        (fic("s"), "dcterms:title", "sh:minCount"),
        (fic("s"), "dcterms:publisher", "sh:minCount"),
        (fic("s"), "schema:url", "sh:pattern"),
    }


def test_blank_node_focus(validator: ShapeValidator) -> None:
    violations = run(validator, "[] a ag:Membership ; org:member fic:person-colonel .")
    assert {v.constraint for v in violations} == {"sh:minCount"}
    assert {v.path for v in violations} == {"prov:wasDerivedFrom", "ag:confidence", "org:organization|ag:commandedUnit"}
    assert all(v.focus_node.startswith("_:") for v in violations)
    assert str(violations[0]).startswith(violations[0].focus_node + " ")


def test_subordination_cycle_is_a_warning(validator: ShapeValidator) -> None:
    violations = run(
        validator,
        f"""fic:s1 a ag:Subordination ; ag:childUnit fic:unit-battalion ; ag:parentUnit fic:unit-brigade ; {SOURCED} .
            fic:s2 a ag:Subordination ; ag:childUnit fic:unit-brigade ; ag:parentUnit fic:unit-battalion ;
                {SOURCED} .""",
    )
    assert keys(violations) == {(fic("s1"), None, "sh:sparql"), (fic("s2"), None, "sh:sparql")}
    assert {v.severity for v in violations} == {"sh:Warning"}
    first = next(v for v in violations if v.focus_node == fic("s1"))
    assert first.value == "<" + fic("unit-brigade") + ">"
    assert "the parent unit <" + fic("unit-brigade") + "> is itself" in first.message
    assert str(first).startswith("warning: <" + fic("s1") + ">")


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def test_violation_names_focus_node_and_rule(validator: ShapeValidator) -> None:
    (violation,) = run(
        validator,
        """fic:m a ag:Membership ; org:member fic:person-colonel ; org:organization fic:unit-brigade ;
            prov:wasDerivedFrom fic:source-report ; ag:confidence ag:Certain .""",
    )
    assert str(violation) == (
        "<" + fic("m") + "> ag:confidence: "
        "Relation confidence is not low, medium or high from ag:ConfidenceScheme (sh:in) [ag:Certain]"
    )


def test_limit_caps_the_report(validator: ShapeValidator) -> None:
    broken = "\n".join(f"fic:m{i} a ag:Membership ." for i in range(40))
    store = make_store(broken)
    assert len(validator.validate(store, [DATA], [ONTOLOGY])) == 160  # 4 rules broken by each node
    assert len(validator.validate(store, [DATA], [ONTOLOGY], limit=7)) == 7
    assert validator.validate(store, [], [ONTOLOGY]) == []


def test_compiled_once_and_cached() -> None:
    assert ShapeValidator().checks is ShapeValidator().checks
    assert len(ShapeValidator().checks) > 100


def test_every_shape_has_a_name_and_a_message() -> None:
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    nodes |= set(shapes.objects(None, SH.property)) | set(shapes.subjects(RDF.type, SH.SPARQLConstraint))
    assert len(nodes) > 100
    for node in nodes:
        assert shapes.value(node, SH.message) is not None, node
        assert shapes.value(node, SH.name) is not None or shapes.value(node, rdflib.RDFS.label) is not None, node


def test_scheme_lists_match_the_vocabularies() -> None:
    # Every sh:in list names exactly the members of one SKOS scheme, so shapes and vocabularies agree.
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    vocabularies = rdflib.Graph().parse(VOCABULARIES_FILE, format="turtle")
    lists = [set(rdflib.collection.Collection(shapes, node)) for node in shapes.objects(None, SH["in"])]
    assert len(lists) >= 10
    for members in lists:
        schemes = {scheme for member in members for scheme in vocabularies.objects(member, SKOS.inScheme)}
        assert len(schemes) == 1, members
        (scheme,) = schemes
        assert members == set(vocabularies.subjects(SKOS.inScheme, scheme)), scheme


# --------------------------------------------------------------------------------------------
# The compiler on other shapes files
# --------------------------------------------------------------------------------------------


def write_shapes(tmp_path: Path, turtle: str) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(PREFIXES + turtle, encoding="utf-8")
    return path


ACTORS = "ex:S a sh:NodeShape ; sh:targetClass ag:Actor ; "


@pytest.mark.parametrize(
    ("turtle", "named"),
    [
        (
            "sh:property [ sh:path ag:x ; sh:qualifiedValueShape [ sh:class ag:Person ] ; sh:qualifiedMinCount 1 ] .",
            "unsupported SHACL property sh:qualified",
        ),
        ("sh:target [ a sh:SPARQLTarget ] .", "sh:target"),
        ('sh:sparql [ sh:ask "ASK {}" ] .', "sh:ask"),
        ("sh:minCount 1 .", "sh:minCount needs a property shape"),
        (
            "sh:property [ sh:path ag:x ; sh:property [ sh:path ag:y ; sh:minCount 1 ] ] .",
            "sh:property on a property shape",
        ),
        ('sh:property [ sh:path ag:x ; sh:minCount "one" ] .', "non-negative integer"),
        ("sh:property [ sh:path ag:x ; sh:in ( [] ) ] .", "blank node"),
        ("sh:property [ sh:path ( ag:x ) ; sh:minCount 1 ] .", "two members"),
        ('sh:sparql [ sh:select "SELECT $this WHERE { $this ?p $currentShape }" ] .', "$currentShape"),
        ('sh:sparql [ sh:select "SELECT ?x WHERE { ?x ?p ?o }" ] .', "$this"),
        ('sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ; sh:severity sh:Warning ] .', "sh:severity"),
        ("sh:node ex:S .", "nested too deeply"),
        ("sh:or ( [ sh:closed true ] ) .", "sh:closed is not supported inside a logical constraint"),
        ("sh:nodeKind sh:Anything .", "unsupported SHACL property|unknown node kind"),
        ("sh:targetClass <https://example.org/a\\u0020b> .", "IRI"),
    ],
)
def test_unsupported_shapes_fail_at_compile_time(tmp_path: Path, turtle: str, named: str) -> None:
    with pytest.raises(UnsupportedShapeError, match=named.replace("$", r"\$")):
        ShapeValidator(write_shapes(tmp_path, ACTORS + turtle))


def turtle_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def test_shape_terms_are_escaped_in_query_text(tmp_path: Path) -> None:
    # A literal from the shapes file that looks like SPARQL stays a literal.
    tricky = 'x" ) } ; DROP ALL ; # \n \\ "'
    shapes = write_shapes(
        tmp_path,
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ag:note ; sh:property [ sh:path ag:note ; sh:in ( "
        + turtle_string(tricky)
        + ' "ok" ) ] .',
    )
    store = make_store('fic:a ag:note "ok" . fic:b ag:note "other" .')
    store.add([ox.Quad(ox.NamedNode(fic("c")), ox.NamedNode(AG + "note"), ox.Literal(tricky), DATA)])
    size = store.size()
    violations = ShapeValidator(shapes).validate(store, [DATA], [ONTOLOGY])
    assert keys(violations) == {(fic("b"), "ag:note", "sh:in")}
    assert store.size() == size


def test_integer_derived_datatypes(tmp_path: Path) -> None:
    # pyoxigraph stores "5"^^xsd:nonNegativeInteger as "5"^^xsd:integer, so the range decides.
    shapes = write_shapes(
        tmp_path,
        "ex:S a sh:NodeShape ; sh:targetSubjectsOf ag:fatalities ; "
        "sh:property [ sh:path ag:fatalities ; sh:datatype xsd:nonNegativeInteger ] .",
    )
    violations = ShapeValidator(shapes).validate(
        make_store(
            """fic:ok ag:fatalities "5"^^xsd:nonNegativeInteger, 7 .
               fic:negative ag:fatalities "-4"^^xsd:nonNegativeInteger .
               fic:word ag:fatalities "many"^^xsd:nonNegativeInteger .
               fic:text ag:fatalities "5" .
               fic:decimal ag:fatalities 5.0 ."""
        ),
        [DATA],
        [ONTOLOGY],
    )
    assert {v.focus_node for v in violations} == {fic("negative"), fic("word"), fic("text"), fic("decimal")}
    assert {v.constraint for v in violations} == {"sh:datatype"}


FEATURE_SHAPES = """
ex:Named a sh:NodeShape ; sh:targetNode fic:unit-brigade, fic:unit-battalion, fic:unit-company, fic:person-colonel ;
    sh:property ex:Named-labels .
ex:Named-labels sh:path rdfs:label ; sh:minCount 2 ; sh:uniqueLang true ; sh:languageIn ( "en" "fr" ) ;
    sh:minLength 3 ; sh:maxLength 24 .

ex:Parents a sh:NodeShape ; sh:targetObjectsOf ag:parentUnit ; sh:nodeKind sh:BlankNode ;
    sh:class ag:SecurityForceUnit .

ex:Units a sh:NodeShape ; sh:targetClass ag:MilitaryUnit ;
    sh:property ex:Units-subordinated, ex:Units-parents, ex:Units-ancestors, ex:Units-selfOrAncestors, ex:Units-level,
        ex:Units-selfOrParents, ex:Units-anyAncestor, ex:Units-levelOrSector .
ex:Units-subordinated sh:path [ sh:inversePath ag:childUnit ] ; sh:maxCount 1 .
ex:Units-parents sh:path ( [ sh:inversePath ag:childUnit ] ag:parentUnit ) ; sh:class ag:MilitaryUnit .
ex:Units-ancestors sh:path [ sh:oneOrMorePath ( [ sh:inversePath ag:childUnit ] ag:parentUnit ) ] ; sh:maxCount 1 .
ex:Units-selfOrAncestors sh:path [ sh:zeroOrMorePath ( [ sh:inversePath ag:childUnit ] ag:parentUnit ) ] ;
    sh:disjoint rdfs:seeAlso .
ex:Units-level sh:path [ sh:alternativePath ( ag:level ag:sector ) ] ; sh:hasValue ag:LocalLevel .
ex:Units-selfOrParents sh:path [ sh:zeroOrOnePath ( [ sh:inversePath ag:childUnit ] ag:parentUnit ) ] ; sh:maxCount 2 .
ex:Units-anyAncestor sh:path [ sh:oneOrMorePath ( [ sh:inversePath ag:childUnit ] ag:parentUnit ) ] ; sh:minCount 1 .
ex:Units-levelOrSector sh:path [ sh:alternativePath ( ag:level ag:sector ) ] ; sh:minCount 1 .

ex:Funds a sh:NodeShape ; sh:targetClass ag:Funding ; sh:property ex:Funds-currency, ex:Funds-amount, ex:Funds-note .
ex:Funds-currency sh:path ag:currency ; sh:hasValue "USD" ; sh:pattern "^usd$" ; sh:flags "i" .
ex:Funds-amount sh:path ag:amount ; sh:minExclusive 0 ; sh:maxInclusive 1000000 ; sh:datatype xsd:integer ;
    sh:lessThan ag:ceiling .
ex:Funds-note sh:path ag:note ; sh:equals rdfs:comment ; sh:datatype xsd:string ; sh:maxExclusive "m" ;
    sh:minInclusive "b" .

ex:Logic a sh:NodeShape ; sh:targetClass ag:Relation ;
    sh:or ( [ sh:path ag:startDate ; sh:minCount 1 ] [ sh:path ag:ongoing ; sh:hasValue true ] ) ;
    sh:not [ sh:path ag:confidence ; sh:hasValue ag:LowConfidence ] ;
    sh:xone ( [ sh:path ag:note ; sh:minCount 1 ] [ sh:path rdfs:comment ; sh:minCount 1 ] ) ;
    sh:property ex:Logic-sources .
ex:Logic-sources sh:path prov:wasDerivedFrom ;
    sh:node [ sh:property [ sh:path dcterms:title ; sh:maxCount 1 ; sh:datatype xsd:string ] ] ;
    sh:and ( [ sh:nodeKind sh:IRI ] [ sh:class ag:Source ] [ sh:path ag:nothing ; sh:minCount 1 ; sh:deactivated true ] ) .

ex:Closed a sh:NodeShape ; sh:targetNode fic:state-veldoria ; sh:closed true ;
    sh:ignoredProperties ( rdf:type ) ; sh:property ex:Closed-label .
ex:Closed-label sh:path rdfs:label ; sh:maxCount 1 .

ex:Counting a sh:NodeShape ; sh:targetClass ag:Incident ; sh:property ex:Counting-fatalities .
ex:Counting-fatalities sh:path ag:fatalities ; sh:datatype xsd:integer ; sh:severity sh:Info ;
    sh:sparql [ sh:message "Fatalities {?value} look too high" ; sh:prefixes ex:prefixes ;
        sh:select "SELECT $this ?value WHERE { $this $PATH ?value . FILTER(isNumeric(?value) && ?value > 100) }" ] .
ex:prefixes sh:declare [ sh:prefix "ag" ; sh:namespace "https://w3id.org/actorgraph/ontology#"^^xsd:anyURI ] .

ex:Off a sh:NodeShape ; sh:targetClass ag:Actor ; sh:deactivated true ; sh:property [ sh:path ag:x ; sh:minCount 1 ] .
ex:Partly a sh:NodeShape ; sh:targetClass ag:Actor ;
    sh:property [ sh:path ag:x ; sh:minCount 1 ; sh:deactivated true ] .
"""

FEATURE_DATA = f"""
fic:unit-brigade rdfs:label "Brigade"@en, "Brigade"@fr, "The Fictional Brigade of the North"@fr, "Brigada"@es ;
    ag:level ag:LocalLevel .
fic:unit-battalion rdfs:label "Bn"@en, "Battalion"@en ; ag:sector ag:SecuritySector .
fic:unit-company a ag:MilitaryUnit ; rdfs:label "Company" ; rdfs:seeAlso fic:unit-brigade .
fic:person-colonel rdfs:label "Colonel"@en .
fic:s1 a ag:Subordination ; ag:childUnit fic:unit-battalion ; ag:parentUnit fic:unit-brigade ; {SOURCED} ;
    ag:startDate "2010-01-01"^^xsd:date ; ag:note "n" .
fic:s2 a ag:Subordination ; ag:childUnit fic:unit-battalion ; ag:parentUnit fic:militia-hunters ;
    prov:wasDerivedFrom fic:source-report, fic:person-colonel, _:anonymous ; ag:confidence ag:LowConfidence ;
    ag:note "n" ; rdfs:comment "c" .
_:anonymous a ag:Source .
fic:s3 a ag:Subordination ; ag:childUnit fic:unit-company ; ag:parentUnit fic:unit-battalion ; {SOURCED} ;
    ag:ongoing true ; rdfs:comment "c" .
fic:source-report dcterms:title "Second title" .
fic:state-veldoria ag:note "closed shapes forbid this" ; rdfs:label "Veldoria Republic" .
fic:f1 a ag:Funding ; ag:currency "usd" ; ag:amount 0 ; ag:note "alpha" ; rdfs:comment "alpha" ; ag:ceiling 10 .
fic:f2 a ag:Funding ; ag:currency "EUR" ; ag:amount 2000000 ; ag:note "zeta" ; ag:ceiling 10 ; {SOURCED} ;
    ag:startDate "2011-01-01"^^xsd:date .
fic:f3 a ag:Funding ; ag:currency "USD", [] ; ag:amount "5" ; ag:note 42 ; rdfs:comment "gamma" ; {SOURCED} ;
    ag:startDate "2011-01-01"^^xsd:date .
fic:incident-market ag:fatalities 250 .
fic:incident-other a ag:Incident ; ag:fatalities "twelve" .
fic:f4 a ag:Funding ; ag:currency "USD" ; rdfs:comment "only a comment" .
fic:f5 a ag:Funding ; ag:currency "USD" ; ag:note "m" ; rdfs:comment "m" ; ag:amount 10 ; ag:ceiling 10 .
"""


def pyshacl_keys(store: EmbeddedStore, shapes_path: Path, validator: ShapeValidator) -> set[tuple[str, str | None, str]]:
    """(focus, path, constraint) as pyshacl reports them on the data graph plus the ontology."""
    data = rdflib.Graph()
    data.parse(data=store.raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=DATA).decode(), format="nt")
    ontology = rdflib.Graph()
    for path in MODEL_FILES:
        ontology.parse(path, format="turtle")
    shapes = rdflib.Graph().parse(shapes_path, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    paths = {check.shape: check.path for check in validator.checks}
    found = set()
    # Top-level results only: pyshacl also records the nested results of sh:node as sh:detail.
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        result_path = report.value(result, SH.resultPath)
        source = report.value(result, SH.sourceShape)
        if isinstance(result_path, rdflib.URIRef):
            path = validator.compact(str(result_path))
        elif result_path is not None:
            path = paths[str(source)]
        else:
            path = None
        component = str(report.value(result, SH.sourceConstraintComponent)).removeprefix(str(SH))
        found.add((str(focus) if isinstance(focus, rdflib.URIRef) else "_:", path, component))
    return found


def as_components(violations: Iterable[Violation]) -> set[tuple[str, str | None, str]]:
    """Our keys in pyshacl's terms: sh:minCount -> MinCountConstraintComponent; blank nodes as _:."""
    found = set()
    for v in violations:
        name = v.constraint.removeprefix("sh:")
        component = "SPARQL" if name == "sparql" else name[0].upper() + name[1:]
        component += "ConstraintComponent"
        found.add(("_:" if v.focus_node.startswith("_:") else v.focus_node, v.path, component))
    return found


def test_feature_shapes_match_pyshacl(tmp_path: Path) -> None:
    shapes_path = write_shapes(tmp_path, FEATURE_SHAPES)
    validator = ShapeValidator(shapes_path)
    store = make_store(VALID_RELATIONS, FEATURE_DATA)
    ours = validator.validate(store, [DATA], [ONTOLOGY], limit=10_000)
    # Every active shape of the file fires at least once, so the comparison covers every feature.
    fired = {v.shape.removeprefix(FICTIONAL + "shape/") for v in ours}
    assert fired >= {
        "Named-labels", "Parents", "Units-subordinated", "Units-parents", "Units-ancestors",
        "Units-selfOrAncestors", "Units-level", "Units-anyAncestor", "Units-levelOrSector",
        "Funds-currency", "Funds-amount", "Funds-note",
        "Logic", "Logic-sources", "Closed", "Closed-label", "Counting-fatalities",
    }  # fmt: skip
    assert not any("Off" in v.shape or "Partly" in v.shape for v in ours)
    assert {v.constraint for v in ours} >= {
        "sh:minCount", "sh:maxCount", "sh:uniqueLang", "sh:languageIn", "sh:minLength", "sh:maxLength",
        "sh:nodeKind", "sh:class", "sh:disjoint", "sh:hasValue", "sh:pattern", "sh:minExclusive",
        "sh:maxInclusive", "sh:datatype", "sh:lessThan", "sh:equals", "sh:maxExclusive", "sh:minInclusive",
        "sh:or", "sh:not", "sh:xone", "sh:node", "sh:and", "sh:closed", "sh:sparql",
    }  # fmt: skip
    info = [v for v in ours if v.constraint == "sh:sparql"]
    assert {v.focus_node for v in info} == {fic("incident-market")}
    assert info[0].message == 'Fatalities "250"^^xsd:integer look too high'
    # Severity belongs to the shape that holds the constraint, here the property shape.
    assert {v.severity for v in ours if v.shape.endswith("Counting-fatalities")} == {"sh:Info"}
    assert {v.severity for v in ours if not v.shape.endswith("Counting-fatalities")} == {"sh:Violation"}
    assert as_components(ours) == pyshacl_keys(store, shapes_path, validator)


BROKEN = f"""
fic:b1 a ag:Command ; ag:commander fic:unit-brigade ; ag:confidence ag:Certain ; ag:startDate "2013-13-45"^^xsd:date .
fic:b2 a ag:Posting ; org:member fic:militia-hunters, fic:person-colonel ; org:organization fic:unit-brigade ;
    {SOURCED} ; ag:startDate "2016-01-01"^^xsd:date ; ag:endDate "2015-01-01"^^xsd:date .
fic:b3 a ag:Perpetration ; ag:perpetrator fic:incident-market ; ag:incident fic:unit-battalion ; {SOURCED} .
fic:b4 a ag:Integration ; ag:integratedOrganization fic:militia-hunters ; ag:absorbingOrganization fic:militia-hunters ;
    ag:integrationScope ag:Everything ; {SOURCED} ; ag:viaProgram fic:incident-market .
fic:b5 a ag:Succession ; ag:predecessor fic:unit-brigade ; {SOURCED} ; ag:successionKind ag:Renaming .
fic:b6 a ag:SanctionsListing ; ag:listedParty fic:person-colonel, fic:unit-brigade ; ag:listingAuthority "UN" ;
    {SOURCED} .
fic:b7 a ag:JudicialOutcome ; ag:judicialOutcome ag:Pardoned ; ag:court fic:person-colonel ; {SOURCED} .
fic:b8 a ag:Rivalry ; ag:firstParty fic:unit-brigade ; ag:rival fic:unit-brigade ; {SOURCED} ;
    ag:conflictPhase ag:Peace .
fic:b9 a ag:EconomicReliance ; ag:reliantActor fic:unit-brigade ; {SOURCED} ; ag:relianceKind ag:Taxation ;
    ag:startPrecision ag:DayPrecision, ag:YearPrecision .
fic:b10 a ag:Funding ; ag:program fic:unit-brigade ; ag:participant fic:program-ddr ; {SOURCED} ;
    ag:amount -5 ; ag:currency "dollars" ; ag:programRole ag:Spectator .
fic:b11 a ag:DevelopmentProgram ; ag:level ag:Galactic .
fic:b12 a ag:Source ; ag:restricted "maybe" .
fic:b13 a ag:State ; rdfs:label "Nowhere" ; ag:countryCode "nowhere" .
fic:b14 a ag:Militia ; rdfs:label fic:b13 ; ag:country fic:unit-brigade .
fic:b15 a ag:Subordination ; ag:childUnit fic:unit-brigade ; ag:parentUnit fic:unit-battalion ; {SOURCED} .
fic:b16 a ag:Alliance ; ag:firstParty fic:unit-brigade ; {SOURCED} ; ag:ongoing "yes" .
fic:b17 a ag:Reform ; ag:concerns fic:source-report ; ag:aboutIncident fic:unit-brigade ; {SOURCED} .
"""


def test_actorgraph_shapes_match_pyshacl(validator: ShapeValidator) -> None:
    store = make_store(VALID_RELATIONS, BROKEN)
    ours = validator.validate(store, [DATA], [ONTOLOGY], limit=10_000)
    assert len(keys(ours)) >= 45  # the fixture breaks many rules at once
    assert {v.focus_node for v in ours} >= {fic(f"b{i}") for i in range(1, 18)}
    assert as_components(ours) == pyshacl_keys(store, SHAPES_FILE, validator)


# --------------------------------------------------------------------------------------------
# Validation in a query worker (graph.ingest.isolated_validation)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("isolation", ["process", "thread"])
def test_a_worker_finds_the_same_violations_as_the_server_thread(validator: ShapeValidator, isolation: str) -> None:
    from graph.ingest.isolated_validation import IsolatedValidator, single_thread_validator
    from graph.store.limits import QueryLimits

    broken = VALID_RELATIONS.replace(f"ag:ally fic:unit-brigade ; {SOURCED}", "ag:ally fic:unit-brigade")
    store = make_store(broken, 'fic:unit-battalion ag:level "local" .')
    direct = validator.validate(store, [DATA], [ONTOLOGY])
    isolated = IsolatedValidator(single_thread_validator(), QueryLimits(isolation=isolation)).validate(store, [DATA], [ONTOLOGY])  # type: ignore[arg-type]
    assert len(direct) >= 2
    assert isolated == direct


def test_a_worker_that_runs_out_of_time_reports_a_timeout() -> None:
    from graph.ingest.isolated_validation import IsolatedValidator
    from graph.store.limits import QueryLimits, QueryTimeout

    class Slow:
        def validate(self, *args: object, **kwargs: object) -> list[Violation]:
            import time

            time.sleep(5)
            return []

    with pytest.raises(QueryTimeout):
        IsolatedValidator(Slow(), QueryLimits(timeout=0.5)).validate(make_store(), [DATA], [ONTOLOGY])


def shown(violations: Iterable[Violation]) -> list[str]:
    """Violations in an order that does not depend on the order of a query's rows."""
    return sorted(repr(v) for v in violations)


def recording_queries(store: EmbeddedStore) -> list[str]:
    """The texts of the SELECTs the store runs from now on, in order."""
    ran: list[str] = []
    select = store.select

    def recorded(text: str, *args: object, **kwargs: object) -> object:
        ran.append(text)
        return select(text, *args, **kwargs)  # type: ignore[arg-type]

    store.select = recorded  # type: ignore[method-assign]
    return ran


def test_focused_forms_report_what_the_scanning_forms_report(tmp_path: Path, validator: ShapeValidator) -> None:
    """sh:minCount 1 scans the path's triples (MINUS), with a focused form that looks each focus
    node up; either form, the same report. It scans only on a path without * + ?: on such a path
    its scan would be a closure over every node."""
    features = ShapeValidator(write_shapes(tmp_path, FEATURE_SHAPES))
    by_shape = {(c.shape.removeprefix(FICTIONAL + "shape/"), c.constraint): c for c in features.checks}
    assert "MINUS" in by_shape["Units-levelOrSector", "sh:minCount"].query
    assert by_shape["Units-levelOrSector", "sh:minCount"].focused_query is not None
    assert "MINUS" not in by_shape["Units-anyAncestor", "sh:minCount"].query
    assert by_shape["Units-anyAncestor", "sh:minCount"].focused_query is None
    assert by_shape["Named-labels", "sh:minCount"].focused_query is None  # sh:minCount 2 counts values
    assert {c.constraint for c in validator.checks if c.focused_query is not None} == {"sh:minCount"}
    for checker, store in ((features, make_store(VALID_RELATIONS, FEATURE_DATA)), (validator, make_store(VALID_RELATIONS, BROKEN))):
        ran = recording_queries(store)
        scanning = checker.validate(store, [DATA], [ONTOLOGY], limit=10_000)
        scans = sum("MINUS { ?this" in text for text in ran)
        ran.clear()
        focused = checker.validate(store, [DATA], [ONTOLOGY], limit=10_000, focused=True)
        assert scans > 0 and not any("MINUS { ?this" in text for text in ran)  # each form really ran
        assert "sh:minCount" in {v.constraint for v in scanning}
        assert shown(focused) == shown(scanning)
