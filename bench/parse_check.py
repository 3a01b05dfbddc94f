"""What the contained parse check (graph.guards.parse_check) adds to a query and to an update.

Runs a small query on the demo store under both isolations, with and without the check in front
of it, interleaved round by round so that the machine's noise hits every variant alike; prints
medians and the check's share. Also times the check alone on a small and a large text.

    .venv/bin/python bench/parse_check.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections.abc import Callable

import pyoxigraph as ox
from harness import ms

from graph.guards.parse_check import check_text
from graph.ingest import setup
from graph.query import sparql
from graph.store import Solutions, open_store
from graph.store.limits import QueryLimits

QUERY = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 20"
UPDATE = "INSERT DATA { GRAPH <urn:bench:g> { <urn:a> <urn:b> <urn:c> } }"
BIG_UPDATE = "INSERT DATA { GRAPH <urn:bench:g> { " + " ".join(f"<urn:s{i}> <urn:p> \"{i}\" ." for i in range(20_000)) + " } }"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    store = open_store(None)
    setup.init_store(store, demo=True)
    graphs = list(sparql.dataset_for(store).graphs)
    isolations = {"thread": QueryLimits(isolation="thread"), "process": QueryLimits(isolation="process")}

    def query(limits: QueryLimits, checked: bool) -> Callable[[], object]:
        def run() -> object:
            if checked:
                check_text(QUERY)
            result = store.evaluate(QUERY, limits=limits, default_graph=graphs, named_graphs=graphs)
            assert isinstance(result, Solutions)
            return list(result)

        return run

    variants: dict[str, Callable[[], object]] = {}
    for name, limits in isolations.items():
        variants[f"{name}: query"] = query(limits, checked=False)
        variants[f"{name}: check + query"] = query(limits, checked=True)
    variants["check: query text"] = lambda: check_text(QUERY)
    variants["check: small update"] = lambda: check_text(UPDATE, update=True)
    variants[f"check: update of {len(BIG_UPDATE) // 1000:,} kB"] = lambda: check_text(BIG_UPDATE, update=True)
    variants["the same update, applied in memory"] = lambda: ox.Store().update(BIG_UPDATE)
    check_text(QUERY)  # start the helper before timing
    timings: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            timings[name].append(ms(run))
    medians = {name: statistics.median(values) for name, values in timings.items()}
    print(f"{rounds} rounds, interleaved; medians in ms (p90 in brackets)")
    for name, values in timings.items():
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"  {name:<32} {medians[name]:8.3f}  [{p90:.3f}]")
    for name in isolations:
        plain, checked = medians[f"{name}: query"], medians[f"{name}: check + query"]
        print(f"  {name}: the check adds {checked - plain:+.3f} ms ({checked / plain:.2f}x)")
    _concurrent(readers=20, rounds=rounds)


def _concurrent(readers: int, rounds: int) -> None:
    """Many requests checking at once share the bounded helpers: what one check then takes."""
    timings: list[float] = []
    lock = threading.Lock()

    def reader() -> None:
        mine = [ms(lambda: check_text(QUERY)) for _ in range(rounds)]
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    p99 = statistics.quantiles(timings, n=100)[-1]
    print(
        f"  {readers} threads checking at once: median {statistics.median(timings):.3f} ms, p99 {p99:.3f} ms, "
        f"{len(timings) / elapsed:,.0f} checks/s"
    )


if __name__ == "__main__":
    main()
