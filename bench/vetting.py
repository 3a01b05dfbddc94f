"""Vetting latency on an on-disk store holding the synthetic graph at ~1M triples.

Prints p50/p95 of: vetting one subject, vetting a 20-partner program, and screening 1,000 names.
It measures and prints; it does not pass or fail. Goals: one subject <= 20 ms p50, a 20-partner
program <= 150 ms p50, 1,000 names <= 10 s.

    .venv/bin/python bench/vetting.py --workdir /tmp/actorgraph-bench-vetting

The first run generates the data (graph.synthetic.generator), loads the ontology and the data (trusted) and
materializes the derived links into WORKDIR/store-N; later runs with the same --workdir reuse it.
Subjects are a deterministic sample of every kind of synthetic actor (units at every level,
commanders, militia members, armed groups, civil society...). The program is a 20-partner program
drawn from that sample and written into its own graph. The screening list takes real names of the
graph and spells them as lists do: without diacritics, upper case, "Last, First", an alias, a typo,
with or without the country, plus names that are in no record.

"vet" is graph.vetting.engine.vet alone; "vet + audit" adds what a request also does: the data version
(the import records in force) and writing the run to the audit graph.

The program and the screening also run the path they replaced, interleaved with the new one in the
same run so that load on the machine weighs on both alike, and the ratio of the medians is printed.
"One by one" vets each partner or match with its own SPARQL queries (sharing one fact cache, as
before) and matches each row with one rapidfuzz extract per block; the new paths read many subjects
per query (graph.vetting.batch), read nodes by index scans, and score many rows per cdist
(graph.vetting.screening.fuzzy). The bench checks that both paths give the same outcomes.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from harness import percentile

from graph.ingest import derivation, loader, registry, setup
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource
from graph.query import sparql
from graph.store import EmbeddedStore, open_store
from graph.synthetic import generator as synth
from graph.vetting import audit
from graph.vetting.engine import vet, vet_program
from graph.vetting.facts import Facts
from graph.vetting.model import FindingSet
from graph.vetting.screening.matching import match
from graph.vetting.screening.name_index import NameIndex, name_index
from graph.vetting.screening.rows import ScreenInput, parse_csv
from graph.vetting.screening.screen import screen
from ontology.namespaces import SYNTHETIC

DAY = date(2025, 6, 1)
T = TypeVar("T")
PROGRAM = SYNTHETIC + "program/bench-twenty-partners"


def line(name: str, values: list[float], unit: str = "ms") -> str:
    return f"{name:<34} p50 {percentile(values, .5):>9.2f} {unit}   p95 {percentile(values, .95):>9.2f} {unit}   (n={len(values)})"


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return (time.perf_counter() - start) * 1000, result


def prepare(workdir: Path, actors: int) -> EmbeddedStore:
    """The store with ontology, synthetic data and derived links; built once per workdir."""
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / f"synthetic-{actors}.nq"
    directory = workdir / f"store-{actors}"
    ready = directory / ".vetting-bench-ready"
    if not ready.exists():
        if not data.exists():
            figures = synth.write_synthetic(data, actors)
            print(f"generated {figures.triples:,} triples ({figures.actors:,} actors) in {data}", flush=True)
        store = open_store(directory)
        setup.load_ontology(store)
        print("loading (trusted) ...", flush=True)
        loader.load_file(store, data, graph="synthetic", trusted=True, replace=True)
        print("deriving links ...", flush=True)
        derivation.reason(store)
        store.flush()
        ready.write_text("ok\n")
        return store
    return open_store(directory)


def sample_subjects(index: NameIndex, count: int, rng: random.Random) -> list[str]:
    """Actors of every kind (registry-only ones with no relation included, as in real lists), not states."""
    iris = sorted(iri for iri, actor in index.actors.items() if iri.startswith(SYNTHETIC) and not actor.is_state)
    return rng.sample(iris, min(count, len(iris)))


def add_program(store: EmbeddedStore, partners: list[str]) -> None:
    """A 20-partner program in its own graph (replaced on every run)."""
    lines = [
        "@prefix ag: <https://w3id.org/actorgraph/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        f"<{PROGRAM}> a ag:SSRProgram ; rdfs:label \"Twenty-partner benchmark programme (synthetic)\" ;",
        '    ag:startDate "2020-01-01"^^xsd:date ; prov:wasDerivedFrom <https://w3id.org/actorgraph/synthetic/id/source/b0> .',
    ]
    for i, partner in enumerate(partners):
        cls = "ag:Partnership" if i % 2 else "ag:Targeting"
        lines.append(
            f"<{SYNTHETIC}relation/bench-participation-{i}> a {cls} ; ag:program <{PROGRAM}> ; ag:participant <{partner}> ;"
            ' ag:startDate "2020-01-01"^^xsd:date ; ag:ongoing true ; ag:confidence ag:HighConfidence ;'
            " prov:wasDerivedFrom <https://w3id.org/actorgraph/synthetic/id/source/b0> ."
        )
    source = RdfSource.from_bytes("bench-program.ttl", "\n".join(lines).encode(), format_named("turtle"))
    loader.load_sources(store, [source], graph="bench-program", trusted=True, replace=True)


class SparqlOnly:
    """The store seen only through SPARQL, as the reader saw it before it scanned the embedded
    store's indexes for a node's properties."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.select = store.select
        self.evaluate = store.evaluate
        self.local_scans = False


