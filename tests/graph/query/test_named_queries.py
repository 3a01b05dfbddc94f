"""The query library (queries/library/*.rq) run through graph.query.named_queries.

Every query runs on the demo store, with and without its optional parameters; the answers are
checked against the fictional scenario's storyline (graph/data/fictional/scenario.ttl); parameters
are validated by type; and hostile values in every parameter of every query are only ever values.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest

from graph.errors import WrongOnThisEngine
from graph.ingest import derivation, loader, setup
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource
from graph.query import named_queries, sparql
from graph.query.named_queries import Page, ParameterError, UnknownQuery
from graph.query.sparql import Dataset
from graph.store import EmbeddedStore, open_store
from ontology.namespaces import FICTIONAL
from queries import catalog
from queries.catalog import PARAM_TYPES, NamedQuery, QueryHeaderError, parse_header
from tests.conftest import FIXTURES

QUERIES = named_queries.list_queries()
NAMES = [query.short_name for query in QUERIES]

# A valid value for every parameter name the library uses, for runs that give them all.
VALID = {
    "actor": "fictional/unit/bn-72",
    "unit": "fictional/unit/bn-72",
    "person": "fictional/person/oren-tallavar",
    "program": "fictional/program/vsspp",
    "country": "fictional/state/veldoria",
    "subject": "fictional/unit/bn-72",
    "other": "fictional/incident/karst-hollow-massacre",
    "at": "2018-04-14",
    "levels": "3",
    "role": "target",
    "status": "established",
    "level": "local",
    "sector": "security",
    "topic": "SsrDdr",
}

INJECTIONS = [
    '"> } ; DROP ALL ; #',
    "<http://x> . ?s ?p ?o",
    '2018-01-01"^^<x> } UNION { ?s ?p ?o',
    "' OR 1=1 --",
    "fictional/unit/bn-72> . ?s ?p ?o . <x",
    "http://x> } ; CLEAR ALL ; <http://y",
    "1 } UNION { ?s ?p ?o }",
    "2018-04-14\n} DELETE WHERE { ?s ?p ?o",
]


def f(kind_slug: str) -> ox.NamedNode:
    return ox.NamedNode(FICTIONAL + kind_slug)


@pytest.fixture(scope="module")
def dataset(demo_store: EmbeddedStore) -> Dataset:
    return sparql.dataset_for(demo_store)


def run(store: EmbeddedStore, dataset: Dataset, name: str, **params: str) -> Page:
    return named_queries.run(store, dataset, name, params)


def column(page: Page, variable: str) -> list[str | None]:
    return [None if record[variable] is None else record[variable].value for record in page.records()]  # type: ignore[union-attr]


def fingerprint(store: EmbeddedStore) -> str:
    """A digest of every quad in the store, to show that nothing was written."""
    lines = sorted(str(quad) for quad in store.quads())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


# --- the library itself ---------------------------------------------------------------------------


def test_the_library_has_at_least_fifteen_select_queries_with_headers() -> None:
    assert len(QUERIES) >= 15
    for query in QUERIES:
        assert query.title and query.description, query.name
        assert query.form == "SELECT", query.name
        assert query.example, f"{query.name} has no '# example:' line"
        for param in query.params:
            assert param.type in PARAM_TYPES
            assert param.name not in named_queries.RESERVED, f"{query.name}: {param.name} clashes with paging"
        # The example names only declared parameters and gives every required one.
        example = query.example_params()
        assert set(example) <= {p.name for p in query.params}, query.name
        assert {p.name for p in query.params if not p.optional} <= set(example), query.name


def test_the_questions_of_the_issue_each_have_a_query() -> None:
    needed = {
        "actor_links", "chain_of_command", "unit_commanders", "actor_programs", "program_partners",
        "militia_integrations", "security_units_illicit_economies", "alliances_rivalries",
        "actors_by_level_sector", "actor_incidents", "relation_sources",
    }
    assert needed <= set(NAMES)


def test_the_header_parser_rejects_bad_param_lines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.rq"
    for header in ("# param: actor uri x", "# param: 1actor iri x", "# param: a-b iri x", "# param: actor"):
        with pytest.raises(QueryHeaderError):
            parse_header("bad", path, f"# title: t\n{header}\nSELECT * WHERE {{}}")
    with pytest.raises(QueryHeaderError, match="twice"):
        parse_header("bad", path, "# title: t\n# param: a iri x\n# param: a date y\nSELECT * WHERE {}")
    parsed = parse_header("ok", path, '# title: t\n# param: s string x (optional)\n# example: s="civil society"\nSELECT ?s WHERE {}')
    assert parsed.params[0].optional and parsed.example_params() == {"s": "civil society"}


def test_a_query_known_wrong_on_the_store_engine_is_refused_with_its_reason(demo_store: EmbeddedStore, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "q.rq"
    with pytest.raises(QueryHeaderError, match="wrong-on line needs"):
        parse_header("bad", path, "# title: t\n# wrong-on: virtuoso\nSELECT * WHERE {}")
    marked = parse_header("q", path, "# title: t\n# wrong-on: embedded loses rows here\n# wrong-on: virtuoso compiles nothing\nSELECT * WHERE {}")
    assert marked.wrong_on_engine("virtuoso") == "compiles nothing" and marked.wrong_on_engine("oxigraph") is None
    with pytest.raises(WrongOnThisEngine, match=r"known to give wrong answers on this store's engine \(embedded\): loses rows here"):
        named_queries.refuse_if_wrong_on(demo_store, marked)
    named_queries.refuse_if_wrong_on(demo_store, parse_header("q", path, "# title: t\n# wrong-on: virtuoso x\nSELECT * WHERE {}"))
    # The library names only engines a store URL can name, with a reason each.
    for query in catalog.list_queries():
        assert all(engine in {"virtuoso", "oxigraph"} and reason for engine, reason in query.wrong_on), query.name


@pytest.mark.parametrize("name", NAMES)
def test_every_query_runs_on_the_demo_data_with_its_example(demo_store: EmbeddedStore, dataset: Dataset, name: str) -> None:
    query = named_queries.get(name)
    page = named_queries.run(demo_store, dataset, name, query.example_params())
    assert page.rows, f"the example of {name} finds nothing on the demo data"
    # Each declared parameter is projected, as substitution requires, and holds what was bound.
    for param_name, term in page.bound.items():
        assert param_name in page.variables
        assert all(record[param_name] == term for record in page.records())


@pytest.mark.parametrize("name", NAMES)
def test_every_query_runs_with_only_its_required_and_with_all_parameters(
    demo_store: EmbeddedStore, dataset: Dataset, name: str
) -> None:
    query = named_queries.get(name)
    required = {p.name: query.example_params().get(p.name, VALID[p.name]) for p in query.params if not p.optional}
    everything = {**{p.name: VALID[p.name] for p in query.params}, **query.example_params()}
    without = named_queries.run(demo_store, dataset, name, required)
    with_all = named_queries.run(demo_store, dataset, name, everything)
    # Optional parameters only ever narrow the answer.
    assert len(with_all.rows) <= len(without.rows)


# --- hand-checked answers from the fictional storyline ---------------------------------------------


def test_chain_of_command_above_bn_72_before_and_after_the_brigade_moved(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    def above(at: str) -> list[tuple[str, str | None]]:
        page = run(demo_store, dataset, "chain_of_command", unit="fictional/unit/bn-72", at=at)
        return [(r["depth"].value, r["relative"].value) for r in page.records() if r["direction"].value == "above"]  # type: ignore[union-attr]

    # At Karst Hollow the 7th Brigade was still under the 1st Division.
    assert above("2018-04-14") == [
        ("4", f("org/ministry-of-defence").value),
        ("3", f("unit/vaf").value),
        ("2", f("unit/div-1").value),
        ("1", f("unit/bde-7").value),
    ]
    # On 1 March 2019 it moved to the 2nd Division.
    assert above("2019-06-01") == [
        ("4", f("org/ministry-of-defence").value),
        ("3", f("unit/vaf").value),
        ("2", f("unit/div-2").value),
        ("1", f("unit/bde-7").value),
    ]


def test_chain_of_command_below_and_without_a_date(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    page = run(demo_store, dataset, "chain_of_command", unit="fictional/unit/bn-72", at="2018-04-14")
    rows = [(r["direction"].value, r["relative"].value) for r in page.records()]  # type: ignore[union-attr]
    assert ("self", f("unit/bn-72").value) in rows
    assert ("below", f("unit/coy-alpha-72").value) in rows
    # Alpha Company was disbanded at the end of 2019.
    later = run(demo_store, dataset, "chain_of_command", unit="fictional/unit/bn-72", at="2020-06-01")
    assert f("unit/coy-alpha-72").value not in column(later, "relative")
    # Without a date, both divisions the brigade was ever under appear at depth 2.
    ever = run(demo_store, dataset, "chain_of_command", unit="fictional/unit/bn-72")
    depth_two = {r["relative"].value for r in ever.records() if r["depth"].value == "2"}  # type: ignore[union-attr]
    assert depth_two == {f("unit/div-1").value, f("unit/div-2").value}
    # levels cuts the chain.
    short = run(demo_store, dataset, "chain_of_command", unit="fictional/unit/bn-72", at="2018-04-14", levels="1")
    assert sorted(column(short, "relative")) == sorted([f("unit/bde-7").value, f("unit/bn-72").value, f("unit/coy-alpha-72").value])


def test_chain_of_command_below_a_division_follows_the_dates(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    before = column(run(demo_store, dataset, "chain_of_command", unit="fictional/unit/div-2", at="2018-04-14"), "relative")
    after = column(run(demo_store, dataset, "chain_of_command", unit="fictional/unit/div-2", at="2019-06-01"), "relative")
    assert f("unit/bn-72").value not in before
    assert f("unit/bde-7").value in after and f("unit/bn-72").value in after


def test_who_commanded_bn_72_when(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    page = run(demo_store, dataset, "unit_commanders", unit="fictional/unit/bn-72")
    assert [(r["commanderName"].value, r["start"].value) for r in page.records()] == [  # type: ignore[union-attr]
        ("Oren Tállavar", "2016-09-01"),
        ("Mirela Quorrin", "2019-06-01"),
    ]
    assert column(run(demo_store, dataset, "unit_commanders", unit="fictional/unit/bn-72", at="2018-04-14"), "commanderName") == ["Oren Tállavar"]
    assert column(run(demo_store, dataset, "unit_commanders", unit="fictional/unit/bn-72", at="2019-06-01"), "commanderName") == ["Mirela Quorrin"]
    # Vantessi's start is unknown: he is listed first, and counts as in command on any day before his end.
    brigade = run(demo_store, dataset, "unit_commanders", unit="fictional/unit/bde-7")
    assert column(brigade, "commanderName") == ["Aurel Vantessi", "Ilse Marrowind"]
    assert column(run(demo_store, dataset, "unit_commanders", unit="fictional/unit/bde-7", at="2001-01-01"), "commanderName") == ["Aurel Vantessi"]


def test_everything_linked_to_bn_72_on_the_day_of_karst_hollow(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    on_the_day = set(column(run(demo_store, dataset, "actor_links", actor="fictional/unit/bn-72", at="2018-04-14"), "relation"))
    assert on_the_day == {
        f(f"relation/{slug}").value
        for slug in ("cmd-tallavar-bn-72", "reliance-bn-72-gold", "perp-karst-hollow-bn-72", "sub-bn-72-bde-7", "sub-coy-alpha-72-bn-72")
    }
    ever = set(column(run(demo_store, dataset, "actor_links", actor="fictional/unit/bn-72"), "relation"))
    assert on_the_day < ever
    assert {f("relation/cmd-quorrin-bn-72").value, f("relation/vsspp-target-bn-72").value, f("relation/reform-bn-72").value} <= ever
    command = [r for r in run(demo_store, dataset, "actor_links", actor="fictional/unit/bn-72", at="2018-04-14").records()
               if r["relationType"].value == "Command"]  # type: ignore[union-attr]
    assert [(r["role"].value, r["otherName"].value, r["otherRole"].value) for r in command] == [  # type: ignore[union-attr]
        ("commanded unit", "Oren Tállavar", "commander")
    ]


def test_programs_of_an_actor_and_actors_of_a_program(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    bn_72 = run(demo_store, dataset, "actor_programs", actor="fictional/unit/bn-72")
    assert sorted((r["program"].value, r["role"].value) for r in bn_72.records()) == [  # type: ignore[union-attr]
        (f("program/vsspp").value, "reform"),
        (f("program/vsspp").value, "target"),
    ]
    militia = run(demo_store, dataset, "actor_programs", actor="fictional/group/quellmoor-hunters-guard")
    assert {r["role"].value for r in militia.records()} == {"target", "ddr integration"}  # type: ignore[union-attr]
    targets = run(demo_store, dataset, "program_partners", program="fictional/program/vsspp", role="TARGET")
    assert len(targets.rows) == 11 and set(column(targets, "roleName")) == {"target"}
    assert {f("unit/bn-72").value, f("unit/div-2").value, f("unit/ripu").value} <= set(column(targets, "actor"))
    funders = run(demo_store, dataset, "program_partners", program="fictional/program/vsspp", role="funder")
    assert column(funders, "actorName") == ["Nordhaven Agency for Development Cooperation"]
    every_role = run(demo_store, dataset, "program_partners", program="fictional/program/vsspp")
    assert set(column(every_role, "roleName")) == {"beneficiary", "funder", "implementer", "partner", "target", "trainer"}


def test_militias_integrated_through_ddr(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    veldoria = run(demo_store, dataset, "militia_integrations", country="fictional/state/veldoria")
    assert [(r["groupName"].value, r["absorberName"].value, r["scope"].value) for r in veldoria.records()] == [  # type: ignore[union-attr]
        ("Quellmoor Hunters' Guard", "45th Integrated Battalion (Veldoria)", "whole organization"),
        ("Veldorian Liberation Front", "Veldoria National Police", "members"),
    ]
    # In June 2021 only the Hunters' Guard had been integrated.
    assert column(run(demo_store, dataset, "militia_integrations", at="2021-06-01", country="fictional/state/veldoria"), "groupName") == [
        "Quellmoor Hunters' Guard"
    ]
    # Without a country, Sierra Leone's integrations through its DDR program too, but not the
    # Civilian JTF's, which went through no DDR program.
    everywhere = set(column(run(demo_store, dataset, "militia_integrations"), "groupName"))
    assert "Civil Defence Forces" in everywhere and "Civilian Joint Task Force" not in everywhere


def test_security_units_relying_on_illicit_economies(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    at_karst_hollow = run(demo_store, dataset, "security_units_illicit_economies", at="2018-04-14")
    assert sorted(column(at_karst_hollow, "unit")) == sorted([f("unit/bde-7").value, f("unit/bn-72").value])
    # The battalion's reliance ended in 2019, the brigade's in 2020; armed groups are never listed.
    assert column(run(demo_store, dataset, "security_units_illicit_economies", at="2020-06-01"), "unit") == [f("unit/bde-7").value]
    assert f("group/rch").value not in column(run(demo_store, dataset, "security_units_illicit_economies"), "unit")


def test_alliances_and_rivalries_of_the_vlf_over_time(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    ever = run(demo_store, dataset, "alliances_rivalries", actor="fictional/group/vlf")
    assert set(column(ever, "party")) == {f("group/vlf").value}
    assert [(r["kind"].value, r["otherName"].value) for r in ever.records()] == [  # type: ignore[union-attr]
        ("rivalry", "Veldorian Armed Forces"),
        ("alliance", "Kingdom of Orrandel"),
        ("rivalry", "Quellmoor Hunters' Guard"),
        ("rivalry", "Revolutionary Command of the Highlands"),
    ]
    mid_2019 = run(demo_store, dataset, "alliances_rivalries", actor="fictional/group/vlf", at="2019-06-01")
    assert set(column(mid_2019, "otherName")) == {"Veldorian Armed Forces", "Quellmoor Hunters' Guard"}
    # Without an actor, each relation comes once, in the order of the data.
    everyone = run(demo_store, dataset, "alliances_rivalries")
    assert len(set(column(everyone, "relation"))) == len(everyone.rows)


def test_actors_by_level_and_sector_in_a_country(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    local_security = run(demo_store, dataset, "actors_by_level_sector", country="fictional/state/veldoria", level="LOCAL", sector="security")
    names = set(column(local_security, "actor"))
    assert {f("unit/bn-72").value, f("group/rch").value} <= names
    assert f("unit/military-academy").value not in names  # national
    assert f("group/karst-hollow-gold-syndicate").value not in names  # economic sector
    by_concept = run(demo_store, dataset, "actors_by_level_sector", country="fictional/state/veldoria", level="NationalLevel")
    assert set(column(by_concept, "levelName")) == {"national"}
    everything = run(demo_store, dataset, "actors_by_level_sector", country="fictional/state/veldoria")
    assert len(everything.rows) > len(local_security.rows) + len(by_concept.rows)
    assert f("org/meridian-community").value not in column(everything, "actor")  # seated in Orrandel


def test_incidents_of_an_actor_and_its_sub_units_as_the_hierarchy_stood(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    div_1 = run(demo_store, dataset, "actor_incidents", actor="fictional/unit/div-1")
    assert sorted((r["incident"].value, r["perpetrator"].value, r["depth"].value) for r in div_1.records()) == sorted([  # type: ignore[union-attr]
        (f("incident/karst-hollow-massacre").value, f("unit/bn-72").value, "2"),
        (f("incident/karst-hollow-massacre").value, f("unit/coy-alpha-72").value, "3"),
        (f("incident/ilvesse-checkpoint-shootings").value, f("unit/bn-121").value, "2"),
    ])
    # The 7th Brigade joined the 2nd Division after Karst Hollow, and its other units are clean.
    assert run(demo_store, dataset, "actor_incidents", actor="fictional/unit/div-2").rows == ()
    direct = run(demo_store, dataset, "actor_incidents", actor="fictional/unit/bn-72")
    assert sorted(column(direct, "depth")) == ["0", "1"]
    assert column(run(demo_store, dataset, "actor_incidents", actor="fictional/unit/div-1", status="alleged"), "perpetrator") == [f("unit/bn-121").value]
    assert len(run(demo_store, dataset, "actor_incidents", actor="fictional/unit/div-1", levels="2").rows) == 2
    # RIPU moved under the national police after the Pell Varno detentions; the police still get
    # them, through the provincial command RIPU was under at the time.
    vnp = run(demo_store, dataset, "actor_incidents", actor="fictional/unit/vnp")
    assert {r["perpetrator"].value: r["depth"].value for r in vnp.records()}[f("unit/ripu").value] == "3"  # type: ignore[union-attr]


def test_the_sources_behind_a_relation(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    link = run(demo_store, dataset, "relation_sources", subject="fictional/unit/bn-72", other="fictional/incident/karst-hollow-massacre")
    assert set(column(link, "relation")) == {f("relation/perp-karst-hollow-bn-72").value}
    assert sorted(column(link, "source")) == sorted([f("source/scc-judgment-2021").value, f("source/vtc-final-report-2022").value])
    assert set(column(link, "status")) == {"established"}
    node = run(demo_store, dataset, "relation_sources", subject="fictional/relation/cmd-tallavar-bn-72")
    assert column(node, "title") == ["Judgment in Prosecutor v. Oren Tállavar, Case SCD-2020-07 (fictional)"]


def test_positions_and_sanctions(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    career = run(demo_store, dataset, "person_positions", person="fictional/person/oren-tallavar")
    assert [(r["positionType"].value, r["organization"].value) for r in career.records()] == [  # type: ignore[union-attr]
        ("Posting", f("unit/div-1").value),
        ("Command", f("unit/bn-72").value),
    ]
    in_2015 = run(demo_store, dataset, "person_positions", person="fictional/person/oren-tallavar", at="2015-01-01")
    assert column(in_2015, "positionType") == ["Posting"]
    listed = set(column(run(demo_store, dataset, "sanctions_listings", at="2020-01-01"), "listed"))
    assert f("person/aurel-vantessi").value in listed
    assert f("group/rch").value not in listed  # listed in 2021
    assert column(run(demo_store, dataset, "sanctions_listings", actor="fictional/group/rch"), "reference") == ["NH-GHR-2021-014"]


# --- parameters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nope", "../store/move_graph", "library/actors", "store/graph_size", "Actors", ""])
def test_unknown_queries_are_refused_by_name(demo_store: EmbeddedStore, dataset: Dataset, name: str) -> None:
    with pytest.raises(UnknownQuery) as caught:
        named_queries.run(demo_store, dataset, name, {})
    assert repr(name) in str(caught.value)


@pytest.mark.parametrize(
    ("params", "param", "message"),
    [
        ({"unit": "fictional/unit/bn-72", "when": "2018-04-14"}, "when", "unknown parameter"),
        ({"at": "2018-04-14"}, "unit", "is required"),
        ({"unit": ""}, "unit", "is required"),
        ({"unit": "fictional/unit/no-such-unit"}, "unit", "no subject named"),
        ({"unit": "fictional/unit/bn-72", "at": "2018-4-14"}, "at", "YYYY-MM-DD"),
        ({"unit": "fictional/unit/bn-72", "at": "14/04/2018"}, "at", "YYYY-MM-DD"),
        ({"unit": "fictional/unit/bn-72", "at": "20180414"}, "at", "YYYY-MM-DD"),
        ({"unit": "fictional/unit/bn-72", "at": "2018-04-14T00:00:00"}, "at", "YYYY-MM-DD"),
        ({"unit": "fictional/unit/bn-72", "at": "2019-02-29"}, "at", "not a day"),
        ({"unit": "fictional/unit/bn-72", "at": "٢٠١٨-٠٤-١٤"}, "at", "YYYY-MM-DD"),
        ({"unit": "fictional/unit/bn-72", "levels": "two"}, "levels", "whole number"),
        ({"unit": "fictional/unit/bn-72", "levels": "1.5"}, "levels", "whole number"),
        ({"unit": "fictional/unit/bn-72", "levels": True}, "levels", "whole number"),
        ({"unit": 72}, "unit", "expected text"),
    ],
)
def test_bad_parameters_are_refused_with_their_name(
    demo_store: EmbeddedStore, dataset: Dataset, params: dict[str, object], param: str, message: str
) -> None:
    with pytest.raises(ParameterError) as caught:
        named_queries.run(demo_store, dataset, "chain_of_command", params)  # type: ignore[arg-type]
    assert caught.value.param == param
    assert repr(param) in str(caught.value) and message in str(caught.value)


def test_parameters_are_converted_by_type(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    page = named_queries.run(
        demo_store, dataset, "chain_of_command",
        {"unit": "https://w3id.org/actorgraph/fictional/id/unit/bn-72", "at": " 2018-04-14 ", "levels": 2},
    )
    assert page.bound["unit"] == f("unit/bn-72")
    assert page.bound["at"] == ox.Literal("2018-04-14", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert page.bound["levels"] == ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    # An already resolved IRI is accepted from code, and an empty optional value counts as not given.
    same = named_queries.run(demo_store, dataset, "chain_of_command", {"unit": f("unit/bn-72"), "at": "2018-04-14", "levels": ""})
    assert "levels" not in same.bound and len(same.rows) == 6
    with pytest.raises(ParameterError, match="too long"):
        named_queries.run(demo_store, dataset, "program_partners", {"program": "fictional/program/vsspp", "role": "x" * 5000})


def test_pages_cut_the_same_ordered_result(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    whole = named_queries.run(demo_store, dataset, "actors", {})
    assert whole.total == len(whole.rows) and not whole.has_more and len(whole.rows) > 100
    rows, offset = [], 0
    while True:
        page = named_queries.run(demo_store, dataset, "actors", {}, limit=50, offset=offset)
        assert page.total == len(whole.rows)
        rows += page.rows
        if page.next_offset is None:
            break
        assert page.has_more and len(page.rows) == 50
        offset = page.next_offset
    assert tuple(rows) == whole.rows
    past_the_end = named_queries.run(demo_store, dataset, "actors", {}, limit=10, offset=10_000)
    assert past_the_end.rows == () and not past_the_end.has_more and past_the_end.total == len(whole.rows)
    for bad in ({"limit": 0}, {"limit": named_queries.MAX_LIMIT + 1}, {"offset": -1}):
        with pytest.raises(ParameterError) as caught:
            named_queries.run(demo_store, dataset, "actors", {}, **bad)  # type: ignore[arg-type]
        assert caught.value.param in bad


def test_a_page_serializes_as_sparql_json_and_back(demo_store: EmbeddedStore, dataset: Dataset) -> None:
    page = named_queries.run(demo_store, dataset, "unit_commanders", {"unit": "fictional/unit/bn-72"})
    encoded = page.to_sparql_json()
    assert encoded["head"] == {"vars": list(page.variables)}
    first = encoded["results"]["bindings"][0]  # type: ignore[index]
    assert first["unit"] == {"type": "uri", "value": f("unit/bn-72").value}
    assert first["start"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
    assert "at" not in first  # unbound: left out of the row
    assert [tuple(solution[v] for v in page.variables) for solution in page.solutions()] == list(page.rows)


# --- injection ---------------------------------------------------------------------------------------


def _valid_params(query: NamedQuery) -> dict[str, str]:
    return {**{p.name: VALID[p.name] for p in query.params}, **query.example_params()}


@pytest.mark.parametrize("name", NAMES)
def test_hostile_values_in_every_parameter_are_only_values(demo_store: EmbeddedStore, dataset: Dataset, name: str) -> None:
    query = named_queries.get(name)
    before = fingerprint(demo_store)
    checked = 0
    for param in query.params:
        for payload in INJECTIONS:
            params = {**_valid_params(query), param.name: payload}
            if param.type == "string":
                # A text value is compared as text: it matches no role, level, sector or status.
                page = named_queries.run(demo_store, dataset, name, params)
                assert page.rows == (), f"{name}.{param.name}={payload!r} matched rows"
                assert page.bound[param.name] == ox.Literal(payload)
            else:
                with pytest.raises(ParameterError) as caught:
                    named_queries.run(demo_store, dataset, name, params)
                assert caught.value.param == param.name
            checked += 1
    assert checked == len(query.params) * len(INJECTIONS)
    assert fingerprint(demo_store) == before


# --- restricted graphs ----------------------------------------------------------------------------------

SECRET_COMMAND = b"""
@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix f: <https://w3id.org/actorgraph/fictional/id/> .
f:person-informant-commander a ag:Person ; rdfs:label "Hidden Commander (fictional)" ;
    ag:name "Hidden Commander (fictional)" ; prov:wasDerivedFrom f:source-informant .
