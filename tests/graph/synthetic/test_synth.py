"""The synthetic generator: deterministic, parseable, linear in size, in its own namespace and graph,
and shaped like the fictional scenario (sources, confidence, valid dates, every relation kind)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.store import open_store
from graph.synthetic.generator import SynthStats, iter_lines, write_synthetic
from ontology.files import OWL_FILE, SHAPES_FILE, VOCABULARIES_FILE
from ontology.namespaces import AG, DCTERMS, ORG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SYNTHETIC, SYNTHETIC_GRAPH, XSD

PREFIX_HEADER = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
ACTOR_KINDS = ("state", "unit", "group", "org", "person")


def text(actors: int, seed: int = 42, fmt: str = "nq") -> str:
    return "".join(iter_lines(actors, seed, fmt))


def load(data: str, fmt: str = "nq") -> ox.Store:
    store = ox.Store()
    store.load(data.encode(), format=ox.RdfFormat.N_QUADS if fmt == "nq" else ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, SynthStats]:
    """2,000 actors (40 blocks, two countries) written to a file by write_synthetic, then loaded."""
    path = tmp_path_factory.mktemp("synth") / "sample.nq"
    stats = write_synthetic(path, 2000, seed=11)
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store, stats


def select(store: ox.Store, query: str) -> list[tuple[str | None, ...]]:
    result = store.query(PREFIX_HEADER + query, use_default_graph_as_union=True)
    return [tuple(term.value if term is not None else None for term in row) for row in result]


def ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(PREFIX_HEADER + query, use_default_graph_as_union=True))


def count_kind(store: ox.Store, kind: str) -> int:
    rows = select(store, f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c
                              FILTER STRSTARTS(STR(?s), "{SYNTHETIC}{kind}/") }}""")
    return int(rows[0][0])


# -- determinism and formats -------------------------------------------------------------------


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.nq", tmp_path / "b.nq"
    assert write_synthetic(first, 1500, seed=5) == write_synthetic(second, 1500, seed=5)
    assert first.read_bytes() == second.read_bytes()
    assert text(700, 9, "trig") == text(700, 9, "trig")


def test_different_seed_gives_different_output() -> None:
    assert text(500, 1) != text(500, 2)


def test_file_matches_iter_lines(tmp_path: Path) -> None:
    path = tmp_path / "out.trig"
    write_synthetic(path, 300, seed=4)
    assert path.read_text(encoding="utf-8") == text(300, 4, "trig")


def test_format_follows_the_extension(tmp_path: Path) -> None:
    trig = tmp_path / "x.trig"
    write_synthetic(trig, 60)
    assert trig.read_text(encoding="utf-8").startswith(f"<{SYNTHETIC_GRAPH}> {{\n")
    with pytest.raises(ValueError, match=r"\.nq or \.trig"):
        write_synthetic(tmp_path / "x.ttl", 60)
    with pytest.raises(ValueError):
        list(iter_lines(10, 1, "turtle"))


@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_parses_into_the_synthetic_graph_only(fmt: str) -> None:
    lines = list(iter_lines(1000, 3, fmt))
    store = load("".join(lines), fmt)
    graphs = {quad.graph_name for quad in store}
    assert graphs == {ox.NamedNode(SYNTHETIC_GRAPH)}
    triple_lines = len(lines) - (2 if fmt == "trig" else 0)  # the GRAPH wrapper
    assert len(store) == triple_lines  # no duplicate triples either


def test_stats_agree_with_the_output(sample: tuple[ox.Store, SynthStats]) -> None:
    store, stats = sample
    assert stats.actors == 2000 == sum(count_kind(store, kind) for kind in ACTOR_KINDS)
    assert stats.programs == count_kind(store, "program")
    assert stats.incidents == count_kind(store, "incident")
    assert stats.relations == count_kind(store, "relation")
    assert stats.triples == len(store)


@pytest.mark.parametrize("actors", [0, 1, 7, 49, 51, 133])
def test_any_size_is_exact_and_has_no_dangling_links(actors: int) -> None:
    """A truncated last block skips relations whose ends were not written, instead of dangling."""
    store = load(text(actors, 8))
    assert sum(count_kind(store, kind) for kind in ACTOR_KINDS) == actors
    subjects = {quad.subject for quad in store}
    dangling = [q for q in store if isinstance(q.object, ox.NamedNode)
                and q.object.value.startswith(SYNTHETIC) and q.object not in subjects]
    assert dangling == []