def program_one_by_one(store: EmbeddedStore, dataset: sparql.Dataset, partners: list[str]) -> dict[str, str]:
    """The previous path of a program vetting: each partner vetted with its own SPARQL queries,
    sharing one fact cache. Partner -> outcome."""
    facts = Facts(SparqlOnly(store), dataset)  # type: ignore[arg-type]
    return {partner: vet(store, dataset, partner, on=DAY, facts=facts).outcome for partner in partners}


def screen_one_by_one(store: EmbeddedStore, dataset: sparql.Dataset, names: list[ScreenInput],
                      digest: str) -> list[tuple[str, str | None, str | None]]:
    """The previous path of a screening: each row matched alone (one rapidfuzz extract per block),
    each match vetted with its own queries, sharing one fact cache. (status, best, outcome) per row."""
    index = name_index(store, dataset, digest)
    facts = Facts(SparqlOnly(store), dataset)  # type: ignore[arg-type]
    outcomes: dict[str, str] = {}
    out: list[tuple[str, str | None, str | None]] = []
    for row in names:
        result = match(index, row, store, dataset)
        iri = result.best.iri if result.status == "match" and result.best else None
        if iri is not None and iri not in outcomes:
            outcomes[iri] = vet(store, dataset, iri, on=DAY, facts=facts).outcome
        out.append((result.status, result.best.iri if result.best else None, outcomes[iri] if iri else None))
    return out