f:relation-hidden-command a ag:Command ;
    ag:commander f:person-informant-commander ; ag:commandedUnit f:unit-first-brigade ;
    ag:startDate "2011-01-01"^^xsd:date ;
    ag:confidence ag:LowConfidence ; prov:wasDerivedFrom f:source-informant .
f:source-informant a ag:Source ; ag:restricted true ;
    <http://purl.org/dc/terms/title> "Informant report (fictional)" ;
    <http://purl.org/dc/terms/publisher> "A monitoring project (fictional)" .
"""


@pytest.fixture(scope="module")
def restricted_store() -> EmbeddedStore:
    store = open_store(None)
    setup.load_ontology(store)
    loader.load_file(store, FIXTURES / "valid_relation.ttl", graph="sample")
    loader.load_sources(
        store, [RdfSource.from_bytes("informant.ttl", SECRET_COMMAND, format_named("turtle"))], graph="informant", restricted=True
    )
    derivation.reason(store)
    return store


def test_restricted_graphs_follow_the_dataset(restricted_store: EmbeddedStore) -> None:
    readers = sparql.dataset_for(restricted_store, include_restricted=False)
    analysts = sparql.dataset_for(restricted_store, include_restricted=True)
    params = {"unit": "fictional/unit-first-brigade"}
    analyst_rows = named_queries.run(restricted_store, analysts, "unit_commanders", params)
    assert column(analyst_rows, "commanderName") == ["Hidden Commander (fictional)"]
    assert named_queries.run(restricted_store, readers, "unit_commanders", params).rows == ()
    # A subject that only the restricted graph mentions does not even resolve for a reader.
    with pytest.raises(ParameterError, match="no subject named"):
        named_queries.run(restricted_store, readers, "person_positions", {"person": "fictional/person-informant-commander"})
    assert named_queries.run(restricted_store, analysts, "person_positions", {"person": "fictional/person-informant-commander"}).rows
    # The public chain is the same for both.
    chain = {"unit": "fictional/unit-first-brigade", "at": "2012-01-01"}
    assert (named_queries.run(restricted_store, readers, "chain_of_command", chain).rows
            == named_queries.run(restricted_store, analysts, "chain_of_command", chain).rows)


def test_catalog_still_loads_other_folders() -> None:
    # Other code reads lookup, rules and stats queries through the same catalog.
    assert "SELECT" in catalog.text("lookup/subject")
    assert catalog.load("lookup/subject").short_name == "subject"
    assert [q.name for q in catalog.list_queries("library")] == [f"library/{n}" for n in NAMES]


def test_one_header_reader_for_every_rq_file() -> None:
    from queries.catalog import body, header

    text = "# title: T\n# derives : ag:x\n#plain comment\nSELECT * WHERE {}\n# not header\n"
    assert header(text) == [(1, "title", "T"), (2, "derives", "ag:x"), (3, "plain comment", "")]
    assert body(text) == "SELECT * WHERE {}\n# not header"