def test_progress_reports_actors_written(tmp_path: Path) -> None:
    calls: list[int] = []
    stats = write_synthetic(tmp_path / "p.nq", 12_000, progress=calls.append)
    assert calls == sorted(calls) and calls[-1] == stats.actors == 12_000
    assert len(calls) >= 3  # every few thousand actors, not only at the end


# -- scale -----------------------------------------------------------------------------------


def stats_of(actors: int) -> SynthStats:
    """Stats without a file: count lines (each is one triple) and typed subjects by namespace."""
    counts = {"relation": set(), "program": set(), "incident": set()}
    triples = 0
    type_pred = f"<{RDF}type>"
    for line in iter_lines(actors, 42, "nq"):
        triples += 1
        subject, predicate = line.split(" ", 2)[:2]
        if predicate == type_pred:
            kind = subject[len(SYNTHETIC) + 1:].split("/", 1)[0]
            if kind in counts:
                counts[kind].add(subject)
    return SynthStats(actors, len(counts["program"]), len(counts["relation"]), len(counts["incident"]), triples)


def test_counts_scale_linearly() -> None:
    small, large = stats_of(1000), stats_of(10_000)
    for field in ("triples", "relations", "programs", "incidents"):
        ratio = getattr(large, field) / getattr(small, field)
        assert 9.0 <= ratio <= 11.0, (field, ratio)
    # About one program per 50 actors, plus two national programs per country of 1,000 actors.
    assert 10_000 / 50 <= large.programs <= 10_000 / 50 * 1.2
    # Triples per actor, including relation nodes (the fictional scenario has ~27).
    assert 12 <= large.triples / large.actors <= 18


# -- namespace, sources, confidence, dates ----------------------------------------------------

KNOWN_PREDICATE_NAMESPACES = (AG, RDF, RDFS, ORG, PROV, DCTERMS, SCHEMA)


def test_every_iri_is_synthetic_or_vocabulary(sample: tuple[ox.Store, SynthStats]) -> None:
    store, _ = sample
    for quad in store:
        assert isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(SYNTHETIC), quad
        assert quad.predicate.value.startswith(KNOWN_PREDICATE_NAMESPACES), quad
        if isinstance(quad.object, ox.NamedNode):
            assert quad.object.value.startswith((SYNTHETIC, AG)), quad
        assert not isinstance(quad.object, ox.BlankNode)


def test_every_relation_has_one_confidence_and_a_source(sample: tuple[ox.Store, SynthStats]) -> None:
    store, stats = sample
    rows = select(store, f"""
        SELECT ?r (COUNT(DISTINCT ?c) AS ?confidences) (COUNT(DISTINCT ?src) AS ?sources) WHERE {{
            ?r a ?cls FILTER STRSTARTS(STR(?r), "{SYNTHETIC}relation/")
            OPTIONAL {{ ?r ag:confidence ?c FILTER(?c IN (ag:LowConfidence, ag:MediumConfidence, ag:HighConfidence)) }}
            OPTIONAL {{ ?r prov:wasDerivedFrom ?src . ?src a ag:Source ; dcterms:title ?t ; dcterms:publisher ?pub }}
        }} GROUP BY ?r""")
    assert len(rows) == stats.relations
    bad = [row for row in rows if int(row[1]) != 1 or int(row[2]) < 1]
    assert bad == []
    assert not ask(store, "ASK { ?r ag:confidence ?a, ?b FILTER(?a != ?b) }")


def test_actors_programs_incidents_have_labels_and_sources(sample: tuple[ox.Store, SynthStats]) -> None:
    store, _ = sample
    missing = select(store, f"""
        SELECT ?x WHERE {{ ?x a ?c FILTER(!STRSTARTS(STR(?x), "{SYNTHETIC}relation/") && !STRSTARTS(STR(?x), "{SYNTHETIC}source/"))
                          FILTER NOT EXISTS {{ ?x rdfs:label ?l ; ag:name ?n ; prov:wasDerivedFrom ?s . ?s a ag:Source }} }}""")
    assert missing == []
    assert not ask(store, """ASK { ?s a ag:Source ; schema:url ?u FILTER(!STRSTARTS(?u, "https://example.org/")) }""")
    assert not ask(store, "ASK { ?s a ag:Source ; dcterms:issued ?y FILTER(DATATYPE(?y) != xsd:gYear) }")


