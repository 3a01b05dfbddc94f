"""ActorGraph beside Oxigraph server and rdflib-endpoint: the same synthetic data and SPARQL over
HTTP, interleaved.

Prints figures; it does not pass or fail. It builds (or reuses) the synthetic store of
bench/tracing.py (`--actors 63000` is about 1M triples), dumps it to N-Quads, and serves that data:

- Oxigraph server of pyoxigraph's version (POST /query, the union of all graphs as default graph):
  the reference, always run;
- ActorGraph on the embedded store (`actorgraph serve`, POST /sparql), whose queries run in its
  pool of started workers on checkpoints (the default) -- `embedded`;
- the same with a forked worker per query (`ACTORGRAPH_QUERY_ISOLATION=process`), on its own copy
  -- `forked`;
- ActorGraph on that Oxigraph server (`actorgraph serve --store oxigraph+http://…`) -- `remote`;
- rdflib-endpoint 0.6.3 as its CLI serves a file (`rdflib-endpoint serve DUMP`: an in-memory rdflib
  Dataset with default_union, POST / with FastAPI and uvicorn, one process whose handler runs each
  query on the event loop, so concurrent clients wait in turn) -- `rdflib-endpoint`. It comes with
  the bench extra (`.venv/bin/pip install -e '.[test,bench]'`); `--peers all` leaves it out when it
  is missing or above 2M quads, where rdflib's Python objects would take gigabytes.

Each query (a 2-hop neighbourhood at a date, a label look-up, a COUNT, 10,000 rows) runs over the
same inputs, the servers interleaved round by round (bench/harness.py), after a check that every
server gives as many rows (and the same count; ActorGraph's /sparql does not show its meta graph,
so its COUNT is lower by that graph's quads); then 8 clients at once for throughput; then each
server's RSS, and apart from it its children's (the pool's workers). Ratios are to Oxigraph server.
ActorGraph runs with its defaults: anonymous reader access control, timeouts and result caps on.

    .venv/bin/python bench/peers.py --workdir /tmp/ag-peers            # ~1M triples
    .venv/bin/python bench/peers.py --workdir /tmp/ag-peers --actors 2000   # a quick check
    .venv/bin/python bench/peers.py --workdir /tmp/ag-peers-10m --actors 630000 --peers embedded,remote,forked
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import tracing as tracing_bench  # bench/tracing.py: the store and the samples
from harness import Server, clone_store, interleaved, out, percentile, rss_mb
from latency.common import AT, LABEL_QUERY
from latency.rdflib_baseline import two_hop_query
from peers_servers import (
    JSON,
    RDFLIB_QUAD_LIMIT,
    Endpoint,
    child_pids,
    rdflib_endpoint_missing,
    start_oxigraph,
    start_rdflib_endpoint,
)

COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ROWS_QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10000"
# What --peers names, beside Oxigraph server; the table's rows in this order.
PEERS = {
    "embedded": "ActorGraph embedded",
    "remote": "ActorGraph on Oxigraph server",
    "forked": "ActorGraph, fork per query",
    "rdflib-endpoint": "rdflib-endpoint",
}


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


def choose_peers(asked: str, quads: int) -> list[str]:
    """The peers to run beside Oxigraph server (always run: the reference, and the engine of
    "remote"). `all` leaves rdflib-endpoint out when it is missing or the store is too large for
    it; naming it runs it regardless of size. Prints what is left out and why."""
    chosen = list(PEERS) if asked == "all" else [name.strip() for name in asked.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in PEERS]
    if unknown:
        raise SystemExit(f"--peers: unknown {', '.join(unknown)}; choose among {', '.join(PEERS)} (or all)")
    left_out = [name for name in PEERS if name not in chosen]
    if left_out:
        out(f"left out (not in --peers): {', '.join(left_out)}")
    if "rdflib-endpoint" in chosen:
        missing = rdflib_endpoint_missing()
        if missing and asked != "all":
            raise SystemExit(missing)
        if missing:
            out(f"left out: {missing}")
            chosen.remove("rdflib-endpoint")
        elif quads > RDFLIB_QUAD_LIMIT:
            if asked == "all":
                out(f"left out: rdflib-endpoint, which would hold all {quads:,} quads as Python objects in memory "
                    f"(0.74 GB per 1M triples in a plain rdflib Graph, more in its Dataset) beside the other servers; "
                    f"--peers all keeps it up to {RDFLIB_QUAD_LIMIT:,} quads, name it in --peers to run it anyway")
                chosen.remove("rdflib-endpoint")
            else:
                out(f"note: rdflib-endpoint runs on {quads:,} quads as asked; watch the machine's memory")
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ag-peers"))
    parser.add_argument("--actors", type=int, default=63_000, help="synthetic actors (63,000 give about 1M triples)")
    parser.add_argument("--samples", type=int, default=20, help="egos for the 2-hop and label queries")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=50, help="requests per client in the throughput run")
    parser.add_argument(
        "--peers", default="all",
        help=f"comma-separated servers to run beside Oxigraph server: {', '.join(PEERS)}; 'all' (the default) leaves "
             f"rdflib-endpoint out above {RDFLIB_QUAD_LIMIT:,} quads or when it is not installed",
    )
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
    peers = choose_peers(args.peers, triples)

    oxigraph, port = start_oxigraph(args.workdir / f"peers-oxigraph-{args.actors}", dump, args.workdir / "oxigraph.log")
    endpoints = [Endpoint("Oxigraph server", f"http://127.0.0.1:{port}/query", {"union-default-graph": ""}, oxigraph.pid)]
    rdflib_endpoint: tuple[subprocess.Popen[bytes], int] | None = None
    copies: list[Path] = []
    servers: dict[str, Server] = {}
    try:
        if "rdflib-endpoint" in peers:
            rdflib_endpoint = start_rdflib_endpoint(dump, args.workdir / "rdflib-endpoint.log")
        for name in ("embedded", "forked"):
            if name in peers:
                copies.append(args.workdir / f"peers-{'served' if name == 'embedded' else name}-{args.actors}")
                clone_store(directory, copies[-1])
                env = {"ACTORGRAPH_QUERY_ISOLATION": "process"} if name == "forked" else None
                servers[name] = Server(copies[-1], env=env, log=args.workdir / f"{name}.log", label=PEERS[name])
        if "remote" in peers:
            servers["remote"] = Server(f"oxigraph+http://127.0.0.1:{port}", log=args.workdir / "remote.log", label=PEERS["remote"])
        for name, label in PEERS.items():
            if name in servers:
                servers[name].wait_ready(600)
                endpoints.append(Endpoint(label, f"{servers[name].base}/sparql", {}, servers[name].pid))
            elif name == "rdflib-endpoint" and rdflib_endpoint:
                endpoints.append(Endpoint(label, f"http://127.0.0.1:{rdflib_endpoint[1]}/", {}, rdflib_endpoint[0].pid))
        measure(endpoints, args, triples, egos)
    finally:
        for server in servers.values():
            server.stop()
        for process in [oxigraph] + ([rdflib_endpoint[0]] if rdflib_endpoint else []):
            process.terminate()
            process.wait(timeout=30)
        for copy in copies:
            shutil.rmtree(copy, ignore_errors=True)


def measure(endpoints: Sequence[Endpoint], args: argparse.Namespace, quads: int, egos: Sequence[str]) -> None:
    """The interleaved queries, the throughput run and the RSS, each against Oxigraph server."""
    out(f"{quads:,} quads; {len(egos)} egos; {args.repeat} interleaved rounds; load average {os.getloadavg()[0]:.1f}")
    queries: dict[str, list[str]] = {
        "2-hop at a date": two_hop_texts(egos),
        "label look-up": [LABEL_QUERY.format(iri=str(ox.NamedNode(ego))) for ego in egos],
        "COUNT(*)": [COUNT_QUERY],
        "10,000 rows": [ROWS_QUERY],
    }
    for name, texts in queries.items():
        answers = {e.name: [e.answer(t) for t in texts] for e in endpoints}
        variants: list[tuple[str, Callable[[str], Any]]] = [(e.name, e.ask) for e in endpoints]
        repeat = args.repeat if len(texts) > 1 else args.repeat * 4
        samples = interleaved(variants, texts, repeat)
        reference = samples["Oxigraph server"].p50()
        out(f"\n{name} ({agreement(answers)}); ms per request")
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
    reference_rss = rss_mb(endpoints[0].pid)
    for e in endpoints:
        children = child_pids(e.pid)
        workers = sum(rss_mb(child) for child in children)
        out(f"    {e.name:<32} {rss_mb(e.pid):8.0f}  x{rss_mb(e.pid) / reference_rss:5.2f} of Oxigraph server"
            f"   children: {len(children)}, {workers:,.0f} MB")


def agreement(answers: dict[str, list[tuple[int, str | None]]]) -> str:
    """Whether every server gave the same rows per answer (and the same ?n for a COUNT); if not, which
    servers gave which (the first three answers)."""
    groups: dict[tuple[tuple[int, str | None], ...], list[str]] = {}
    for name, given in answers.items():
        groups.setdefault(tuple(given), []).append(name)
    if len(groups) == 1:
        counted = next(iter(answers.values()))[0][1]
        return "answers equal across servers" + (f": n = {counted}" if counted is not None else "")

    def shown(given: tuple[tuple[int, str | None], ...]) -> str:
        return ", ".join(f"n = {n}" if n is not None else f"{rows} rows" for rows, n in given[:3])

    return "answers DIFFER: " + "; ".join(f"{shown(given)} from {', '.join(names)}" for given, names in groups.items())


if __name__ == "__main__":
    main()
