"""Running the real `actorgraph serve` in tests: a uvicorn process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ACTORGRAPH = Path(sys.executable).with_name("actorgraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(
    store: Path, *, env: Mapping[str, str] | None = None, log: Path | None = None, timeout: float = 60
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Serve `store` until the block ends; yields the base URL and the process. The server's
    output goes to `log` (or nowhere), and is shown if it fails to start."""
    environment = {**os.environ, "ACTORGRAPH_STORE": "", **(env or {})}
    port = free_port()
    with open(log or os.devnull, "wb") as output:
        process = subprocess.Popen(
            [str(ACTORGRAPH), "serve", "--store", str(store), "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=environment,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(base + "/openapi.json", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    shown = log.read_text(errors="replace") if log and log.exists() else "(no log kept)"
                    raise AssertionError(f"the server did not start within {timeout:g} s:\n{shown}") from None
                time.sleep(0.2)
        try:
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