def median(values: list[float]) -> float:
    return percentile(values, .5)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def screening_list(index: NameIndex, rows: int, rng: random.Random) -> str:
    """Names as lists spell them: variants of real names, and some that are in no record."""
    actors = [a for a in index.actors.values() if a.iri.startswith(SYNTHETIC) and a.label and not a.is_state]
    aliases: dict[str, list[str]] = {}
    for entry in index.entries:
        for field, name in entry.forms:
            if field == "alias":
                aliases.setdefault(entry.actor, []).append(name)
    out = ["name,type,country"]
    for _ in range(rows):
        r = rng.random()
        if r < 0.05:
            name, kind, country = f"{rng.choice(['Ivo', 'Lena', 'Marta', 'Tomas'])} {rng.choice(['Brankovic', 'Sorel', 'Quint', 'Adamu'])}", "person", ""
        else:
            actor = rng.choice(actors)
            name = actor.label
            variant = rng.random()
            if variant < 0.2:
                name = strip_accents(name)
            elif variant < 0.3:
                name = name.upper()
            elif variant < 0.45 and actor.kind == "person" and " " in name:
                first, last = name.split(" ", 1)
                name = f"{last}, {first}"
            elif variant < 0.6 and aliases.get(actor.iri):
                name = rng.choice(aliases[actor.iri])
            elif variant < 0.7 and len(name) > 8:
                cut = rng.randrange(2, len(name) - 2)
                name = name[:cut] + name[cut + 1 :]
            kind = "person" if actor.kind == "person" else rng.choice(["unit", "organization", "group"])
            country = index.actors[actor.country].label if actor.country and rng.random() < 0.8 else ""
        out.append(",".join('"' + v.replace('"', '""') + '"' for v in (name, kind, country)))
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, default=63_000, help="synthetic actors (63,000 give ~1M triples)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/actorgraph-bench-vetting"), help="where data and store live; reused")
    parser.add_argument("--subjects", type=int, default=300, help="subjects vetted one by one")
    parser.add_argument("--programs", type=int, default=30, help="runs of the 20-partner program")
    parser.add_argument("--names", type=int, default=1000, help="rows of the screening list")
    parser.add_argument("--screenings", type=int, default=3, help="runs of the screening (the first also builds the name index)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    store = prepare(args.workdir, args.actors)
    dataset = sparql.dataset_for(store)
    triples = sum(info.triples for info in registry.registered_graphs(store))
    print(f"store {args.workdir / f'store-{args.actors}'}: {store.size():,} quads, {triples:,} triples in registered graphs")

    version = audit.data_version(store, dataset)
    index_ms, index = timed(lambda: name_index(store, dataset, version.digest))
    print(f"name index: {len(index.actors):,} actors, {len(index.entries):,} name keys, built in {index_ms / 1000:.2f} s")

    subjects = sample_subjects(index, args.subjects, rng)
    for subject in subjects[:20]:
        vet(store, dataset, subject, on=DAY)  # warm the page cache a little, as a running server is
    vet_ms, outcomes = [], {"flag": 0, "review": 0, "clear": 0}
    with_audit_ms = []
    for subject in subjects:
        def vet_fresh(subject: str = subject) -> FindingSet:
            return vet(store, dataset, subject, on=DAY, facts=Facts(store, dataset))

        ms, result = timed(vet_fresh)
        vet_ms.append(ms)
        outcomes[result.outcome] += 1
    for subject in subjects[:100]:
        def request(subject: str = subject) -> None:
            started = datetime.now(UTC)
            result = vet(store, dataset, subject, on=DAY)
            audit.record(store, result, agent=audit.CLI_AGENT, version=audit.data_version(store, dataset), started=started, context="bench")
        with_audit_ms.append(timed(request)[0])

    partners = rng.sample(subjects, 20)
    add_program(store, partners)
    dataset = sparql.dataset_for(store)
    program_ms: list[float] = []
    program_old_ms: list[float] = []
    program_outcomes: dict[str, int] = {}
    for _ in range(args.programs):
        ms, program = timed(lambda: vet_program(store, dataset, PROGRAM, on=DAY))
        program_ms.append(ms)
        program_outcomes = program.counts()
        ms, old = timed(lambda: program_one_by_one(store, dataset, partners))
        program_old_ms.append(ms)
        assert old == {p.iri: p.result.outcome for p in program.participants}, "the two paths disagree"

    names = parse_csv(screening_list(index, args.names, rng))
    version = audit.data_version(store, dataset)  # the program graph is new data: a cold index
    screen_ms: list[float] = []
    screen_old_ms: list[float] = []
    statuses: dict[str, int] = {}
    for run in range(args.screenings):
        ms, results = timed(lambda: screen(store, dataset, names, version_digest=version.digest, on=DAY))
        screen_ms.append(ms)
        statuses = {}
        for row in results:
            statuses[row.status] = statuses.get(row.status, 0) + 1
            if row.vetting is not None:
                statuses[row.vetting.outcome] = statuses.get(row.vetting.outcome, 0) + 1
        if run == 0:
            continue  # the first run built the index: compare the two paths on the runs after it
        ms, old_rows = timed(lambda: screen_one_by_one(store, dataset, names, version.digest))
        screen_old_ms.append(ms)
        new_rows = [(r.status, r.best.iri if r.best else None, r.vetting.outcome if r.vetting else None) for r in results]
        assert old_rows == new_rows, "the two paths disagree"

    print()
    print(f"load average (1, 5, 15 min) at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(line("vet one subject", vet_ms))
    print(line("vet one subject + audit record", with_audit_ms))
    print(f"{'':<34} outcomes of the sample: {outcomes}")
    print(line("vet a 20-partner program", program_ms))
    print(line("  one by one (previous path)", program_old_ms))
    print(f"{'':<34} batched: {median(program_old_ms) / median(program_ms):.1f}x faster (ratio of medians, interleaved)")
    print(f"{'':<34} outcomes of the partners: {program_outcomes}")
    print(f"{'screen 1,000 names, first run':<34} {screen_ms[0] / 1000:>9.2f} s    (builds the name index: new data version)")
    if len(screen_ms) > 1:
        print(line("screen 1,000 names, index built", [m / 1000 for m in screen_ms[1:]], unit="s"))
        print(line("  one by one (previous path)", [m / 1000 for m in screen_old_ms], unit="s"))
        print(f"{'':<34} batched: {median(screen_old_ms) / median(screen_ms[1:]):.1f}x faster (ratio of medians, interleaved)")
    print(f"{'':<34} rows: {statuses}")
    store.flush()


if __name__ == "__main__":
    main()
