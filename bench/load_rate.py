"""Load rate of `actorgraph load` against raw `pyoxigraph.Store.bulk_load`, on synthetic data.

Prints figures; it does not pass or fail. Every variant runs in the same process, interleaved,
`--repeat` times on fresh on-disk stores, and the medians and their ratios are reported, because
shared machines are noisy.

    .venv/bin/python bench/load_rate.py --actors 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from graph.ingest import loader, setup
from graph.ingest.validation import default_validator
from graph.store import open_store
from graph.synthetic import generator as synth
from ontology.namespaces import ONTOLOGY_GRAPH


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def raw_bulk_load(data: Path, directory: Path) -> float:
    store = ox.Store(str(directory))

    def load() -> None:
        store.bulk_load(path=str(data))
        store.flush()

    return timed(load)


def actorgraph_load(data: Path, directory: Path, *, trusted: bool) -> tuple[float, int]:
    store = open_store(directory)
    setup.load_ontology(store)  # part of `init`, not of the load being measured
    default_validator()  # shapes are compiled once per process, as in a long-running server
    result: list[loader.LoadResult] = []
    seconds = timed(lambda: result.append(loader.load_file(store, data, graph="synthetic", trusted=trusted)))
    store.close()
    return seconds, result[0].triples


def validation_only(data: Path, directory: Path) -> float:
    """Time to validate the 1M-triple graph once it is in the store."""
    store = open_store(directory)
    setup.load_ontology(store)
    result = loader.load_file(store, data, graph="synthetic", trusted=True)
    validator = default_validator()
    context = [ox.NamedNode(ONTOLOGY_GRAPH)]
    seconds = timed(lambda: validator.validate(store, [result.graph], context))
    store.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, default=100_000, help="synthetic actors (about 10 triples each)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per variant; medians are reported")
    parser.add_argument("--workdir", type=Path, default=None, help="where to put the data and stores")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="actorgraph-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / f"synthetic-{args.actors}.nq"
    if not data.exists():
        figures = synth.write_synthetic(data, args.actors)
        print(f"generated {figures.triples:,} triples ({figures.actors:,} actors) in {data}")

    times: dict[str, list[float]] = {"raw bulk_load": [], "load --trusted": [], "load (validated)": [], "validate only": []}
    triples = 0
    for run in range(args.repeat):
        for name, taken in times.items():
            directory = workdir / f"store-{run}-{name.split()[0]}"
            shutil.rmtree(directory, ignore_errors=True)
            if name == "raw bulk_load":
                taken.append(raw_bulk_load(data, directory))
            elif name == "validate only":
                taken.append(validation_only(data, directory))
            else:
                seconds, triples = actorgraph_load(data, directory, trusted=name == "load --trusted")
                taken.append(seconds)
            shutil.rmtree(directory, ignore_errors=True)

    medians = {name: statistics.median(values) for name, values in times.items()}
    raw = medians["raw bulk_load"]
    print(f"\n{triples:,} triples, {args.repeat} runs each, medians (same process, interleaved):\n")
    print(f"{'variant':<20} {'median s':>9} {'triples/s':>12} {'ratio to raw':>13}   runs (s)")
    for name, median in medians.items():
        rate = f"{triples / median:>12,.0f}" if name != "validate only" else f"{'':>12}"
        ratio = f"{raw / median:>13.2f}" if name.startswith(("load", "raw")) else f"{'':>13}"
        runs = ", ".join(f"{value:.2f}" for value in times[name])
        print(f"{name:<20} {median:>9.2f} {rate} {ratio}   {runs}")
    print("\nratio = raw bulk_load time / variant time (1.0 = as fast as raw; goals: >= 0.8 trusted, >= 0.4 validated)")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
