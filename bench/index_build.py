"""How long the subject index takes to build after a write, on the synthetic store of bench/tracing.py.

Prints figures; it does not pass or fail. The index (graph.index.subjects) is built from one query
(queries/tracing/subjects.rq) whenever a data graph changes: the server starts the build as each
write through its API ends (graph.index.warming), and a request that comes before it is done waits
for the rest. Interleaved, medians of `--repeat` builds each:

- the engine alone: the query run and its results written as CSV, all in Rust;
- the build as the server does it (graph.index.cache.build_subject_index), so the difference is
  what Python spends on the rows and the index's own structures.

    .venv/bin/python bench/index_build.py --workdir /tmp/ag-peers            # ~1M triples
    .venv/bin/python bench/index_build.py --workdir /tmp/ag-peers --actors 2000
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import tracing as tracing_bench  # bench/tracing.py: the store
from harness import out

from graph.index.cache import build_subject_index, terms_for
from graph.store import rdf
from queries import catalog

GOAL_SECONDS = 5.0  # after a write, at 1M triples (issue: "Scale out")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ag-peers"))
    parser.add_argument("--actors", type=int, default=63_000, help="synthetic actors (63,000 give about 1M triples)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    store, dataset = tracing_bench.open_bench_store(tracing_bench.build_store(args.workdir, args.actors))
    text = catalog.text("tracing/subjects")
    graphs = list(dataset.graphs)
    terms = terms_for(store, dataset)

    def engine_only() -> object:
        return store.select(text, default_graph=graphs).serialize(rdf.QueryResultsFormat.CSV)

    def as_served() -> object:
        return build_subject_index(store, dataset, terms)

    variants: list[tuple[str, Callable[[], object]]] = [
        ("engine alone: query + CSV (Rust)", engine_only),
        ("index build as served", as_served),
    ]
    times: dict[str, list[float]] = {name: [] for name, _ in variants}
    size = store.size()
    out(f"{size:,} quads; {args.repeat} interleaved rounds; load average {os.getloadavg()[0]:.1f}")
    for round_ in range(args.repeat):
        order = variants if round_ % 2 == 0 else variants[::-1]
        for name, build in order:
            gc.collect()
            started = time.perf_counter()
            build()
            times[name].append(time.perf_counter() - started)
    for name, _ in variants:
        out(f"    {name:<40} median {statistics.median(times[name]):6.2f} s  min {min(times[name]):6.2f} s")
    served = statistics.median(times[variants[1][0]])
    met = "met" if served < GOAL_SECONDS else "NOT met"
    out(f"goal at 1M: the index builds in under {GOAL_SECONDS:g} s after a write: {met} ({served:.2f} s; load average {os.getloadavg()[0]:.1f})")
    store.close()


if __name__ == "__main__":
    main()
