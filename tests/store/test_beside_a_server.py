"""Commands beside a running server on the embedded store: reads work on a read-only open, and a
write is refused in one line that says what to do, never with the engine's raw lock error."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.ingest import setup
from graph.store import open_store
from tests.conftest import FIXTURES
from tests.support.server import ACTORGRAPH, served, server_env


def _run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ACTORGRAPH), *args, "--store", str(store)], capture_output=True, text=True, timeout=300, env=server_env(), check=False
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("beside") / "store"
    built = open_store(path)
    setup.init_store(built, demo=True)
    built.close()
    del built
    return path


@pytest.fixture(scope="module")
def expected(store: Path) -> dict[str, str]:
    """What the read commands print with no server running (computed before it starts)."""
    return {
        "stats": _run(store, "stats").stdout,
        "query": _run(store, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv").stdout,
        "graphs": _run(store, "graphs", "list").stdout,
    }


@pytest.fixture(scope="module")
def server(store: Path, expected: dict[str, str]) -> Iterator[str]:
    with served(store) as (base, _process):
        yield base


def test_reads_work_beside_the_server(store: Path, expected: dict[str, str], server: str) -> None:
    for name, args in {
        "stats": ("stats",),
        "query": ("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv"),
        "graphs": ("graphs", "list"),
    }.items():
        result = _run(store, *args)
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected[name] and result.stdout.strip()
        assert "reading it read-only" in result.stderr
    dumped = _run(store, "dump")
    assert dumped.returncode == 0 and dumped.stdout.count("\n") > 1000


@pytest.mark.parametrize(
    "args", [("load", str(FIXTURES / "valid_relation.ttl"), "--graph", "beside"), ("reason",), ("keys", "create", "--role", "reader", "--name", "x")]
)
def test_a_write_says_what_to_do_in_one_line(store: Path, server: str, args: tuple[str, ...]) -> None:
    result = _run(store, *args)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "is open in another process" in lines[0] and "stop that process first" in lines[0]
    assert "LOCK" not in lines[0] and "Resource temporarily unavailable" not in lines[0]
