"""Latency of the HTTP API against the Python functions and raw pyoxigraph, and against rdflib.

Prints figures; it does not pass or fail. For each scale (`--scales 1m,10m`: 63,000 synthetic
actors give ~1.0M triples, 630,000 give ~10M) it builds or reuses the store of bench/tracing.py
(`actorgraph init` + `load --trusted` + `reason`), serves a hard-linked copy of it with a real
`actorgraph serve` (uvicorn) on a free 127.0.0.1 port, and measures in ONE run, interleaving the
variants call by call so that the noise of a shared machine hits them alike:

- 2-hop ego network at a date, 4-hop shortest paths, a named query of the library, actor search:
  the Python function (graph.tracing / graph.index) or the .rq text on pyoxigraph, the route
  handler called in-process (dataset, index, id resolution, response model), the same plus the
  response's JSON, and the HTTP request; the API overhead is HTTP p50 - direct p50;
- what a request pays besides the work itself: the caller's dataset and the index's cache key
  (each a query of the store's records), resolving the id, an HTTP request that does no store work,
  an API key, and a query run in a forked child (graph.store.limits) or a thread;
- the same 2-hop question through rdflib's own engine (the synthetic graph copied into an
  rdflib Graph): one SPARQL query run by both engines, and graph.network.network itself with
  rdflib answering its per-node edge query; skipped at 10M when memory would not allow it;
- POST /sparql throughput, a label look-up with LIMIT, 8 concurrent clients, against the server
  as configured by default (queries in its pool of query workers) and, memory allowing, a second server with
  ACTORGRAPH_QUERY_ISOLATION=thread. The forks of graph.store.limits are also timed in-process.

    .venv/bin/python bench/api_latency.py --scales 1m --workdir /tmp/actorgraph-bench
    .venv/bin/python bench/api_latency.py --scales 1m,10m --workdir /tmp/actorgraph-bench

The stores are the ones bench/tracing.py builds (store-63000, store-630000 in --workdir), so a
workdir shared with it is built once. Inputs are its samples (same seed, same actors, pairs and
search strings). Times are wall-clock milliseconds per call, after one untimed warm-up pass.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pyoxigraph as ox
import tracing as tracing_bench  # bench/tracing.py: the store, the samples
from harness import Server, clone_store, mem_available_mb, out, rss_mb
from latency.api_routes import check_answers, measure_ego, measure_named, measure_paths, measure_per_request, measure_search
from latency.common import SCALES, Http, Summary, reader_key, search_is_warm
from latency.rdflib_baseline import measure_rdflib
from latency.sparql_load import measure_sparql

from api.settings import Settings
from graph.index.cache import index_for
from graph.store import EmbeddedStore


def fake_request(store: EmbeddedStore) -> Any:
    """What the route handlers read from a request: the app's store and settings."""
    settings = Settings(store=None)
    state = SimpleNamespace(store=store, settings=settings, query_limits=settings.query_limits())
    return SimpleNamespace(app=SimpleNamespace(state=state), headers={}, query_params={})


