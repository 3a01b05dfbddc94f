"""The servers bench/peers.py sets beside ActorGraph's own (harness.Server): Oxigraph server and
rdflib-endpoint, each started on the same N-Quads dump, and the one way every query is sent.

Both are found next to this interpreter: `oxigraph` comes with the test extra, `rdflib-endpoint`
with the bench extra (kept apart so that the test install does not carry it)."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import time
from pathlib import Path

import httpx
from harness import free_port, out, rss_mb

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
RDFLIB_ENDPOINT = Path(sys.executable).with_name("rdflib-endpoint")
RDFLIB_ENDPOINT_VERSION = "0.6.3"
INSTALL_RDFLIB_ENDPOINT = ".venv/bin/pip install -e '.[test,bench]'  (the bench extra: rdflib-endpoint==0.6.3)"
# rdflib keeps every quad as Python objects in three indexes: its copy of 1M triples takes 0.74 GB
# in a plain Graph and 7.2 GB at 10M (README, bench/api_latency.py), more in a Dataset. Past this
# many quads the default leaves it out rather than push a shared machine into swapless OOM.
RDFLIB_QUAD_LIMIT = 2_000_000
JSON = "application/sparql-results+json"


class Endpoint:
    """One SPARQL endpoint over HTTP: where to POST the form, and the fields every query carries."""

    def __init__(self, name: str, url: str, extra: dict[str, str], pid: int) -> None:
        self.name, self.url, self.extra, self.pid = name, url, extra, pid
        self.client = httpx.Client(timeout=httpx.Timeout(300.0))

    def _post(self, text: str) -> dict[str, object]:
        response = self.client.post(self.url, data={"query": text, **self.extra}, headers={"Accept": JSON})
        if response.status_code != 200:
            raise SystemExit(f"{self.name} answered {response.status_code}: {response.text[:300]}")
        try:
            body: dict[str, object] = response.json()
        except ValueError:  # Oxigraph server ends a 200 with its error when its --timeout-s cancels
            raise SystemExit(f"{self.name} cut its answer short (a timeout?): ...{response.text[-200:]!r}") from None
        return body

    def ask(self, text: str) -> int:
        """Rows in the answer, 1 for a boolean (what the timed calls do: send, receive, parse the JSON)."""
        body = self._post(text)
        return len(self._bindings(body)) if "results" in body else 1

    def answer(self, text: str) -> tuple[int, str | None]:
        """Rows, and the value of ?n if the answer binds it (a COUNT), to compare across servers."""
        bindings = self._bindings(self._post(text))
        n = bindings[0].get("n") if len(bindings) == 1 else None
        return len(bindings), (str(n["value"]) if isinstance(n, dict) else None)

    @staticmethod
    def _bindings(body: dict[str, object]) -> list[dict[str, object]]:
        results = body.get("results")
        return list(results["bindings"]) if isinstance(results, dict) else []


def wait_answering(process: subprocess.Popen[bytes], url: str, log: Path, what: str, timeout: float) -> float:
    """Seconds until `url` answers ASK {} with a 200; exits with the log if the process ends first
    or the time runs out."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited ({process.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.post(url, data={"query": "ASK {}"}, headers={"Accept": JSON}).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{what} did not answer within {timeout:g} s:\n{log.read_text(errors='replace')[-3000:]}")


def start_oxigraph(location: Path, dump: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Oxigraph server of pyoxigraph's version on its own directory, loaded from the dump once."""
    if not location.exists():
        started = time.perf_counter()
        subprocess.run([str(OXIGRAPH), "load", "--location", str(location), "--file", str(dump)], check=True, capture_output=True)
        out(f"loaded the dump into Oxigraph server's directory in {time.perf_counter() - started:.1f} s")
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--timeout-s", "10"],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    wait_answering(process, f"http://127.0.0.1:{port}/query", log, "Oxigraph server", 60)
    return process, port


def rdflib_endpoint_missing() -> str | None:
    """Why rdflib-endpoint cannot run here, with how to install it; None if it can."""
    try:
        version = importlib.metadata.version("rdflib-endpoint")
    except importlib.metadata.PackageNotFoundError:
        return f"rdflib-endpoint is not installed; install it with {INSTALL_RDFLIB_ENDPOINT}"
    if not RDFLIB_ENDPOINT.exists():
        return f"rdflib-endpoint {version} is installed but {RDFLIB_ENDPOINT} is missing; reinstall with {INSTALL_RDFLIB_ENDPOINT}"
    if version != RDFLIB_ENDPOINT_VERSION:
        out(f"note: rdflib-endpoint {version} is installed, the figures in the README are of {RDFLIB_ENDPOINT_VERSION}")
    return None


def start_rdflib_endpoint(dump: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """rdflib-endpoint's own CLI on the dump: it parses the file into an in-memory rdflib Dataset with
    default_union=True (the union of all graphs as the default graph, as Oxigraph server is asked
    for here) and serves it with uvicorn, one process, queries answered at "/" (GET or POST form).
    Waited for before the other servers start: on 2 cores their starts would swell its parse time."""
    port = free_port()
    started = time.monotonic()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(RDFLIB_ENDPOINT), "serve", str(dump), "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    wait_answering(process, f"http://127.0.0.1:{port}/", log, "rdflib-endpoint", 3600)
    out(f"rdflib-endpoint parsed the dump and answered {time.monotonic() - started:.1f} s after its start, "
        f"RSS {rss_mb(process.pid):,.0f} MB")
    return process, port


def child_pids(pid: int) -> list[int]:
    """The live child processes of `pid` (Linux)."""
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(child) for task in tasks for child in (task / "children").read_text().split()]
    except OSError:
        return []
