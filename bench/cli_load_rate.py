"""Load rate through the command line, as users run it: each variant is a fresh process started
from the shell, timed from start to exit, against a fresh process doing a raw
`pyoxigraph.Store.bulk_load` of the same file. bench/load_rate.py measures the same in one process,
which leaves out start-up and the derivation that `load` runs by default.

Every `actorgraph load` goes into a copy of one initialised store (the ontology loaded, untimed);
the variants run interleaved, in a shuffled order each round, and medians and ratios are printed.
The file is N-Triples by default, as most loads are documents of triples; `--format nquads` times
the path for documents that name graphs, whose quads are moved into the target graph one by one.

    .venv/bin/python bench/cli_load_rate.py --actors 50000 --repeat 3
    .venv/bin/python bench/cli_load_rate.py --actors 50000 --repeat 3 --format nquads
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from harness import ACTORGRAPH, clone_store, out

from graph.synthetic import generator as synth

# The same placement as `load`: a file's triples go to one named graph (Oxigraph indexes a named
# graph's quads in six orders, the default graph's in three, so the default graph would halve its work).
RAW = (
    "import pyoxigraph as ox, sys; s = ox.Store(sys.argv[1]); "
    "s.bulk_load(path=sys.argv[2], to_graph=ox.NamedNode('https://w3id.org/actorgraph/graph/synthetic')); s.flush()"
)
VARIANTS = {
    "raw bulk_load": None,
    "load --trusted --no-reason": ["--trusted", "--no-reason"],
    "load --trusted": ["--trusted"],
    "load --no-reason (validated)": ["--no-reason"],
    "load (validated, derived)": [],
}


def as_ntriples(quads: Path, target: Path) -> Path:
    """The same triples without their graph names (untimed)."""
    parsed = ox.parse(path=str(quads), format=ox.RdfFormat.N_QUADS)
    with target.open("wb") as output:
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in parsed), output, ox.RdfFormat.N_TRIPLES)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=50_000, help="synthetic actors (about 16 triples each)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=("ntriples", "nquads"), default="ntriples", help="the file loaded")
    args = parser.parse_args()
    env = {**os.environ, "ACTORGRAPH_STORE": ""}
    with tempfile.TemporaryDirectory(prefix="actorgraph-cli-load-") as tmp:
        work = Path(tmp)
        quads = work / "synthetic.nq"
        figures = synth.write_synthetic(quads, args.actors)
        data = quads if args.format == "nquads" else as_ntriples(quads, work / "synthetic.nt")
        template = work / "initialised"
        subprocess.run([str(ACTORGRAPH), "init", "--store", str(template)], check=True, capture_output=True, env=env)
        times: dict[str, list[float]] = {name: [] for name in VARIANTS}
        rng = random.Random(args.actors)
        for _ in range(args.repeat):
            order = list(VARIANTS.items())
            rng.shuffle(order)
            for name, flags in order:
                store = work / "store"
                if flags is None:
                    shutil.rmtree(store, ignore_errors=True)
                    command = [sys.executable, "-c", RAW, str(store), str(data)]
                else:
                    clone_store(template, store)
                    command = [str(ACTORGRAPH), "load", str(data), "--graph", "synthetic", "--store", str(store), *flags]
                started = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True, env=env)
                times[name].append(time.perf_counter() - started)
                shutil.rmtree(store, ignore_errors=True)
    raw = statistics.median(times["raw bulk_load"])
    out(f"{figures.triples:,} triples as {args.format}; {args.repeat} runs each, interleaved; load average {os.getloadavg()[0]:.1f}\n")
    out(f"{'variant':<30} {'median s':>9} {'triples/s':>11} {'vs raw':>7}   runs (s)")
    for name, values in times.items():
        median = statistics.median(values)
        runs = ", ".join(f"{v:.2f}" for v in values)
        out(f"{name:<30} {median:>9.2f} {figures.triples / median:>11,.0f} {raw / median:>7.2f}   {runs}")
    out("\nvs raw = raw bulk_load time / variant time (goals through the CLI: >= 0.8 trusted, >= 0.4 validated)")


if __name__ == "__main__":
    main()
