"""POST /sparql: one client at a time against the store and the query isolation, then throughput
with concurrent clients against one or two servers."""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import pyoxigraph as ox
from harness import Server, interleaved, out, percentile, rows, rss_mb

from graph.query import sparql
from graph.store import EmbeddedStore
from graph.store.limits import QueryLimits
from latency.common import (
    LABEL_QUERY,
    Http,
    Summary,
    row,
)


def measure_sparql(
    summary: Summary, store: EmbeddedStore, dataset: sparql.Dataset, servers: dict[str, Server],
    egos: Sequence[str], args: argparse.Namespace, deadline: float,
) -> None:
    graphs: list[Any] = list(dataset.graphs)
    texts = [LABEL_QUERY.format(iri=str(ox.NamedNode(ego))) for ego in egos]
    process_limits = QueryLimits(isolation="process", workers=2)
    thread_limits = QueryLimits(isolation="thread", workers=2)
    https = {name: Http(server) for name, server in servers.items()}
    variants: list[tuple[str, Callable[[str], object]]] = [
        ("direct", lambda text: rows(store.raw.query(text, default_graph=graphs, named_graphs=graphs))),
        ("fork", lambda text: rows(store.evaluate(text, limits=process_limits, default_graph=graphs, named_graphs=graphs))),
        ("thread", lambda text: rows(store.evaluate(text, limits=thread_limits, default_graph=graphs, named_graphs=graphs))),
    ]
    for name, client in https.items():
        variants.append((f"http-{name}", client.sparql))
    out(
        f"\nPOST /sparql, a label look-up with LIMIT 1 (one IRI per request), one client at a time; ms per call "
        f"(bench process RSS {rss_mb():,.0f} MB, server RSS {rss_mb(servers['process'].pid):,.0f} MB)"
    )
    s = interleaved(variants, texts, args.repeat, deadline=deadline)
    row("pyoxigraph Store.query, rows read", s["direct"])
    row("EmbeddedStore.evaluate under limits, forked child (in the bench process)", s["fork"])
    row("EmbeddedStore.evaluate under limits, thread (in the bench process)", s["thread"])
    row("HTTP POST /sparql, server as default (pool of query workers)", s["http-process"])
    if "http-thread" in s:
        row("HTTP POST /sparql, server with ACTORGRAPH_QUERY_ISOLATION=thread", s["http-thread"])
    out(
        f"    API overhead p50 {s['http-process'].p50() - s['direct'].p50():+.2f} ms, of which the fork "
        f"(limited process - thread, in-process) {s['fork'].p50() - s['thread'].p50():+.2f} ms"
    )
    summary.add("POST /sparql label look-up, 1 client", s["direct"], s["http-process"])
    if "http-thread" in s:
        summary.add("POST /sparql label look-up, 1 client, thread isolation", s["direct"], s["http-thread"])

    # Throughput: 8 clients, each its own connection, for a fixed number of requests per variant,
    # in alternating batches so that both servers see the same background load.
    clients, total = args.clients, args.sparql_requests
    batches = 4
    per_client = max(1, total // (clients * batches))
    results: dict[str, dict[str, Any]] = {name: {"wall": 0.0, "latencies": [], "errors": 0, "cpu": 0.0} for name in servers}
    out(f"\nPOST /sparql throughput: {clients} concurrent clients, {per_client * clients * batches} requests per server in {batches} alternating batches")
    for batch in range(batches):
        if time.monotonic() > deadline:
            out(f"    (stopped after {batch} batches: time budget)")
            break
        for name, server in servers.items():
            cpu_before = server.cpu_seconds()
            wall, latencies, errors = concurrent_batch(server.base, texts, clients, per_client, batch)
            result = results[name]
            result["wall"] += wall
            result["latencies"] += latencies
            result["errors"] += errors
            result["cpu"] += server.cpu_seconds() - cpu_before
    for name, result in results.items():
        if not result["latencies"]:
            continue
        lat = result["latencies"]
        rps = len(lat) / result["wall"]
        label = "default (pool of query workers)" if name == "process" else "ACTORGRAPH_QUERY_ISOLATION=thread"
        out(
            f"    server {label:<36} {rps:7.1f} requests/s  p50 {percentile(lat, 0.5):7.2f} ms  p95 {percentile(lat, 0.95):7.2f} ms  "
            f"errors {result['errors']}  server CPU {result['cpu'] * 1000 / len(lat):.2f} ms/request"
        )
        summary.rows.append((f"POST /sparql, {clients} clients, {label}", "-", f"{percentile(lat, 0.5):.2f} / {percentile(lat, 0.95):.2f}", "-", f"{rps:.0f} req/s"))
    if all(results[n]["latencies"] for n in results) and len(results) == 2:
        ratio = (len(results["thread"]["latencies"]) / results["thread"]["wall"]) / (len(results["process"]["latencies"]) / results["process"]["wall"])
        out(f"    throughput thread / process isolation: {ratio:.2f}x")


def concurrent_batch(base: str, texts: Sequence[str], clients: int, per_client: int, batch: int) -> tuple[float, list[float], int]:
    """`clients` threads, each with its own keep-alive connection, released together; returns the
    wall time of the batch, every request's latency (ms) and the count of non-200 answers."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    gate = threading.Barrier(clients + 1)

    def worker(k: int) -> None:
        mine: list[float] = []
        with httpx.Client(base_url=base, timeout=httpx.Timeout(60.0)) as client:
            client.get("/docs")  # open the connection before the clock starts
            gate.wait()
            for j in range(per_client):
                text = texts[(batch * clients * per_client + k * per_client + j) % len(texts)]
                started = time.perf_counter()
                response = client.post("/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"})
                mine.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    with lock:
                        errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    gate.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, errors[0]
