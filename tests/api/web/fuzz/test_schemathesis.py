"""Fuzzing every route with schemathesis over a real server: no 5xx, and every answer as OpenAPI says.

Marked `fuzz` (a few minutes), so `make test` leaves it out; run it with `pytest -m fuzz`. It serves
a scratch copy of the demo store (`actorgraph init --demo` in a temporary folder), so writes may do
anything, and calls as an admin, so every route is reached. schemathesis generates about 2,000
requests from the app's own /openapi.json, mixing in the demo's names (schemathesis.toml here),
and checks each answer: no server error, a documented status, a documented Content-Type, and a
body that matches the declared schema. Two runs, reads first and then writes (SPARQL Update, the
Graph Store, imports), so that a generated DELETE cannot empty the graphs the reads are about.
The server's access log is the record of what it answered.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import cli, create_key, served

pytestmark = pytest.mark.fuzz

SCHEMATHESIS = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")
HOOKS = Path(__file__).with_name("hooks.py")  # how the SPARQL, RDF and CSV bodies are sent
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"
SEED = "20261205"
EXAMPLES = "8"  # per operation and phase: about 2,000 requests over both runs
WRITES = r"^/(update|import/.*|graph-store)$"
ACCESS_LINE = re.compile(r'"(?:GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS|TRACE|QUERY) .*? HTTP/[0-9.]+" (\d{3})')


def schemathesis(base: str, token: str, work: Path, *selection: str) -> subprocess.CompletedProcess[str]:
    """One schemathesis run over `selection` of the operations. One worker: with two, hypothesis
    parses lambdas' source in two threads at once, which trips CPython 3.11's AST recursion check."""
    return subprocess.run(
        [
            str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", base + "/openapi.json",
            "--header", f"Authorization: Bearer {token}",
            "--checks", CHECKS,
            "--max-examples", EXAMPLES,
            "--seed", SEED,
            "--workers", "1",
            "--request-timeout", "60",
            "--suppress-health-check", "all",
            "--continue-on-failure",
            "--no-color",
            *selection,
        ],
        capture_output=True, text=True, cwd=work, timeout=1800, check=False, env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)},
    )  # fmt: skip


def summary(run: subprocess.CompletedProcess[str]) -> str:
    start = run.stdout.rfind("SUMMARY")
    return run.stdout[start:] if start >= 0 else run.stdout[-3000:] + run.stderr[-2000:]


def failures(run: subprocess.CompletedProcess[str]) -> str:
    """The failure reports schemathesis printed, for the assertion message."""
    start = run.stdout.find("FAILURES")
    return run.stdout[start : run.stdout.rfind("SUMMARY")][:6000] if start >= 0 else summary(run)


def test_schemathesis_finds_no_server_error_and_no_answer_off_schema(tmp_path: Path) -> None:
    if not SCHEMATHESIS.exists():
        pytest.skip("schemathesis is not installed in this environment: pip install -e '.[test]'")
    store, log = tmp_path / "store", tmp_path / "server.log"
    cli("init", "--demo", store=store)
    token = create_key(store, "admin", "fuzz")
    started = time.monotonic()
    with served(store, log=log) as (base, process):
        reads = schemathesis(
            base, token, tmp_path, "--exclude-path-regex", r"^/(update|import/.*)$",
            "--exclude-name", "PUT /graph-store", "--exclude-name", "POST /graph-store", "--exclude-name", "DELETE /graph-store",
        )  # fmt: skip
        writes = schemathesis(base, token, tmp_path, "--include-path-regex", WRITES)
        assert process.poll() is None, "the server died under fuzzing"
    seconds = time.monotonic() - started
    answered = log.read_text(errors="replace")
    statuses = [int(status) for status in ACCESS_LINE.findall(answered)]
    server_errors = [line for line in answered.splitlines() if (m := ACCESS_LINE.search(line)) and m.group(1).startswith("5")]
    print(
        f"\nschemathesis: {len(statuses):,} requests in {seconds:.0f} s (server start included), "
        f"{len(server_errors)} with a 5xx\nreads:\n{summary(reads)}\nwrites:\n{summary(writes)}"
    )
    assert len(statuses) > 1000, f"too few requests reached the server:\n{summary(reads)}\n{summary(writes)}"
    assert server_errors == [], "\n".join(server_errors[:20])
    assert "unsendable" not in answered, "a query result was dropped on another thread (README, depth limits)"
    assert reads.returncode == 0, failures(reads)
    assert writes.returncode == 0, failures(writes)
