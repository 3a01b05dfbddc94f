"""How fast the command line starts: `actorgraph --help`, `--version` and `stats` on the demo
store, and `load --help` (what a load pays before its work: a command imports only its own topic),
each as a fresh process as a user runs it, interleaved, with a bare `python -c pass` for the
interpreter's own share. The goal is under a second for `--help` and `stats`.

    .venv/bin/python bench/cli_startup.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import ACTORGRAPH, interleaved, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    env = {**os.environ, "ACTORGRAPH_STORE": ""}
    with tempfile.TemporaryDirectory(prefix="actorgraph-startup-") as tmp:
        store = Path(tmp) / "store"
        subprocess.run([str(ACTORGRAPH), "init", "--demo", "--store", str(store)], check=True, capture_output=True, env=env)

        def run(*command: str) -> None:
            subprocess.run(list(command), check=True, capture_output=True, env=env)

        variants = [
            ("python -c pass", lambda _: run(sys.executable, "-c", "pass")),
            ("actorgraph --help", lambda _: run(str(ACTORGRAPH), "--help")),
            ("actorgraph --version", lambda _: run(str(ACTORGRAPH), "--version")),
            ("actorgraph stats (demo store)", lambda _: run(str(ACTORGRAPH), "stats", "--store", str(store))),
            ("actorgraph load --help", lambda _: run(str(ACTORGRAPH), "load", "--help")),
        ]
        samples = interleaved(variants, [None], args.repeat)
    out(f"command-line start-up, {args.repeat} interleaved runs each, wall clock")
    for name, found in samples.items():
        out(f"  {name:<32} median {found.p50():7.0f} ms   p95 {found.p95():7.0f} ms")


if __name__ == "__main__":
    main()