def test_dates_are_valid_and_ordered(sample: tuple[ox.Store, SynthStats]) -> None:
    store, _ = sample
    values = select(store, """
        SELECT ?d WHERE { ?x ?p ?d FILTER(?p IN (ag:startDate, ag:endDate)) }""")
    assert len(values) > 1000
    for (value,) in values:
        date.fromisoformat(value)  # a real calendar date, not only the right shape
    assert not ask(store, "ASK { ?x ?p ?d FILTER(?p IN (ag:startDate, ag:endDate) && DATATYPE(?d) != xsd:date) }")
    assert not ask(store, "ASK { ?x ag:startDate ?s ; ag:endDate ?e FILTER(?e < ?s) }")
    assert not ask(store, "ASK { ?x ag:ongoing true ; ag:endDate ?e }")


def test_partial_dates_are_normalized(sample: tuple[ox.Store, SynthStats]) -> None:
    store, _ = sample
    rows = select(store, """
        SELECT ?d ?p ?which WHERE {
            { ?x ag:startDate ?d ; ag:startPrecision ?p BIND("start" AS ?which) }
            UNION { ?x ag:endDate ?d ; ag:endPrecision ?p BIND("end" AS ?which) } }""")
    assert {row[1] for row in rows} == {AG + "MonthPrecision", AG + "YearPrecision"}
    for value, precision, which in rows:
        d = date.fromisoformat(value)
        month_only = precision == AG + "MonthPrecision"
        if which == "start":
            assert d.day == 1 and (month_only or d.month == 1), value
        else:
            following = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            assert (following - d).days == 1 and (month_only or d.month == 12), value


# -- the same shapes as the fictional scenario -------------------------------------------------

RELATION_CLASSES = ("Subordination", "Command", "Posting", "Membership", "Alliance", "Rivalry", "Implementation",
                    "Funding", "Partnership", "Targeting", "EconomicReliance", "Integration", "Succession",
                    "SanctionsListing", "Perpetration", "JudicialOutcome", "Disbandment", "Reform")


def test_every_relation_kind_appears(sample: tuple[ox.Store, SynthStats]) -> None:
    store, _ = sample
    present = {row[0].removeprefix(AG) for row in select(store, "SELECT DISTINCT ?c WHERE { ?r a ?c }")}
    assert set(RELATION_CLASSES) <= present
    statuses = {row[0] for row in select(store, "SELECT DISTINCT ?s WHERE { ?p a ag:Perpetration ; ag:status ?s }")}
    assert statuses == {AG + "Alleged", AG + "Established"}
    assert ask(store, "ASK { ?i a ag:Integration ; ag:viaProgram ?p . ?p a ag:DDRProgram }")
    assert ask(store, "ASK { ?s a ag:Succession ; ag:successionKind ag:Splinter }")
    assert ask(store, "ASK { ?c a ag:Command ; ag:endDate ?e FILTER NOT EXISTS { ?c ag:startDate ?s } }")


def check_reparenting(store: ox.Store) -> int:
    """A unit's old parent ends strictly before its new parent starts; returns how many moves."""
    moves = select(store, """
        SELECT ?unit ?old_end ?new_start WHERE {
            ?a ag:childUnit ?unit ; ag:parentUnit ?old ; ag:endDate ?old_end .
            ?b ag:childUnit ?unit ; ag:parentUnit ?new ; ag:startDate ?new_start FILTER(?old != ?new) }""")
    for _, old_end, new_start in moves:
        assert date.fromisoformat(old_end) < date.fromisoformat(new_start)
    return len(moves)


def check_command_handovers(store: ox.Store) -> int:
    """Commands of one unit do not overlap: the earlier one ends before the later one starts."""
    pairs = select(store, """
        SELECT ?earlier_end ?later_start WHERE {
            ?a a ag:Command ; ag:commandedUnit ?unit ; ag:endDate ?earlier_end .
            ?b a ag:Command ; ag:commandedUnit ?unit ; ag:startDate ?later_start FILTER(?a != ?b)
            OPTIONAL { ?a ag:startDate ?earlier_start }
            FILTER(!BOUND(?earlier_start) || ?earlier_start < ?later_start) }""")
    for earlier_end, later_start in pairs:
        assert date.fromisoformat(earlier_end) < date.fromisoformat(later_start)
    return len(pairs)


