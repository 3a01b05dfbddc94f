"""Latency of tracing on a ~1M-triple synthetic graph: ego network, shortest paths, actor search.

Prints figures; it does not pass or fail. Each measurement is one function below that takes the
open store, the dataset and its inputs and returns a `Timing`, so other harnesses (HTTP, an
rdflib baseline, concurrency) can reuse the same inputs and compare like with like.

    .venv/bin/python bench/tracing.py                          # builds a store in a temp dir
    .venv/bin/python bench/tracing.py --workdir /tmp/agbench   # builds once, then reuses it

The store is built as `actorgraph init` + `load --trusted` + `reason` would: ontology, the
synthetic N-Quads file (63,000 actors give ~1.0M triples, plus ~0.11M derived links), derived links.
Timings are taken after one warm-up round (the subject index built, RocksDB's cache warm), over
`--repeat` interleaved rounds of every sampled input; the index build itself is timed separately,
since it is what the first request after a load pays.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from harness import percentile

from graph.index.cache import build_subject_index, graph_state, index_for, search_actors, terms_for
from graph.index.names import normalize
from graph.ingest import derivation, loader, registry, setup
from graph.query import sparql
from graph.query.sparql import Dataset
from graph.store import EmbeddedStore, open_store
from graph.synthetic import generator as synth
from graph.tracing.edges import edges_of
from graph.tracing.network import network
from graph.tracing.paths import paths
from ontology.namespaces import SYNTHETIC_GRAPH

DEFAULT_ACTORS = 63_000  # ~1.0M synthetic triples
AT = date(2018, 1, 1)
T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    """Milliseconds per call over every sample: wall clock, and CPU time of the whole process
    (all threads), which is steadier than wall time on a shared machine."""

    name: str
    samples: int
    p50: float
    p95: float
    mean: float
    cpu_p50: float
    note: str = ""

    def line(self) -> str:
        note = f"  ({self.note})" if self.note else ""
        return (
            f"{self.name:<40} p50 {self.p50:7.2f} ms  p95 {self.p95:7.2f} ms  "
            f"cpu p50 {self.cpu_p50:7.2f} ms  n={self.samples}{note}"
        )


def timed_rounds(name: str, call: Callable[[T], object], inputs: Sequence[T], repeat: int, note: str = "") -> Timing:
    """One untimed warm-up round, then `repeat` rounds over all inputs; each call timed alone."""
    for item in inputs:
        call(item)
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        for item in inputs:
            start, start_cpu = time.perf_counter(), time.process_time()
            call(item)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    return Timing(
        name, len(times), percentile(times, 0.5), percentile(times, 0.95), statistics.fmean(times), percentile(cpu, 0.5), note
    )


#################################################################
# The store
#################################################################


def build_store(workdir: Path, actors: int) -> Path:
    """The on-disk store with ontology + synthetic data + derived links, built once per workdir."""
    directory = workdir / f"store-{actors}"
    if directory.exists():
        store = open_store(directory)
        try:
            if registry.is_registered(store, ox.NamedNode(SYNTHETIC_GRAPH)):
                return directory
        finally:
            store.close()
        raise SystemExit(f"{directory} exists but holds no synthetic graph; remove it or choose another --workdir")
    data = workdir / f"synthetic-{actors}.nq"
    if not data.exists():
        started = time.perf_counter()
        stats = synth.write_synthetic(data, actors)
        print(f"generated {stats.triples:,} triples ({stats.actors:,} actors) in {time.perf_counter() - started:.1f} s")
    store = open_store(directory)
    started = time.perf_counter()
    setup.load_ontology(store)
    result = loader.load_file(store, data, graph="synthetic", trusted=True)
    loaded = time.perf_counter()
    derived = sum(derivation.reason(store).values())
    store.close()
    print(f"loaded {result.triples:,} triples in {loaded - started:.1f} s, derived {derived:,} links in {time.perf_counter() - loaded:.1f} s")
    return directory


def open_bench_store(directory: Path) -> tuple[EmbeddedStore, Dataset]:
    store = open_store(directory)
    return store, sparql.dataset_for(store)


#################################################################
# Inputs (deterministic for a seed)
#################################################################


def sample_actors(store: EmbeddedStore, dataset: Dataset, count: int, seed: int) -> list[str]:
    """Actors drawn uniformly: mostly persons and small units, some divisions, states and donors."""
    actors = index_for(store, dataset).of_kind("actor")
    return [subject.iri for subject in random.Random(seed).sample(actors, count)]


def sample_units(store: EmbeddedStore, dataset: Dataset, count: int, seed: int) -> list[str]:
    """Security-force units only: the busier egos (divisions, brigades, battalions, police commands)."""
    index = index_for(store, dataset)
    units = sorted(hit.subject.iri for hit in index.search(None, type_="SecurityForceUnit", limit=10**9).hits)
    return random.Random(seed).sample(units, count)


def sample_path_pairs(store: EmbeddedStore, dataset: Dataset, count: int, seed: int, hops: int = 4) -> list[tuple[str, str]]:
    """Pairs of actors whose shortest path (any date, any relation) is exactly `hops` long, found
    by a plain BFS from random actors; actors near huge hubs are skipped to keep this quick."""
    terms = terms_for(store, dataset)
    index = index_for(store, dataset)
    rng = random.Random(seed)
    candidates = sample_actors(store, dataset, count * 20, seed + 1)
    pairs: list[tuple[str, str]] = []
    for start in candidates:
        dist = {start: 0}
        ring = [start]
        for layer in range(1, hops + 1):
            if len(ring) > 200:
                ring = []
                break
            next_ring = []
            for node in ring:
                for edge in edges_of(store, dataset, node, terms):
                    other = edge.other(node)
                    if other not in dist:
                        dist[other] = layer
                        next_ring.append(other)
            ring = next_ring
        ends = sorted(n for n in ring if (s := index.get(n)) is not None and s.kind == "actor")
        if ends:
            pairs.append((start, rng.choice(ends)))
        if len(pairs) == count:
            break
    return pairs


def _typo(text: str, rng: random.Random) -> str:
    """Drop one letter from the longest word (Vantessi -> Vantesi)."""
    words = text.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) > 4:
        cut = rng.randrange(1, len(word) - 1)
        words[longest] = word[:cut] + word[cut + 1 :]
    return " ".join(words)


def sample_queries(store: EmbeddedStore, dataset: Dataset, count: int, seed: int) -> list[str]:
    """A mix a user would type: whole names, names without accents, prefixes, single words, typos."""
    rng = random.Random(seed)
    actors = index_for(store, dataset).of_kind("actor")
    queries = []
    for i in range(count):
        subject = rng.choice(actors)
        name = rng.choice(subject.names + subject.aliases)
        style = i % 5
        if style == 0:
            queries.append(name)
        elif style == 1:
            queries.append(normalize(name))
        elif style == 2:
            queries.append(name[: max(3, len(name) // 2)])
        elif style == 3:
            queries.append(max(name.split(), key=len))
        else:
            queries.append(_typo(name, rng))
    return queries


#################################################################
# Measurements
#################################################################


def bench_index_build(store: EmbeddedStore, dataset: Dataset) -> tuple[float, float]:
    """Seconds (wall, CPU) to build the subject index from scratch: what the first request after a
    load pays, unless the index was warmed (graph.index.cache.warm)."""
    state = graph_state(store, dataset)
    terms = terms_for(store, dataset, state)
    started, started_cpu = time.perf_counter(), time.process_time()
    build_subject_index(store, dataset, terms)
    return time.perf_counter() - started, time.process_time() - started_cpu


def bench_ego_network(
    store: EmbeddedStore, dataset: Dataset, egos: Sequence[str], repeat: int, at: date = AT, depth: int = 2, label: str = ""
) -> Timing:
    """`network` at a date, around each ego."""
    sizes = [len(network(store, dataset, ego, depth=depth, at=at).nodes) for ego in egos]
    note = f"nodes per network: median {statistics.median(sizes):.0f}, max {max(sizes)}"
    name = f"{depth}-hop ego network at {at}{label}"
    return timed_rounds(name, lambda ego: network(store, dataset, ego, depth=depth, at=at), egos, repeat, note)


def bench_paths(store: EmbeddedStore, dataset: Dataset, pairs: Sequence[tuple[str, str]], repeat: int, max_hops: int = 4) -> Timing:
    """`paths` between each pair (all shortest paths up to the default limit)."""
    results = [paths(store, dataset, a, b, max_hops=max_hops) for a, b in pairs]
    lengths = sorted({r.length for r in results if r.length is not None})
    expanded = statistics.median(r.expanded for r in results)
    note = f"path lengths {lengths}, median nodes expanded {expanded:.0f}"
    return timed_rounds(f"{max_hops}-hop shortest paths", lambda pair: paths(store, dataset, pair[0], pair[1], max_hops=max_hops), pairs, repeat, note)


def bench_search(store: EmbeddedStore, dataset: Dataset, queries: Sequence[str], repeat: int) -> Timing:
    """`search_actors`, first page of 20, no filters."""
    index = index_for(store, dataset)
    note = f"{index.actor_count:,} actors, {index.name_count:,} distinct names"
    return timed_rounds("actor search", lambda q: search_actors(store, dataset, q, limit=20), queries, repeat, note)


def bench_filtered_search(store: EmbeddedStore, dataset: Dataset, queries: Sequence[str], repeat: int) -> Timing:
    """The same queries with a type and a level filter."""
    return timed_rounds(
        "actor search, type+level filters",
        lambda q: search_actors(store, dataset, q, type_="SecurityForceUnit", level="local", limit=20),
        queries,
        repeat,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, default=DEFAULT_ACTORS, help="synthetic actors (63,000 give ~1M triples)")
    parser.add_argument("--workdir", type=Path, default=None, help="where the data and the store live; reused when present")
    parser.add_argument("--samples", type=int, default=50, help="inputs per measurement")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds over the inputs")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="actorgraph-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    store, dataset = open_bench_store(build_store(workdir, args.actors))
    print(f"store: {store.path}, {store.size():,} quads; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    started, started_cpu = time.perf_counter(), time.process_time()
    index_for(store, dataset)
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    print(f"subject index, first build (terms + query + index): {wall:.2f} s (cpu {cpu:.2f} s)")
    wall, cpu = bench_index_build(store, dataset)
    print(f"subject index, rebuild: {wall:.2f} s (cpu {cpu:.2f} s)")

    egos = sample_actors(store, dataset, args.samples, args.seed)
    units = sample_units(store, dataset, args.samples, args.seed)
    pairs = sample_path_pairs(store, dataset, max(5, args.samples // 5), args.seed)
    queries = sample_queries(store, dataset, args.samples, args.seed)
    for timing in (
        bench_ego_network(store, dataset, egos, args.repeat),
        bench_ego_network(store, dataset, units, args.repeat, label=", units"),
        bench_paths(store, dataset, pairs, args.repeat),
        bench_search(store, dataset, queries, args.repeat),
        bench_filtered_search(store, dataset, queries, args.repeat),
    ):
        print(timing.line())
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    store.close()


if __name__ == "__main__":
    main()