def run_scale(scale: str, actors: int, args: argparse.Namespace, rdflib_per_mtriple: dict[str, float]) -> Summary:
    summary = Summary(scale)
    args.at_1m = actors == SCALES["1m"]
    scale_started = time.monotonic()
    deadline = scale_started + args.budget_minutes * 60
    out(f"\n======== {scale}: {actors:,} synthetic actors ========")
    started = time.perf_counter()
    directory = tracing_bench.build_store(args.workdir, actors)
    out(f"store {directory} ready in {time.perf_counter() - started:.1f} s (built once per workdir, then reused)")

    # The server opens a copy: RocksDB allows one process per directory, and the bench keeps its own.
    served = args.workdir / f"served-{actors}"
    clone_store(directory, served)
    key = reader_key(served)
    servers = {"process": Server(served, log=args.workdir / f"serve-{actors}.log", label="default")}
    # A second server holds a second name index: about 0.42 GB per 63,000 actors (measured at 1M).
    need_gb = 3 * 0.42 * actors / SCALES["1m"]
    compare_isolation = args.isolation_compare == "on" or (args.isolation_compare == "auto" and need_gb < 0.8 * mem_available_mb() / 1024)
    if not compare_isolation:
        out(f"no thread-isolation server to compare with (--isolation-compare {args.isolation_compare}; two servers and the bench need about {need_gb:.1f} GB)")
    if compare_isolation:
        threaded = args.workdir / f"served-{actors}-thread"
        clone_store(directory, threaded)
        servers["thread"] = Server(threaded, env={"ACTORGRAPH_QUERY_ISOLATION": "thread"}, log=args.workdir / f"serve-{actors}-thread.log", label="thread-isolation")

    try:
        store, dataset = tracing_bench.open_bench_store(directory)
        started, started_cpu = time.perf_counter(), time.process_time()
        index = index_for(store, dataset)
        out(
            f"bench process: {store.size():,} quads; subject index built in {time.perf_counter() - started:.1f} s "
            f"(cpu {time.process_time() - started_cpu:.1f} s) while the server{'s' if len(servers) > 1 else ''} warmed up"
        )
        summary.triples = f"{store.size() / 1e6:.2f}M quads"
        for server in servers.values():
            ready = server.wait_ready(args.ready_timeout, ready=search_is_warm)
            out(f"server ({server.label}, pid {server.pid}, {server.base}): ready after {ready:.1f} s, RSS {rss_mb(server.pid):,.0f} MB")
        main = servers["process"]
        http = Http(main)
        defaults = Settings()
        out(
            f"server settings: defaults (query isolation {defaults.query_isolation}, {defaults.query_workers} query workers, "
            f"timeout {defaults.query_timeout:g} s); uvicorn {uvicorn_loop()}; {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        request = fake_request(store)

        egos = tracing_bench.sample_actors(store, dataset, args.samples, args.seed)
        units = tracing_bench.sample_units(store, dataset, args.samples, args.seed)
        pairs = tracing_bench.sample_path_pairs(store, dataset, max(5, args.samples // 4), args.seed)
        texts = tracing_bench.sample_queries(store, dataset, args.samples, args.seed)
        out(f"inputs: {len(egos)} actors, {len(units)} security-force units, {len(pairs)} path pairs, {len(texts)} search strings (seed {args.seed})")
        check_answers(http, store, dataset, egos[:10], pairs[:5], texts[:10])

        measure_ego(summary, store, dataset, request, http, egos, units, key, args, deadline)
        measure_paths(summary, store, dataset, request, http, pairs, args, deadline)
        measure_named(summary, store, dataset, http, units, egos, args, deadline)
        measure_search(summary, store, dataset, request, http, texts, args, deadline)
        measure_per_request(summary, store, dataset, index, http, egos, args, deadline)
        measure_sparql(summary, store, dataset, servers, egos, args, deadline)
        if "thread" in servers:  # done with; its memory goes back to the machine before rdflib's copy
            servers.pop("thread").stop()
        measure_rdflib(summary, store, dataset, index, http, egos, actors, args, deadline, rdflib_per_mtriple)
        gc.collect()  # the rdflib copy goes with the function's frame
        store.close()
    finally:
        for server in servers.values():
            server.stop()
        for path in [served, args.workdir / f"served-{actors}-thread"]:
            shutil.rmtree(path, ignore_errors=True)
    out(f"\n{scale} done in {(time.monotonic() - scale_started) / 60:.1f} min; load average {os.getloadavg()[0]:.1f}")
    return summary


def uvicorn_loop() -> str:
    """Which HTTP parser and event loop uvicorn picks ('auto' takes httptools/uvloop when installed)."""
    parts = []
    for module, fast, slow in (("httptools", "httptools parser", "h11 parser (pure Python)"), ("uvloop", "uvloop", "asyncio loop")):
        try:
            __import__(module)
            parts.append(fast)
        except ImportError:
            parts.append(slow)
    return ", ".join(parts)


def print_summary(summaries: Sequence[Summary], args: argparse.Namespace) -> None:
    out("\n======== summary (ms: p50 / p95; overhead = HTTP p50 - direct p50) ========")
    for summary in summaries:
        out(f"\n{summary.scale} ({summary.triples})")
        out(f"| {'measurement':<52} | {'direct':<20} | {'HTTP API':<20} | {'overhead':>8} | goal / note")
        out(f"|{'-' * 54}|{'-' * 22}|{'-' * 22}|{'-' * 10}|------")
        for what, direct, http, overhead, note in summary.rows:
            out(f"| {what:<52} | {direct:<20} | {http:<20} | {overhead:>8} | {note}")
        for note in summary.notes:
            out(f"  - {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1m", help="comma-separated: 1m (63,000 actors), 10m (630,000 actors)")
    parser.add_argument("--workdir", type=Path, default=None, help="where the stores live; reused when present (shared with bench/tracing.py)")
    parser.add_argument("--samples", type=int, default=40, help="inputs per measurement")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds over the inputs")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for the /sparql throughput")
    parser.add_argument("--sparql-requests", type=int, default=800, help="requests per server for the throughput")
    parser.add_argument("--rdflib", choices=("auto", "on", "off"), default="auto", help="auto: skipped when memory or time would not allow it")
    parser.add_argument("--rdflib-samples", type=int, default=20, help="actors for the rdflib comparison")
    parser.add_argument("--rdflib-rounds", type=int, default=3)
    parser.add_argument("--naive-cap", type=float, default=30.0, help="seconds allowed to the obvious 2-hop query on rdflib (0: skip)")
    parser.add_argument("--isolation-compare", choices=("auto", "on", "off"), default="auto", help="a second server with thread isolation (auto: when memory allows)")
    parser.add_argument("--budget-minutes", type=float, default=25.0, help="per scale; later measurements are cut short past it")
    parser.add_argument("--ready-timeout", type=float, default=900.0, help="seconds to wait for a server's name index")
    args = parser.parse_args()
    args.rdflib = {"on": True, "off": False}.get(args.rdflib, "auto")

    scales = [s.strip().lower() for s in args.scales.split(",") if s.strip()]
    unknown = [s for s in scales if s not in SCALES]
    if unknown:
        raise SystemExit(f"unknown scale(s) {unknown}; use {', '.join(SCALES)}")
    args.workdir = args.workdir or Path(tempfile.mkdtemp(prefix="actorgraph-bench-"))
    args.workdir.mkdir(parents=True, exist_ok=True)
    import platform

    import rdflib

    out(
        f"api_latency: {time.strftime('%Y-%m-%d %H:%M %Z')}; Python {platform.python_version()}, pyoxigraph {ox.__version__}, "
        f"rdflib {rdflib.__version__}, httpx {httpx.__version__}"
    )
    out(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{mem_available_mb() / 1024:.1f} GB available, load average {os.getloadavg()[0]:.1f}; workdir {args.workdir}"
    )
    per_mtriple: dict[str, float] = {}
    summaries = [run_scale(scale, SCALES[scale], args, per_mtriple) for scale in scales]
    print_summary(summaries, args)


if __name__ == "__main__":
    main()
