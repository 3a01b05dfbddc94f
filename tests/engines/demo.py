"""The demo set up on an engine and in an embedded store, through the command line, for the tests
that compare their answers (test_end_to_end, test_paths_on_engines)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.engines.engines import Engine, clear
from tests.support.server import ACTORGRAPH, server_env


def run(store: str, *args: str) -> str:
    """`actorgraph ARGS --store STORE`'s output; fails the test with its stderr if it fails."""
    return _actorgraph(store, args, expect=0).stdout


def run_failing(store: str, *args: str) -> str:
    """The one-line reason and details on stderr of `actorgraph ARGS --store STORE`, which must
    exit with 1 (a refusal, not a crash)."""
    return _actorgraph(store, args, expect=1).stderr


def _actorgraph(store: str, args: tuple[str, ...], *, expect: int) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(ACTORGRAPH), *args, "--store", store], capture_output=True, text=True, timeout=600, env=server_env(), check=False
    )
    assert result.returncode == expect, f"actorgraph {' '.join(args)} --store {store}:\n{result.stdout}{result.stderr}"
    return result


@contextmanager
def demo_stores(engine: Engine, directory: Path, extra: dict[str, Path] | None = None) -> Iterator[dict[str, str]]:
    """The demo (and each `extra` file, loaded into the named graph) in an embedded store under
    `directory` and on the engine, derived links included; the engine is emptied before and after."""
    clear(engine.location)
    made = {"embedded": str(directory / "store"), "engine": engine.location}
    for store in made.values():
        run(store, "init", "--demo")
        for graph, path in (extra or {}).items():
            run(store, "load", str(path), "--graph", graph)
        run(store, "reason")
    try:
        yield made
    finally:
        clear(engine.location)


def without_volatile(value: Any) -> Any:
    """An answer without what differs between two runs (when it ran, the run's own id)."""
    if isinstance(value, dict):
        return {k: without_volatile(v) for k, v in value.items() if k not in {"run", "ran_at", "generated_at", "data_version", "elapsed"}}
    if isinstance(value, list):
        return [without_volatile(v) for v in value]
    return value
