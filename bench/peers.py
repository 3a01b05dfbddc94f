"""ActorGraph beside Oxigraph server: the same synthetic data and SPARQL over HTTP, interleaved.

Prints figures; it does not pass or fail. It builds (or reuses) the synthetic store of
bench/tracing.py (`--actors 63000` is about 1M triples), dumps it, loads the dump into an
Oxigraph server of pyoxigraph's version, and serves:

- Oxigraph server itself (POST /query, the union of all graphs as default graph): the reference;
- ActorGraph on the embedded store (`actorgraph serve`, POST /sparql), whose queries run in its
  pool of started workers on checkpoints (the default);
- the same with a forked worker per query (`ACTORGRAPH_QUERY_ISOLATION=process`), on its own copy;
- ActorGraph on that Oxigraph server (`actorgraph serve --store oxigraph+http://…`, POST /sparql).

Each query (a 2-hop neighbourhood at a date, a label look-up, a COUNT, 10,000 rows) runs over the
same inputs, the three servers interleaved round by round (bench/harness.py); then 8 clients at
once for throughput; then each server's RSS, and apart from it the pool workers'. Ratios are to
Oxigraph server. ActorGraph runs with
its defaults: anonymous reader access control, timeouts and result caps on.

    .venv/bin/python bench/peers.py --workdir /tmp/ag-peers            # ~1M triples
    .venv/bin/python bench/peers.py --workdir /tmp/ag-peers --actors 2000   # a quick check
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import tracing as tracing_bench  # bench/tracing.py: the store and the samples
from harness import Server, clone_store, free_port, interleaved, out, percentile, rss_mb
from latency.common import AT, LABEL_QUERY
from latency.rdflib_baseline import two_hop_query

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
JSON = "application/sparql-results+json"
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ROWS_QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10000"


class Endpoint:
    """One SPARQL endpoint over HTTP: where to POST, and the form fields every query carries."""

    def __init__(self, name: str, url: str, extra: dict[str, str], pid: int) -> None:
        self.name, self.url, self.extra, self.pid = name, url, extra, pid
        self.client = httpx.Client(timeout=httpx.Timeout(120.0))

    def ask(self, text: str) -> int:
        response = self.client.post(self.url, data={"query": text, **self.extra}, headers={"Accept": JSON})
        if response.status_code != 200:
            raise SystemExit(f"{self.name} answered {response.status_code}: {response.text[:300]}")
        body = response.json()
        return len(body["results"]["bindings"]) if "results" in body else 1


def start_oxigraph(location: Path, dump: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
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
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.post(f"http://127.0.0.1:{port}/query", data={"query": "ASK {}"}).status_code == 200:
                return process, port
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"Oxigraph server did not start:\n{log.read_text()}")


def two_hop_texts(egos: Sequence[str]) -> list[str]:
    """The 2-hop question with the ego and the day in the text (no engine-side bindings over HTTP)."""
    text = two_hop_query().replace("SELECT ?ego ?at ", "SELECT ")
    day = f'"{AT.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date>'
    return [text.replace("?ego", str(ox.NamedNode(ego))).replace("?at", day) for ego in egos]


def throughput(endpoint: Endpoint, texts: Sequence[str], clients: int, per_client: int) -> tuple[float, list[float]]:
    """`clients` threads, each with its own connection, released together: requests/s and latencies."""
    latencies: list[float] = []
    lock = threading.Lock()
    gate = threading.Barrier(clients + 1)

    def worker(k: int) -> None:
        mine = []
        with httpx.Client(timeout=httpx.Timeout(120.0)) as client:
            client.post(endpoint.url, data={"query": "ASK {}", **endpoint.extra})
            gate.wait()
            for j in range(per_client):
                started = time.perf_counter()
                client.post(endpoint.url, data={"query": texts[(k * per_client + j) % len(texts)], **endpoint.extra}, headers={"Accept": JSON})
                mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    gate.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ag-peers"))
    parser.add_argument("--actors", type=int, default=63_000, help="synthetic actors (63,000 give about 1M triples)")
    parser.add_argument("--samples", type=int, default=20, help="egos for the 2-hop and label queries")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=50, help="requests per client in the throughput run")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)

    directory = tracing_bench.build_store(args.workdir, args.actors)
    store, dataset = tracing_bench.open_bench_store(directory)
    egos = tracing_bench.sample_actors(store, dataset, args.samples, seed=7)
    dump = args.workdir / f"peers-{args.actors}.nq"
    if not dump.exists():
        with dump.open("wb") as output:
            store.dump(output)
    triples = store.size()
    store.close()
    del store

    served, forked = args.workdir / f"peers-served-{args.actors}", args.workdir / f"peers-forked-{args.actors}"
    clone_store(directory, served)
    clone_store(directory, forked)
    oxigraph, port = start_oxigraph(args.workdir / f"peers-oxigraph-{args.actors}", dump, args.workdir / "oxigraph.log")
    engine = f"oxigraph+http://127.0.0.1:{port}"
    servers = [
        Server(served, log=args.workdir / "embedded.log", label="ActorGraph embedded"),
        Server(engine, log=args.workdir / "remote.log", label="ActorGraph on Oxigraph server"),  # type: ignore[arg-type]
        Server(forked, env={"ACTORGRAPH_QUERY_ISOLATION": "process"}, log=args.workdir / "forked.log", label="ActorGraph, fork per query"),
    ]
    try:
        for server in servers:
            server.wait_ready(600)
        endpoints = [
            Endpoint("Oxigraph server", f"http://127.0.0.1:{port}/query", {"union-default-graph": ""}, oxigraph.pid),
            Endpoint("ActorGraph embedded", f"{servers[0].base}/sparql", {}, servers[0].pid),
            Endpoint("ActorGraph on Oxigraph server", f"{servers[1].base}/sparql", {}, servers[1].pid),
            Endpoint("ActorGraph, fork per query", f"{servers[2].base}/sparql", {}, servers[2].pid),
        ]
        out(f"{triples:,} quads; {len(egos)} egos; {args.repeat} interleaved rounds; load average {os.getloadavg()[0]:.1f}")
        queries: dict[str, list[str]] = {
            "2-hop at a date": two_hop_texts(egos),
            "label look-up": [LABEL_QUERY.format(iri=str(ox.NamedNode(ego))) for ego in egos],
            "COUNT(*)": [COUNT_QUERY],
            "10,000 rows": [ROWS_QUERY],
        }
        for name, texts in queries.items():
            answers = {e.name: [e.ask(t) for t in texts] for e in endpoints}
            same = len({tuple(a) for a in answers.values()}) == 1
            variants: list[tuple[str, Callable[[str], Any]]] = [(e.name, e.ask) for e in endpoints]
            repeat = args.repeat if len(texts) > 1 else args.repeat * 4
            samples = interleaved(variants, texts, repeat)
            reference = samples["Oxigraph server"].p50()
            out(f"\n{name} (rows per answer equal across servers: {same}); ms per request")
            for e in endpoints:
                s = samples[e.name]
                out(f"    {e.name:<32} p50 {s.p50():8.2f}  p95 {s.p95():8.2f}  x{s.p50() / reference:5.2f} of Oxigraph server  n={s.n}")
        out(f"\nthroughput: {args.clients} clients x {args.per_client} label look-ups each")
        texts = queries["label look-up"]
        rates = {}
        for e in endpoints:
            rate, latencies = throughput(e, texts, args.clients, args.per_client)
            rates[e.name] = rate
            out(f"    {e.name:<32} {rate:8.1f} req/s  p50 {percentile(latencies, 0.5):7.2f}  p95 {percentile(latencies, 0.95):7.2f}"
                f"  x{rate / rates['Oxigraph server']:5.2f} of Oxigraph server")
        out("\nRSS after the run (MB): the server, then its child processes (the pool's query workers)")
        reference_rss = rss_mb(oxigraph.pid)
        for e in endpoints:
            children = child_pids(e.pid)
            workers = sum(rss_mb(child) for child in children)
            out(f"    {e.name:<32} {rss_mb(e.pid):8.0f}  x{rss_mb(e.pid) / reference_rss:5.2f} of Oxigraph server"
                f"   children: {len(children)}, {workers:,.0f} MB")
    finally:
        for server in servers:
            server.stop()
        oxigraph.terminate()
        oxigraph.wait(timeout=30)
        shutil.rmtree(served, ignore_errors=True)
        shutil.rmtree(forked, ignore_errors=True)


def child_pids(pid: int) -> list[int]:
    """The live child processes of `pid` (Linux)."""
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(child) for task in tasks for child in (task / "children").read_text().split()]
    except OSError:
        return []


if __name__ == "__main__":
    main()
