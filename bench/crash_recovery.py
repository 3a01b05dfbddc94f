"""What crash consistency costs: `actorgraph load` of synthetic data, this tree against a baseline
checkout, and how long start-up recovery takes after a kill.

Prints figures; it does not pass or fail. The two trees run interleaved, `--repeat` times each,
each on a fresh on-disk store (`init`, then the timed `load`, which includes opening the store,
the load, registration and derivation), and medians and their ratio are reported because shared
machines are noisy. A baseline is any checkout of the code, for example one made with
`git archive <commit> | tar -x -C DIR`; it runs with this tree's virtualenv.

Recovery is timed in process, on stores left by a load killed at a failpoint: after the data was
written (an orphan graph to remove) and after registration (derived links to recompute).

    .venv/bin/python bench/crash_recovery.py --actors 30000 --repeat 3 --baseline /tmp/base
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph.store import failpoints, open_store
from graph.synthetic import generator as synth

ROOT = Path(__file__).resolve().parent.parent


def cli(tree: Path, *args: str, failpoint: str | None = None) -> subprocess.Popen[bytes]:
    """`actorgraph ARGS` run from the code in `tree`."""
    environment = {**os.environ, "ACTORGRAPH_STORE": "", "PYTHONPATH": str(tree)}
    environment.pop(failpoints.ENVIRONMENT_VARIABLE, None)
    if failpoint:
        environment[failpoints.ENVIRONMENT_VARIABLE] = failpoint
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli.main", *args], cwd=tempfile.gettempdir(), env=environment,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def run(tree: Path, *args: str) -> None:
    process = cli(tree, *args)
    _, error = process.communicate()
    if process.returncode:
        raise SystemExit(f"actorgraph {' '.join(args)} failed:\n{error.decode(errors='replace')}")


def timed_load(tree: Path, data: Path, store: Path, trusted: bool) -> float:
    shutil.rmtree(store, ignore_errors=True)
    run(tree, "init", "--store", str(store))
    options = ["--trusted"] if trusted else []
    started = time.perf_counter()
    run(tree, "load", str(data), "--store", str(store), "--graph", "synthetic", *options)
    return time.perf_counter() - started


def killed_at(failpoint: str, data: Path, store: Path) -> None:
    shutil.rmtree(store, ignore_errors=True)
    run(ROOT, "init", "--store", str(store))
    process = cli(ROOT, "load", str(data), "--store", str(store), "--graph", "synthetic", "--trusted", failpoint=failpoint)
    assert process.stderr is not None
    for line in process.stderr:
        if b"reached" in line:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()


def timed_recovery(store: Path) -> float:
    started = time.perf_counter()
    opened = open_store(store)
    seconds = time.perf_counter() - started
    opened.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, default=30_000, help="synthetic actors (about 16 triples each)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per variant; medians are reported")
    parser.add_argument("--baseline", type=Path, default=None, help="a checkout of the code to compare with")
    parser.add_argument("--validated", action="store_true", help="time validated loads (default: --trusted)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to put the data and stores")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="actorgraph-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / f"synthetic-{args.actors}.nq"
    if not data.exists():
        figures = synth.write_synthetic(data, args.actors)
        print(f"generated {figures.triples:,} triples ({figures.actors:,} actors) in {data}")

    trees = {"this tree": ROOT, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    times: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(args.repeat):
        for name, tree in trees.items():
            times[name].append(timed_load(tree, data, workdir / "store-load", trusted=not args.validated))
    kind = "validated" if args.validated else "--trusted"
    for name, values in times.items():
        print(f"load {kind} + derive, {name:<9}: median {statistics.median(values):6.2f} s  runs {', '.join(f'{v:.2f}' for v in values)}")
    if args.baseline:
        ratio = statistics.median(times["this tree"]) / statistics.median(times["baseline"])
        paired = statistics.median(a / b for a, b in zip(times["this tree"], times["baseline"]))
        print(f"ratio this tree / baseline: {ratio:.3f} of medians, {paired:.3f} median of back-to-back pairs")

    # What every opening now pays on a consistent store: the orphan and version checks.
    checks: dict[bool, list[float]] = {True: [], False: []}
    open_store(workdir / "store-load").close()  # the baseline loaded it last: bring its links up to date first
    for _ in range(20):
        for recover in (True, False):
            started = time.perf_counter()
            open_store(workdir / "store-load", recover=recover).close()
            checks[recover].append(time.perf_counter() - started)
    check_ms = (statistics.median(checks[True]) - statistics.median(checks[False])) * 1000
    print(f"opening the loaded store: {statistics.median(checks[False]) * 1000:.1f} ms, recovery checks add {check_ms:.1f} ms")

    for failpoint, what in (("load:data-written", "remove the orphan graph"), ("load:registered", "recompute stale links")):
        seconds = []
        for _ in range(args.repeat):
            killed_at(failpoint, data, workdir / "store-killed")
            seconds.append(timed_recovery(workdir / "store-killed"))
        print(f"recovery after a kill at {failpoint:<18} ({what}): median {statistics.median(seconds):6.2f} s")
    shutil.rmtree(workdir / "store-load", ignore_errors=True)
    shutil.rmtree(workdir / "store-killed", ignore_errors=True)


if __name__ == "__main__":
    main()
