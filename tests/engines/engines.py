"""SPARQL engines started for tests (and benchmarks): each in a temporary directory on a free
loopback port, waited for until it answers, then stopped and removed.

An engine this machine lacks is skipped with the reason (how CI installs it: .ci/run, pyproject).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph

from tests.support.server import free_port

OXIGRAPH = Path(sys.executable).with_name("oxigraph")


@dataclass
class Engine:
    """A running engine: the --store URL that names it, and its process."""

    name: str
    location: str
    process: subprocess.Popen[bytes]
    log: Path

    def shown_log(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else "(no log)"


def oxigraph_missing() -> str | None:
    """Why Oxigraph server cannot run here, or None."""
    if not OXIGRAPH.exists():
        return f"no {OXIGRAPH}: install the test extra (pip install -e '.[test]'), which pins the oxigraph CLI"
    version = subprocess.run([str(OXIGRAPH), "--version"], capture_output=True, text=True, check=False).stdout.split()
    if version[-1:] != [pyoxigraph.__version__]:
        return f"the oxigraph CLI is {' '.join(version)}, pyoxigraph is {pyoxigraph.__version__}: pin them to one version"
    return None


def wait_for(process: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 30) -> None:
    """Until the engine answers ASK {} at its query endpoint `url`; raises with its log if it exits or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the engine exited ({process.returncode}):\n{log.read_text(errors='replace')}")
        try:
            if httpx.post(url, data={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the engine did not answer within {timeout:g} s:\n{log.read_text(errors='replace')}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def oxigraph_server(*, timeout_s: float = 10) -> Iterator[Engine]:
    """Oxigraph server on disk in a temporary directory, with its own query timeout."""
    missing = oxigraph_missing()
    if missing:
        raise RuntimeError(missing)
    directory = Path(tempfile.mkdtemp(prefix="actorgraph-oxigraph-"))
    port = free_port()
    log = directory / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(OXIGRAPH), "serve", "--location", str(directory / "data"), "--bind", f"127.0.0.1:{port}", "--timeout-s", f"{timeout_s:g}"],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(process, f"http://127.0.0.1:{port}/query", log)
        yield Engine("oxigraph", f"oxigraph+http://127.0.0.1:{port}", process, log)
    finally:
        stop(process)
        shutil.rmtree(directory, ignore_errors=True)


def clear(location: str) -> None:
    """Empty an engine between tests: every graph the store shows, and the default graph. The graphs
    an engine keeps for itself stay (Virtuoso's are its own configuration), and the store is
    reached without the start-up leak probe, which would refuse a leaky engine holding restricted graphs."""
    from graph.store.location import RemoteLocation, parse_location
    from graph.store.remote import RemoteStore
    from graph.store.remote.dialects import dialect_for

    parsed = parse_location(location)
    assert isinstance(parsed, RemoteLocation)
    store = RemoteStore(dialect_for(parsed), parsed.engine)
    try:
        for graph in store.named_graphs():
            store.drop_graph(graph)
        if store.dialect.own_default_graph:
            store.update("CLEAR SILENT DEFAULT")
    finally:
        store.close()
