"""Fuzzing every route with schemathesis against a real server: no request may give a 5xx.

Marked `fuzz`: it takes a few minutes, so `make test` leaves it out; run it with `pytest -m fuzz`
(ACTORGRAPH_FUZZ_SECONDS sets its time budget, 150 s by default). schemathesis generates requests
from the app's own OpenAPI schema, as an admin (every route is open to it, writes included, on a
throwaway copy of the demo store). The server's access log is the record: every request it
answered, with its status.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import served

pytestmark = pytest.mark.fuzz

ACTORGRAPH = Path(sys.executable).with_name("actorgraph")
SCHEMATHESIS = Path(sys.executable).with_name("st")
FUZZ_SECONDS = int(os.environ.get("ACTORGRAPH_FUZZ_SECONDS", "150"))
ACCESS_LINE = re.compile(r'"(?:GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS|TRACE) .*? HTTP/[0-9.]+" (\d{3})')


def test_schemathesis_gets_no_server_error(tmp_path: Path) -> None:
    if not SCHEMATHESIS.exists():
        pytest.skip("schemathesis is not installed in this environment: pip install -e '.[test]'")
    store, log = tmp_path / "store", tmp_path / "server.log"
    env = {**os.environ, "ACTORGRAPH_STORE": ""}
    subprocess.run([str(ACTORGRAPH), "init", "--demo", "--store", str(store)], check=True, capture_output=True, env=env, timeout=300)
    created = subprocess.run(
        [str(ACTORGRAPH), "keys", "create", "--store", str(store), "--role", "admin", "--name", "fuzz"],
        check=True, capture_output=True, text=True, env=env, timeout=60,
    )
    token = created.stdout.split()[0]
    with served(store, env=env, log=log) as (base, process):
        run = subprocess.run(
            [
                str(SCHEMATHESIS), "run", base + "/openapi.json",
                "--header", f"Authorization: Bearer {token}",
                "--checks", "not_a_server_error",
                "--max-time", str(FUZZ_SECONDS),
                "--request-timeout", "30",
                "--workers", "2",
                "--suppress-health-check", "filter_too_much,too_slow",
                "--continue-on-failure",
                "--seed", "20261205",
            ],
            capture_output=True, text=True, cwd=tmp_path, timeout=FUZZ_SECONDS + 600,
            check=False,
        )
        assert process.poll() is None, "the server died under fuzzing"
    answered = log.read_text(errors="replace")
    statuses = [int(status) for status in ACCESS_LINE.findall(answered)]
    server_errors = [line for line in answered.splitlines() if (m := ACCESS_LINE.search(line)) and m.group(1).startswith("5")]
    summary = run.stdout[run.stdout.rfind("SUMMARY"):] if "SUMMARY" in run.stdout else run.stdout[-3000:]
    print(f"\nschemathesis: {len(statuses):,} requests answered, {len(server_errors)} with a 5xx\n{summary}")
    assert len(statuses) > 1000, f"too few requests reached the server:\n{run.stdout[-3000:]}\n{run.stderr[-2000:]}"
    assert server_errors == [], "\n".join(server_errors[:20])
    assert "ST101" not in run.stdout, summary
    assert "unsendable" not in answered