def check_commanders_around_incidents(store: ox.Store) -> int:
    """Per block, the battalion's perpetration is flanked by a commander during it and one after it."""
    rows = select(store, """
        SELECT ?who ?start ?end ?i_start ?i_end WHERE {
            ?p a ag:Perpetration ; ag:perpetrator ?unit ; ag:incident ?i .
            ?i ag:startDate ?i_start ; ag:endDate ?i_end .
            ?c a ag:Command ; ag:commandedUnit ?unit ; ag:commander ?who ; ag:startDate ?start .
            OPTIONAL { ?c ag:endDate ?end }
            FILTER(CONTAINS(STR(?who), "-cmd-bn-")) }""")
    for who, start, end, i_start, i_end in rows:
        if who.endswith("-cmd-bn-after"):
            assert date.fromisoformat(start) > date.fromisoformat(i_end), who
        else:
            assert who.endswith("-cmd-bn-during")
            assert date.fromisoformat(start) <= date.fromisoformat(i_start) <= date.fromisoformat(end), who
    return len(rows)


def test_time_invariants_hold_in_the_sample(sample: tuple[ox.Store, SynthStats]) -> None:
    store, _ = sample
    assert check_reparenting(store) >= 10  # brigades move between divisions at a date
    assert check_command_handovers(store) >= 40
    assert check_commanders_around_incidents(store) >= 40


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 99])
def test_time_invariants_hold_for_other_seeds(seed: int) -> None:
    store = load(text(600, seed))
    assert check_reparenting(store) > 0
    assert check_command_handovers(store) > 0
    assert check_commanders_around_incidents(store) > 0


def test_names_have_diacritics_and_abbreviations(sample: tuple[ox.Store, SynthStats]) -> None:
    store, _ = sample
    aliases = [row[0] for row in select(store, "SELECT ?a WHERE { ?x ag:alias ?a }")]
    assert sum(1 for a in aliases if not a.isascii()) >= 100
    assert sum(1 for a in aliases if re.fullmatch(r"[A-Z]{2,6}", a)) >= 50
    assert sum(1 for a in aliases if re.fullmatch(r"\d+ (Bde|Bn|Div|Mtn Bde)", a)) >= 50
    assert any(a.startswith("Brigada ") and not a.isascii() for a in aliases)


def test_country_codes_are_reserved_codes(sample: tuple[ox.Store, SynthStats]) -> None:
    store, _ = sample
    codes = [row[0] for row in select(store, "SELECT ?c WHERE { ?s a ag:State ; ag:countryCode ?c }")]
    assert codes and all(re.fullmatch(r"AA|Q[M-Z]|X[A-Z]|ZZ", c) for c in codes)
    assert not {"XN", "XO", "XV"} & set(codes)  # taken by the fictional scenario


def test_conforms_to_the_shapes() -> None:
    pyshacl = pytest.importorskip("pyshacl")
    rdflib = pytest.importorskip("rdflib")
    if not SHAPES_FILE.exists():
        pytest.skip("ontology/shapes.ttl is not there yet")
    data = rdflib.Graph()
    for line in iter_lines(1000, 21, "nq"):  # one graph's triples: drop the graph name
        data.parse(data=line.rsplit(" <", 1)[0] + " .\n", format="nt")
    ontology = rdflib.Graph().parse(OWL_FILE).parse(VOCABULARIES_FILE)
    conforms, _, report = pyshacl.validate(
        data, shacl_graph=rdflib.Graph().parse(SHAPES_FILE), ont_graph=ontology, advanced=True, allow_warnings=True
    )
    assert conforms, report


def test_passes_the_project_validator() -> None:
    """The compiled-SPARQL validator the loader uses, on a 10k-actor sample (~160k triples)."""
    validation = pytest.importorskip("graph.ingest.validation")
    store = load(text(10_000, 5))
    ontology = ox.NamedNode("urn:test:ontology")
    for path in (OWL_FILE, VOCABULARIES_FILE):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ontology)
    checked = open_store(None)
    checked.bulk_add(store)
    violations = validation.default_validator().validate(checked, [ox.NamedNode(SYNTHETIC_GRAPH)], [ontology])
    assert [str(v) for v in violations] == []


def test_literals_are_typed_as_the_shapes_expect(sample: tuple[ox.Store, SynthStats]) -> None:
    store, _ = sample
    datatypes = {
        row[0]: row[1]
        for row in select(store, """
            SELECT ?p (SAMPLE(DATATYPE(?o)) AS ?dt) WHERE {
                ?s ?p ?o FILTER(?p IN (ag:fatalities, ag:amount, ag:ongoing)) } GROUP BY ?p""")
    }
    assert datatypes == {AG + "fatalities": XSD + "integer", AG + "amount": XSD + "decimal",
                         AG + "ongoing": XSD + "boolean"}
