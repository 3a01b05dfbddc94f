"""What the bench scripts share: the server starter of tests/support (one copy for tests and
benchmarks), percentiles, interleaved timing, and the memory figures of /proc.

Scripts run as `python bench/NAME.py`, so this module puts the project root on sys.path for
`tests.support`; the project's packages come from the editable install."""

from __future__ import annotations

import os
import random
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.server import ACTORGRAPH, Server, cli, create_key, free_port, server_env

__all__ = [
    "ACTORGRAPH",
    "Samples",
    "Server",
    "cli",
    "clone_store",
    "count",
    "create_key",
    "free_port",
    "interleaved",
    "mem_available_mb",
    "ms",
    "out",
    "peak_mb",
    "percentile",
    "rows",
    "rss_mb",
    "server_env",
]

T = TypeVar("T")


def out(text: str = "") -> None:
    print(text, flush=True)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest rank: the value at round(fraction * (n - 1)) of the sorted values (nan if none)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def rows(result: object) -> list[Any]:
    """Every row of a query result (solutions or triples), read to the end."""
    return list(cast(Iterable[Any], result))


def count(result: object) -> int:
    """How many rows a query result has, read to the end without keeping them."""
    return sum(1 for _ in cast(Iterable[Any], result))


def ms(call: Callable[[], object]) -> float:
    """Milliseconds of wall-clock time one call takes."""
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


@dataclass
class Samples:
    """Milliseconds per call of one variant, kept per input so that subsets compare like with like."""

    name: str
    by_input: list[list[float]]

    def values(self, subset: Sequence[int] | None = None) -> list[float]:
        rows = self.by_input if subset is None else [self.by_input[i] for i in subset]
        return [t for row in rows for t in row]

    def p50(self, subset: Sequence[int] | None = None) -> float:
        return percentile(self.values(subset), 0.5)

    def p95(self, subset: Sequence[int] | None = None) -> float:
        return percentile(self.values(subset), 0.95)

    @property
    def n(self) -> int:
        return len(self.values())


def interleaved(
    variants: Sequence[tuple[str, Callable[[T], object]]], inputs: Sequence[T], repeat: int, *, deadline: float | None = None
) -> dict[str, Samples]:
    """One untimed pass of every variant over every input, then `repeat` rounds in which every input
    is run by every variant back to back, in a shuffled order (seeded): a rotation would keep each
    variant behind the same neighbour, and the call right after an HTTP request shares the CPUs
    with the server finishing it. Stops early (keeping what it has, at least one round) when
    `deadline` (time.monotonic) passes."""
    rng = random.Random(len(inputs))
    for item in inputs:
        for _, call in variants:
            call(item)
    samples = {name: Samples(name, [[] for _ in inputs]) for name, _ in variants}
    for round_ in range(repeat):
        if round_ and deadline is not None and time.monotonic() > deadline:
            out(f"    (stopped after {round_} of {repeat} rounds: time budget)")
            break
        for i, item in enumerate(inputs):
            order = list(variants)
            rng.shuffle(order)
            for name, call in order:
                started = time.perf_counter()
                call(item)
                samples[name].by_input[i].append((time.perf_counter() - started) * 1000)
    return samples


def clone_store(source: Path, target: Path) -> None:
    """A copy of a closed store for a server to open (RocksDB lets one process open a directory).
    SST and blob files are immutable once written, so they are hard-linked, as RocksDB's own
    checkpoints do; the manifest, WAL and options files, which are appended to, are copied."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for item in source.iterdir():
        if item.is_dir():
            shutil.copytree(item, target / item.name)
        elif item.suffix in (".sst", ".blob"):
            os.link(item, target / item.name)
        else:
            shutil.copy2(item, target / item.name)


def _proc_mb(path: str, field: str) -> float:
    for line in Path(path).read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_mb(pid: int | str = "self") -> float:
    return _proc_mb(f"/proc/{pid}/status", "VmRSS:")


def peak_mb() -> float:
    return _proc_mb("/proc/self/status", "VmHWM:")


def mem_available_mb() -> float:
    return _proc_mb("/proc/meminfo", "MemAvailable:")
