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
  rdflib Graph): one SPARQL query run by both engines, and graph.tracing.network.network itself with
  rdflib answering its per-node edge query; skipped at 10M when memory would not allow it;
- POST /sparql throughput, a label look-up with LIMIT, 8 concurrent clients, against the server
  as configured by default (queries in a forked child) and, memory allowing, a second server with
  ACTORGRAPH_QUERY_ISOLATION=thread. The forks of graph.store.limits are also timed in-process.

    .venv/bin/python bench/api_latency.py --scales 1m --workdir /tmp/actorgraph-bench
    .venv/bin/python bench/api_latency.py --scales 1m,10m --workdir /tmp/actorgraph-bench

The stores are the ones bench/tracing.py builds (store-63000, store-630000 in --workdir), so a
workdir shared with it is built once. Inputs are its samples (same seed, same actors, pairs and
search strings). Times are wall-clock milliseconds per call, after one untimed warm-up pass.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import inspect
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import pyoxigraph as ox
from pydantic import TypeAdapter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tracing as harness  # bench/tracing.py: the store, the samples, percentile

from api.settings import Settings
from api.web import models
from api.web.dependencies import dataset_for_caller
from api.web.routers import actors as actors_route
from api.web.routers import paths as paths_route
from api.web.security import ANONYMOUS
from graph.index.cache import graph_state, index_for, search_actors
from graph.index.names import local_name
from graph.index.subjects import SubjectIndex
from graph.query import named_queries, sparql
from graph.store import EmbeddedStore
from graph.store.limits import QueryLimits
from graph.tracing.edges import data_graphs
from graph.tracing.naming import resolve_kind
from graph.tracing.network import DEFAULT_MAX_NODES, network
from graph.tracing.paths import paths
from ontology.namespaces import SYNTHETIC_GRAPH, XSD
from queries import catalog

SCALES = {"1m": 63_000, "10m": 630_000}
AT = harness.AT
KINDS = ("actor", "program", "incident")
ACTORGRAPH = Path(sys.executable).parent / "actorgraph"
T = TypeVar("T")

# Goals of issue 3, printed next to the figures (stated for the 1M graph).
GOAL_OVERHEAD_MS = 2.0
GOAL_EGO_MS = 10.0
GOAL_SEARCH_MS = 50.0
GOAL_RDFLIB_RATIO = 100.0

LABEL_QUERY = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?label WHERE {{ {iri} rdfs:label ?label }} LIMIT 1"


def out(text: str = "") -> None:
    print(text, flush=True)


#################################################################
# Interleaved timing
#################################################################


@dataclass
class Samples:
    """Milliseconds per call of one variant, kept per input so that subsets compare like with like."""

    name: str
    by_input: list[list[float]]

    def values(self, subset: Sequence[int] | None = None) -> list[float]:
        rows = self.by_input if subset is None else [self.by_input[i] for i in subset]
        return [t for row in rows for t in row]

    def p50(self, subset: Sequence[int] | None = None) -> float:
        return harness.percentile(self.values(subset), 0.5)

    def p95(self, subset: Sequence[int] | None = None) -> float:
        return harness.percentile(self.values(subset), 0.95)

    @property
    def n(self) -> int:
        return len(self.values())


def interleaved(
    variants: Sequence[tuple[str, Callable[[T], object]]], inputs: Sequence[T], repeat: int, *, deadline: float | None = None
) -> dict[str, Samples]:
    """One untimed pass of every variant over every input, then `repeat` rounds in which every input
    is run by every variant back to back, in a shuffled order (seeded): a rotation would keep each
    variant behind the same neighbour, and the call right after an HTTP request shares the CPUs
    with the server finishing it. Stops early (keeping what it has, at least one round) when
    `deadline` (time.monotonic) passes."""
    rng = random.Random(len(inputs))
    for item in inputs:
        for _, call in variants:
            call(item)
    samples = {name: Samples(name, [[] for _ in inputs]) for name, _ in variants}
    for round_ in range(repeat):
        if round_ and deadline is not None and time.monotonic() > deadline:
            out(f"    (stopped after {round_} of {repeat} rounds: time budget)")
            break
        for i, item in enumerate(inputs):
            order = list(variants)
            rng.shuffle(order)
            for name, call in order:
                started = time.perf_counter()
                call(item)
                samples[name].by_input[i].append((time.perf_counter() - started) * 1000)
    return samples


def row(label: str, samples: Samples, note: str = "", subset: Sequence[int] | None = None) -> None:
    values = samples.values(subset)
    out(f"    {label:<58} p50 {harness.percentile(values, 0.5):8.2f}  p95 {harness.percentile(values, 0.95):8.2f}  n={len(values):<4} {note}")


def goal(value: float, limit: float, what: str, applies: bool, *, at_least: bool = False) -> str:
    """The goal next to a figure; the goals are stated for the 1M graph, so elsewhere only recalled."""
    sign = ">=" if at_least else "<="
    if not applies:
        return f"(goal at 1M: {what} {sign} {limit:g}; not stated for this scale)"
    met = value >= limit if at_least else value <= limit
    return f"goal at 1M: {what} {sign} {limit:g}: {'met' if met else 'NOT met'}"


#################################################################
# The server
#################################################################


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clone_store(source: Path, target: Path) -> None:
    """A copy of a closed store for a server to open (RocksDB lets one process open a directory).
    SST and blob files are immutable once written, so they are hard-linked, as RocksDB's own
    checkpoints do; the manifest, WAL and options files, which are appended to, are copied."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for item in source.iterdir():
        if item.is_dir():
            shutil.copytree(item, target / item.name)
        elif item.suffix in (".sst", ".blob"):
            os.link(item, target / item.name)
        else:
            shutil.copy2(item, target / item.name)


class Server:
    """`actorgraph serve` in a subprocess, on a free loopback port, with its own log file."""

    def __init__(self, store: Path, log: Path, env: dict[str, str], label: str) -> None:
        self.label, self.store, self.log_path = label, store, log
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        clean = {k: v for k, v in os.environ.items() if not k.startswith("ACTORGRAPH_")}
        self.log = open(log, "wb")  # noqa: SIM115  closed in stop()
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [str(ACTORGRAPH), "serve", "--store", str(store), "--port", str(self.port), "--host", "127.0.0.1"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**clean, **env},
        )
        self.client = httpx.Client(base_url=self.base, timeout=httpx.Timeout(120.0))

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self, timeout: float) -> float:
        """Seconds from start until the server answers a search fast, i.e. its name index is built
        (a search waits for the start-up build of graph.index.cache.warm rather than building twice)."""
        deadline = self.started + timeout
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"the {self.label} server exited ({self.process.returncode}); see {self.log_path}")
            if time.monotonic() > deadline:
                raise SystemExit(f"the {self.label} server was not ready after {timeout:.0f} s; see {self.log_path}")
            try:
                started = time.perf_counter()
                response = self.client.get("/actors", params={"q": "brigade", "limit": 1})
                if response.status_code == 200 and time.perf_counter() - started < 0.5:
                    return time.monotonic() - self.started
            except httpx.TransportError:
                time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and of its reaped children (forked query workers)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def mem_available_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return 0.0


def create_key(store: Path) -> str | None:
    """A reader API key in the served copy (never in the bench's own store), to time auth."""
    result = subprocess.run(
        [str(ACTORGRAPH), "keys", "create", "--role", "reader", "--name", "api-latency bench", "--store", str(store)],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("ACTORGRAPH_")},
    )
    token = result.stdout.split("\n", 1)[0].strip()
    return token if result.returncode == 0 and token.startswith("ag_") else None


class Http:
    """GETs and POSTs that must answer 200; counts requests, so server CPU per request can be told."""

    def __init__(self, server: Server) -> None:
        self.server, self.requests = server, 0

    def get(self, path: str, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> bytes:
        self.requests += 1
        response = self.server.client.get(path, params=params, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} {params} -> {response.status_code}: {response.text[:300]}")
        return response.content

    def sparql(self, text: str) -> bytes:
        self.requests += 1
        response = self.server.client.post("/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"})
        if response.status_code != 200:
            raise RuntimeError(f"POST /sparql -> {response.status_code}: {response.text[:300]}")
        return response.content


class ServerCpu:
    """Server CPU per HTTP request over a phase (the server does nothing else meanwhile)."""

    def __init__(self, http: Http) -> None:
        self.http = http

    def __enter__(self) -> ServerCpu:
        self.cpu, self.requests = self.http.server.cpu_seconds(), self.http.requests
        return self

    def __exit__(self, *exc: object) -> None:
        self.per_request_ms = (self.http.server.cpu_seconds() - self.cpu) * 1000 / max(1, self.http.requests - self.requests)


def network_path(iri: str) -> str:
    return f"/actors/{quote(iri, safe='')}/network"


#################################################################
# rdflib, as the naive baseline
#################################################################


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Any:
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def rdflib_graph(store: EmbeddedStore) -> tuple[Any, float, float, float, int]:
    """The synthetic graph copied into an rdflib Graph (its default in-memory store): the graph,
    seconds, MB of resident memory it added, MB at the peak of the copy, triples."""
    import rdflib

    gc.collect()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets the peak (VmHWM) to the current RSS
    before, started = rss_mb(), time.perf_counter()
    graph = rdflib.Graph()
    converted: dict[object, Any] = {}

    def term(value: Any) -> Any:
        found = converted.get(value)
        if found is None:
            found = converted[value] = to_rdflib(value)
        return found

    synthetic = ox.NamedNode(SYNTHETIC_GRAPH)
    graph.addN((term(q.subject), term(q.predicate), term(q.object), graph) for q in store.raw.quads_for_pattern(None, None, None, synthetic))
    converted.clear()
    gc.collect()
    return graph, time.perf_counter() - started, rss_mb() - before, peak_mb() - before, len(graph)


class _Value:
    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value


class RdflibEngine:
    """Just enough of graph.store.GraphStore for graph.tracing.edges.edges_of to run its query
    (queries/tracing/edges.rq) on rdflib's engine, values bound with initBindings."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph

    def query(self, text: str, *, substitutions: dict[str, Any] | None = None, **_: object) -> Iterator[dict[str, _Value | None]]:
        bindings = {str(name): to_rdflib(value) for name, value in (substitutions or {}).items()}
        result = self.graph.query(text, initBindings=bindings)
        names = [str(v) for v in result.vars]
        for solution in result:
            yield {name: (None if value is None else _Value(str(value))) for name, value in zip(names, solution)}


def edge_roles() -> list[str]:
    """The role properties of queries/tracing/edges.rq's VALUES table (the one place that says
    which roles make an edge), as prefixed names."""
    text = catalog.text("tracing/edges")
    table = re.search(r"VALUES \(\?role \?otherRole[^)]*\) \{(.*?)\n\s*\}", text, re.DOTALL)
    if table is None:
        raise SystemExit("cannot find the role table in queries/tracing/edges.rq")
    return sorted({role for role, _ in re.findall(r"\((\S+) (\S+) (?:true|false) (?:true|false) \d+\)", table.group(1))})


def two_hop_query() -> str:
    """One SPARQL query for the relations and nodes within two relations of ?ego valid at ?at.

    Property-path alternatives over the role properties, all patterns in one basic graph pattern
    and the filters last: the shape under which rdflib binds ?ego first and walks out from it (with
    the roles in variables and FILTER ... IN, rdflib ran over 2 minutes per ego on 1M triples, and
    pyoxigraph too is only fast with that shape when the IRI is in the text, since it plans before
    substitutions apply). ?ego and ?at are bound by pyoxigraph substitutions / rdflib initBindings.
    A node whose relation has two role pairs (a mitigation naming a court and a program) gives one
    edge per pair here, and the role pairs are not checked, so the edges can be a superset of the
    API's; on the synthetic data the node sets come out equal (checked and printed)."""
    text = catalog.text("tracing/edges")
    prefixes = "\n".join(line for line in text.splitlines() if line.startswith("PREFIX"))
    alt = "(" + "|".join(edge_roles()) + ")"
    return f"""{prefixes}
SELECT ?ego ?at ?r1 ?n1 ?r2 ?n2 WHERE {{
  ?r1 {alt} ?ego . ?r1 {alt} ?n1 . ?r2 {alt} ?n1 . ?r2 {alt} ?n2 .
  OPTIONAL {{ ?r1 ag:startDate ?s1 }} OPTIONAL {{ ?r1 ag:endDate ?e1 }}
  OPTIONAL {{ ?r2 ag:startDate ?s2 }} OPTIONAL {{ ?r2 ag:endDate ?e2 }}
  FILTER(COALESCE(?s1 <= ?at, true) && COALESCE(?e1 >= ?at, true) && COALESCE(?s2 <= ?at, true) && COALESCE(?e2 >= ?at, true))
}}"""


def naive_two_hop_query() -> str:
    """The same question written the obvious way (roles in variables, FILTER ... IN): fast on
    pyoxigraph with the IRI in the text, pathological on rdflib, which does not push filters down."""
    text = catalog.text("tracing/edges")
    prefixes = "\n".join(line for line in text.splitlines() if line.startswith("PREFIX"))
    roles = ", ".join(edge_roles())
    return f"""{prefixes}
SELECT ?ego ?at ?r1 ?n1 ?r2 ?n2 WHERE {{
  ?r1 ?role1 ?ego . ?r1 ?other1 ?n1 . ?r2 ?role2 ?n1 . ?r2 ?other2 ?n2 .
  FILTER(?role1 IN ({roles}) && ?other1 IN ({roles}) && ?other1 != ?role1 && ?role2 IN ({roles}) && ?other2 IN ({roles}) && ?other2 != ?role2)
  OPTIONAL {{ ?r1 ag:startDate ?s1 }} OPTIONAL {{ ?r1 ag:endDate ?e1 }}
  OPTIONAL {{ ?r2 ag:startDate ?s2 }} OPTIONAL {{ ?r2 ag:endDate ?e2 }}
  FILTER(COALESCE(?s1 <= ?at, true) && COALESCE(?e1 >= ?at, true) && COALESCE(?s2 <= ?at, true) && COALESCE(?e2 >= ?at, true))
}}"""


class _Late(Exception):
    pass


def capped(call: Callable[[], object], seconds: float) -> float | None:
    """Milliseconds of a pure-Python call (rdflib), or None when it ran past `seconds` and was
    interrupted by SIGALRM (main thread only)."""

    def late(*_: object) -> None:
        raise _Late()

    previous = signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.perf_counter()
    try:
        call()
        return (time.perf_counter() - started) * 1000
    except _Late:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def two_hop_sets(rows: Sequence[Any], ego: str, value: Callable[[Any], str | None]) -> tuple[set[str], set[str]]:
    nodes, relations = {ego}, set()
    for solution in rows:
        for node, relation in (("n1", "r1"), ("n2", "r2")):
            if (n := value(solution[node])) is not None:
                nodes.add(n)
            if (r := value(solution[relation])) is not None:
                relations.add(r)
    return nodes, relations


#################################################################
# One scale
#################################################################


@dataclass
class Summary:
    """The figures of one scale for the closing table and the README."""

    scale: str
    triples: str = ""
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, what: str, direct: Samples | None, http: Samples | None, goal_text: str = "", subset: Sequence[int] | None = None) -> None:
        d = f"{direct.p50(subset):.2f} / {direct.p95(subset):.2f}" if direct else "-"
        h = f"{http.p50(subset):.2f} / {http.p95(subset):.2f}" if http else "-"
        overhead = f"{http.p50(subset) - direct.p50(subset):+.2f}" if direct and http else "-"
        self.rows.append((what, d, h, overhead, goal_text))


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
    directory = harness.build_store(args.workdir, actors)
    out(f"store {directory} ready in {time.perf_counter() - started:.1f} s (built once per workdir, then reused)")

    # The server opens a copy: RocksDB allows one process per directory, and the bench keeps its own.
    served = args.workdir / f"served-{actors}"
    clone_store(directory, served)
    key = create_key(served)
    servers = {"process": Server(served, args.workdir / f"serve-{actors}.log", {}, "default")}
    # A second server holds a second name index: about 0.42 GB per 63,000 actors (measured at 1M).
    need_gb = 3 * 0.42 * actors / SCALES["1m"]
    compare_isolation = args.isolation_compare == "on" or (args.isolation_compare == "auto" and need_gb < 0.8 * mem_available_mb() / 1024)
    if not compare_isolation:
        out(f"no thread-isolation server to compare with (--isolation-compare {args.isolation_compare}; two servers and the bench need about {need_gb:.1f} GB)")
    if compare_isolation:
        threaded = args.workdir / f"served-{actors}-thread"
        clone_store(directory, threaded)
        servers["thread"] = Server(threaded, args.workdir / f"serve-{actors}-thread.log", {"ACTORGRAPH_QUERY_ISOLATION": "thread"}, "thread-isolation")

    try:
        store, dataset = harness.open_bench_store(directory)
        started, started_cpu = time.perf_counter(), time.process_time()
        index = index_for(store, dataset)
        out(
            f"bench process: {store.size():,} quads; subject index built in {time.perf_counter() - started:.1f} s "
            f"(cpu {time.process_time() - started_cpu:.1f} s) while the server{'s' if len(servers) > 1 else ''} warmed up"
        )
        summary.triples = f"{store.size() / 1e6:.2f}M quads"
        for server in servers.values():
            ready = server.wait_ready(args.ready_timeout)
            out(f"server ({server.label}, pid {server.pid}, {server.base}): ready after {ready:.1f} s, RSS {server.rss_mb():,.0f} MB")
        main = servers["process"]
        http = Http(main)
        defaults = Settings()
        out(
            f"server settings: defaults (query isolation {defaults.query_isolation}, {defaults.query_workers} query workers, "
            f"timeout {defaults.query_timeout:g} s); uvicorn {uvicorn_loop()}; {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        request = fake_request(store)

        egos = harness.sample_actors(store, dataset, args.samples, args.seed)
        units = harness.sample_units(store, dataset, args.samples, args.seed)
        pairs = harness.sample_path_pairs(store, dataset, max(5, args.samples // 4), args.seed)
        texts = harness.sample_queries(store, dataset, args.samples, args.seed)
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


def check_answers(http: Http, store: EmbeddedStore, dataset: sparql.Dataset, egos: Sequence[str], pairs: Sequence[tuple[str, str]], texts: Sequence[str]) -> None:
    """The HTTP answers are the function's answers (else the comparison would mean nothing)."""
    bad = []
    for ego in egos:
        direct = network(store, dataset, ego, depth=2, at=AT)
        served = json.loads(http.get(network_path(ego), {"depth": 2, "at": AT.isoformat()}))
        if {n.id for n in direct.nodes} != {n["id"] for n in served["nodes"]}:
            bad.append(f"network {ego}")
    for a, b in pairs:
        direct_paths = paths(store, dataset, a, b, max_hops=4)
        served = json.loads(http.get("/paths", {"from": a, "to": b, "max": 4}))
        if direct_paths.length != served["length"] or len(direct_paths.paths) != len(served["paths"]):
            bad.append(f"paths {a} {b}")
    for q in texts:
        direct_hits = [h.subject.iri for h in search_actors(store, dataset, q, limit=20).hits]
        served = json.loads(http.get("/actors", {"q": q, "limit": 20}))
        if direct_hits != [r["id"] for r in served["results"]]:
            bad.append(f"search {q!r}")
    checked = len(egos) + len(pairs) + len(texts)
    out(f"check: HTTP and direct answers agree on {checked - len(bad)} of {checked} inputs" + (f"; differ: {bad[:5]}" if bad else ""))


def measure_ego(
    summary: Summary, store: EmbeddedStore, dataset: sparql.Dataset, request: Any, http: Http,
    egos: Sequence[str], units: Sequence[str], key: str | None, args: argparse.Namespace, deadline: float,
) -> None:
    adapter = TypeAdapter(models.Network)
    params = {"depth": 2, "at": AT.isoformat()}

    def route(ego: str) -> Any:
        # What the route's dependencies hand it: the store, and the caller's dataset (a query of the registry).
        return actors_route.actor_network(
            store, dataset_for_caller(store, ANONYMOUS), id=ego, depth=2, at=AT, types=None, max_nodes=DEFAULT_MAX_NODES
        )

    variants: list[tuple[str, Callable[[str], object]]] = [
        ("function", lambda ego: network(store, dataset, ego, depth=2, at=AT)),
        ("route", route),
        ("route+json", lambda ego: adapter.dump_json(adapter.validate_python(route(ego)))),
        ("http", lambda ego: http.get(network_path(ego), params)),
    ]
    if key:
        variants.append(("http+key", lambda ego: http.get(network_path(ego), params, {"Authorization": f"Bearer {key}"})))
    for label, inputs in (("random actors", egos), ("security-force units", units)):
        sizes = [len(network(store, dataset, ego, depth=2, at=AT).nodes) for ego in inputs]
        out(f"\n2-hop ego network at {AT}, {label} (nodes per network: median {statistics.median(sizes):.0f}, max {max(sizes)}); ms per call")
        with ServerCpu(http) as cpu:
            s = interleaved(variants, inputs, args.repeat, deadline=deadline)
        row("graph.tracing.network.network (direct)", s["function"])
        row("route handler in-process (+ dataset, index, id, model)", s["route"])
        row("route handler + response JSON (pydantic dump_json)", s["route+json"])
        row("HTTP GET /actors/{id}/network?depth=2&at=", s["http"], f"server CPU {cpu.per_request_ms:.2f} ms/request")
        if "http+key" in s:
            row("HTTP, same, with an API key (reader)", s["http+key"])
        overhead = s["http"].p50() - s["function"].p50()
        out(
            f"    API overhead p50 {overhead:+.2f} ms (route {s['route'].p50() - s['function'].p50():+.2f}, "
            f"JSON {s['route+json'].p50() - s['route'].p50():+.2f}, HTTP+uvicorn+client {s['http'].p50() - s['route+json'].p50():+.2f}"
            + (f", API key {s['http+key'].p50() - s['http'].p50():+.2f}" if "http+key" in s else "")
            + ")"
        )
        if label == "random actors":
            out(f"    {goal(overhead, GOAL_OVERHEAD_MS, 'API overhead p50 ms', args.at_1m)}; {goal(s['http'].p50(), GOAL_EGO_MS, '2-hop ego HTTP p50 ms', args.at_1m)}")
            summary.add("2-hop ego network at a date (random actors)", s["function"], s["http"], f"goals: ego <= {GOAL_EGO_MS:g} ms, overhead <= {GOAL_OVERHEAD_MS:g} ms" if args.at_1m else "")
        else:
            summary.add("2-hop ego network at a date (units)", s["function"], s["http"])


def measure_paths(
    summary: Summary, store: EmbeddedStore, dataset: sparql.Dataset, request: Any, http: Http,
    pairs: Sequence[tuple[str, str]], args: argparse.Namespace, deadline: float,
) -> None:
    adapter = TypeAdapter(models.Paths)

    def route(pair: tuple[str, str]) -> Any:
        return paths_route.find_paths(
            store, dataset_for_caller(store, ANONYMOUS), source=pair[0], target=pair[1], max_hops=4, at=None, types=None, limit=10
        )

    variants: list[tuple[str, Callable[[tuple[str, str]], object]]] = [
        ("function", lambda pair: paths(store, dataset, pair[0], pair[1], max_hops=4)),
        ("route", route),
        ("route+json", lambda pair: adapter.dump_json(adapter.validate_python(route(pair)))),
        ("http", lambda pair: http.get("/paths", {"from": pair[0], "to": pair[1], "max": 4})),
    ]
    expanded = statistics.median(paths(store, dataset, a, b, max_hops=4).expanded for a, b in pairs)
    out(f"\n4-hop shortest paths, pairs exactly 4 relations apart (median nodes expanded {expanded:.0f}); ms per call")
    with ServerCpu(http) as cpu:
        s = interleaved(variants, pairs, args.repeat, deadline=deadline)
    row("graph.tracing.paths.paths (direct)", s["function"])
    row("route handler in-process", s["route"])
    row("route handler + response JSON", s["route+json"])
    row("HTTP GET /paths?from=&to=&max=4", s["http"], f"server CPU {cpu.per_request_ms:.2f} ms/request")
    out(f"    API overhead p50 {s['http'].p50() - s['function'].p50():+.2f} ms")
    summary.add("4-hop shortest paths", s["function"], s["http"])


def queries_route(http: Http) -> str | None:
    """The path template of GET /queries/{name}, if this build serves one."""
    spec = json.loads(http.get("/openapi.json"))
    for path, operations in spec.get("paths", {}).items():
        if re.fullmatch(r"/queries/\{[^}]+\}", path) and "get" in operations:
            return path
    return None


def measure_named(
    summary: Summary, store: EmbeddedStore, dataset: sparql.Dataset, http: Http,
    units: Sequence[str], egos: Sequence[str], args: argparse.Namespace, deadline: float,
) -> None:
    graphs = list(dataset.graphs)
    day = ox.Literal(AT.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    route = queries_route(http)
    # The route runs the library query under limits: the app's library limits where this build has
    # them (api.web.limits.library_variant: a thread), else the app's own (a forked child by default).
    # Both are timed in-process, so the cost of each isolation shows beside the HTTP figure.
    takes_limits = "limits" in inspect.signature(named_queries.run).parameters
    try:
        from api.web.limits import library_variant

        route_limits: QueryLimits | None = library_variant(Settings().query_limits())
    except ImportError:
        route_limits = Settings().query_limits()
    route_limits = route_limits if takes_limits else None
    forked = QueryLimits(isolation="process", workers=2) if takes_limits else None
    if route is None:
        out("\nnamed queries: this build serves no GET /queries/{name} (not in /openapi.json), so there is no HTTP figure for them;")
        out("    direct figures below, and for reference GET /view/query?name= (the only route that runs a library query by")
        out("    name: an HTML graph view, so rendering is included and its difference is not API overhead)")
        summary.notes.append("GET /queries/{name} is not served by this build: named queries have direct figures only")
    for name, param, inputs in (("chain_of_command", "unit", units), ("actor_links", "actor", egos)):
        text = named_queries.get(name).text

        def direct(iri: str, text: str = text, param: str = param) -> int:
            bound = {ox.Variable(param): ox.NamedNode(iri), ox.Variable("at"): day}
            return sum(1 for _ in store.raw.query(text, substitutions=bound, default_graph=graphs, named_graphs=graphs))

        variants: list[tuple[str, Callable[[str], object]]] = [
            ("direct", direct),
            ("run", lambda iri, name=name, param=param: named_queries.run(store, dataset, name, {param: iri, "at": AT.isoformat()})),
        ]
        if route_limits is not None and route_limits.isolation != "process":
            variants.append(("limited", lambda iri, name=name, param=param: named_queries.run(store, dataset, name, {param: iri, "at": AT.isoformat()}, limits=route_limits)))
        if forked is not None:
            variants.append(("forked", lambda iri, name=name, param=param: named_queries.run(store, dataset, name, {param: iri, "at": AT.isoformat()}, limits=forked)))
        if route is not None:
            variants.append(("http", lambda iri, name=name, param=param: http.get(route.split("{")[0] + name, {param: iri, "at": AT.isoformat()})))
        else:
            variants.append(("view", lambda iri, name=name, param=param: http.get("/view/query", {"name": name, param: iri, "at": AT.isoformat()})))
        rows = [direct(iri) for iri in inputs]
        if route is not None:
            served = [json.loads(http.get(route.split("{")[0] + name, {param: iri, "at": AT.isoformat()}))["count"] for iri in inputs]
            agree = sum(a == b for a, b in zip(rows, served))
            out(f"\ncheck: GET {route.split('{')[0]}{name} and Store.query give as many rows for {agree} of {len(inputs)} inputs")
        out(f"\nnamed query {name} ({param}=, at={AT}; rows per answer: median {statistics.median(rows):.0f}, max {max(rows)}); ms per call")
        s = interleaved(variants, inputs, args.repeat, deadline=deadline)
        row("pyoxigraph Store.query(.rq text, substitutions=), all rows", s["direct"])
        row("graph.query.named_queries.run (parameters checked, IRI resolved)", s["run"])
        if "limited" in s:
            row(f"graph.query.named_queries.run, the route's limits ({route_limits.isolation}, in-process)", s["limited"])
        if "forked" in s:
            row("graph.query.named_queries.run, limits with a forked child (in-process)", s["forked"])
        if "http" in s:
            row(f"HTTP GET {route.split('{')[0]}{name}?{param}=&at=", s["http"])
            parts = []
            if "limited" in s:
                parts.append(f"the route's {route_limits.isolation} isolation costs {s['limited'].p50() - s['run'].p50():+.2f} ms in-process")
            if "forked" in s:
                parts.append(f"a forked child would cost {s['forked'].p50() - s['run'].p50():+.2f} ms")
            out(f"    API overhead p50 {s['http'].p50() - s['direct'].p50():+.2f} ms" + (f" ({'; '.join(parts)})" if parts else ""))
            summary.add(f"named query {name}", s["direct"], s["http"])
        else:
            row("HTTP GET /view/query?name= (HTML graph view; reference only)", s["view"])
            summary.add(f"named query {name} (no JSON route; direct only)", s["direct"], None)


def measure_search(
    summary: Summary, store: EmbeddedStore, dataset: sparql.Dataset, request: Any, http: Http,
    texts: Sequence[str], args: argparse.Namespace, deadline: float,
) -> None:
    adapter = TypeAdapter(models.ActorSearch)

    def route(q: str) -> Any:
        return actors_route.find_actors(
            store, dataset_for_caller(store, ANONYMOUS), q=q, type=None, country=None, level=None, sector=None, limit=20, offset=0
        )

    variants: list[tuple[str, Callable[[str], object]]] = [
        ("function", lambda q: search_actors(store, dataset, q, limit=20)),
        ("route", route),
        ("route+json", lambda q: adapter.dump_json(adapter.validate_python(route(q)))),
        ("http", lambda q: http.get("/actors", {"q": q, "limit": 20})),
    ]
    out("\nactor search, first 20 results (names, names without accents, prefixes, single words, typos); ms per call")
    with ServerCpu(http) as cpu:
        s = interleaved(variants, texts, args.repeat, deadline=deadline)
    row("graph.index.cache.search_actors (direct)", s["function"])
    row("route handler in-process", s["route"])
    row("route handler + response JSON", s["route+json"])
    row("HTTP GET /actors?q=&limit=20", s["http"], f"server CPU {cpu.per_request_ms:.2f} ms/request")
    out(f"    API overhead p50 {s['http'].p50() - s['function'].p50():+.2f} ms; {goal(s['http'].p50(), GOAL_SEARCH_MS, '/actors?q= HTTP p50 ms', args.at_1m)}")
    summary.add("actor search /actors?q=", s["function"], s["http"], f"goal: <= {GOAL_SEARCH_MS:g} ms" if args.at_1m else "")


def measure_per_request(
    summary: Summary, store: EmbeddedStore, dataset: sparql.Dataset, index: SubjectIndex, http: Http,
    egos: Sequence[str], args: argparse.Namespace, deadline: float,
) -> None:
    """The pieces every API request pays for, whatever it asks."""
    variants: list[tuple[str, Callable[[str], object]]] = [
        ("dataset", lambda _: sparql.dataset_for(store, include_restricted=False)),
        ("state", lambda _: graph_state(store, dataset)),
        ("index", lambda _: index_for(store, dataset)),
        ("resolve", lambda ego: resolve_kind(store, dataset, index, ego, KINDS)),
        ("floor", lambda _: http.get("/docs")),
    ]
    out("\nwhat each request pays besides its work; ms per call")
    s = interleaved(variants, egos, args.repeat, deadline=deadline)
    row("caller's dataset: sparql.dataset_for (records query)", s["dataset"])
    row("index cache key: graph_state (records query again)", s["state"])
    row("index_for, index already built (graph_state + lookup)", s["index"])
    row("id -> IRI: resolve_kind (lookup/subject query)", s["resolve"])
    row("HTTP GET /docs (no store work: uvicorn+FastAPI+client floor)", s["floor"])
    summary.notes.append(
        f"per request: dataset {s['dataset'].p50():.2f} ms + index key {s['index'].p50():.2f} ms + id {s['resolve'].p50():.2f} ms; "
        f"HTTP floor {s['floor'].p50():.2f} ms"
    )


def measure_sparql(
    summary: Summary, store: EmbeddedStore, dataset: sparql.Dataset, servers: dict[str, Server],
    egos: Sequence[str], args: argparse.Namespace, deadline: float,
) -> None:
    graphs = list(dataset.graphs)
    texts = [LABEL_QUERY.format(iri=str(ox.NamedNode(ego))) for ego in egos]
    process_limits = QueryLimits(isolation="process", workers=2)
    thread_limits = QueryLimits(isolation="thread", workers=2)
    https = {name: Http(server) for name, server in servers.items()}
    variants: list[tuple[str, Callable[[str], object]]] = [
        ("direct", lambda text: list(store.raw.query(text, default_graph=graphs, named_graphs=graphs))),
        ("fork", lambda text: list(store.evaluate(text, limits=process_limits, default_graph=graphs, named_graphs=graphs))),
        ("thread", lambda text: list(store.evaluate(text, limits=thread_limits, default_graph=graphs, named_graphs=graphs))),
    ]
    for name, client in https.items():
        variants.append((f"http-{name}", client.sparql))
    out(
        f"\nPOST /sparql, a label look-up with LIMIT 1 (one IRI per request), one client at a time; ms per call "
        f"(bench process RSS {rss_mb():,.0f} MB, server RSS {servers['process'].rss_mb():,.0f} MB)"
    )
    s = interleaved(variants, texts, args.repeat, deadline=deadline)
    row("pyoxigraph Store.query, rows read", s["direct"])
    row("EmbeddedStore.evaluate under limits, forked child (in the bench process)", s["fork"])
    row("EmbeddedStore.evaluate under limits, thread (in the bench process)", s["thread"])
    row("HTTP POST /sparql, server as default (forked child per query)", s["http-process"])
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
        label = "default (forked child per query)" if name == "process" else "ACTORGRAPH_QUERY_ISOLATION=thread"
        out(
            f"    server {label:<36} {rps:7.1f} requests/s  p50 {harness.percentile(lat, 0.5):7.2f} ms  p95 {harness.percentile(lat, 0.95):7.2f} ms  "
            f"errors {result['errors']}  server CPU {result['cpu'] * 1000 / len(lat):.2f} ms/request"
        )
        summary.rows.append((f"POST /sparql, {clients} clients, {label}", "-", f"{harness.percentile(lat, 0.5):.2f} / {harness.percentile(lat, 0.95):.2f}", "-", f"{rps:.0f} req/s"))
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


def measure_rdflib(
    summary: Summary, store: EmbeddedStore, dataset: sparql.Dataset, index: SubjectIndex, http: Http,
    egos: Sequence[str], actors: int, args: argparse.Namespace, deadline: float, per_mtriple: dict[str, float],
) -> None:
    out("\n2-hop ego network against rdflib's own engine (the synthetic graph in an rdflib Graph, in memory)")
    triples = sum(1 for _ in store.raw.quads_for_pattern(None, None, None, ox.NamedNode(SYNTHETIC_GRAPH)))
    mb_per_m = per_mtriple.get("peak", 1000.0)
    s_per_m = per_mtriple.get("s", 30.0)
    assumed = "" if per_mtriple else " (assumed: no 1M figure from this run)"
    need_mb, need_s = mb_per_m * triples / 1e6, s_per_m * triples / 1e6
    available, remaining = mem_available_mb(), deadline - time.monotonic()
    # Shared machine, no swap: the copy may take at most half of what is available now.
    if not args.rdflib or (args.rdflib == "auto" and (need_mb > 0.5 * available or need_s > 0.4 * remaining)):
        reason = (
            f"skipped: copying {triples / 1e6:.1f}M triples into rdflib would peak at about {need_mb / 1024:.1f} GB and "
            f"take {need_s / 60:.1f} min at the rate measured{assumed} ({mb_per_m:.0f} MB at peak and {s_per_m:.0f} s per "
            f"million triples), against {available / 1024:.1f} GB available on this shared machine (no swap; at most half "
            f"of it is taken) and {remaining / 60:.1f} min left of the budget"
        )
        if not args.rdflib:
            reason = "skipped: --rdflib off"
        out(f"    {reason}")
        summary.notes.append(f"rdflib at {summary.scale}: {reason}")
        return
    rdf, seconds, added_mb, peak, loaded = rdflib_graph(store)
    per_mtriple.update({"peak": max(added_mb, peak) / (loaded / 1e6), "s": seconds / (loaded / 1e6)})
    out(f"    rdflib Graph: {loaded:,} triples copied in {seconds:.1f} s, +{added_mb:,.0f} MB resident (+{peak:,.0f} MB at the peak of the copy)")
    gc.freeze()  # the copy's millions of objects stay out of the collector's way during the timings
    try:
        engine = RdflibEngine(rdf)
        text = two_hop_query()
        data = data_graphs(dataset)
        day = ox.Literal(AT.isoformat(), datatype=ox.NamedNode(XSD + "date"))
        subset = list(egos[: args.rdflib_samples])
        params = {"depth": 2, "at": AT.isoformat()}

        def oxigraph(ego: str) -> list[Any]:
            return list(store.raw.query(text, substitutions={ox.Variable("ego"): ox.NamedNode(ego), ox.Variable("at"): day}, default_graph=data))

        def with_rdflib(ego: str) -> list[Any]:
            return list(rdf.query(text, initBindings={"ego": to_rdflib(ox.NamedNode(ego)), "at": to_rdflib(day)}))

        # The answers agree (nodes and relations), else the comparison would mean nothing.
        agree, differ = 0, []
        for ego in subset:
            api = network(store, dataset, ego, depth=2, at=AT)
            via_ox = two_hop_sets(oxigraph(ego), ego, lambda t: None if t is None else t.value)
            via_rdflib = two_hop_sets(with_rdflib(ego), ego, lambda t: None if t is None else str(t))
            engine_net = network(engine, dataset, ego, depth=2, at=AT, index=index)  # type: ignore[arg-type]
            api_sets = ({n.id for n in api.nodes}, {e.id for e in api.edges})
            engine_sets = ({n.id for n in engine_net.nodes}, {e.id for e in engine_net.edges})
            if via_ox == via_rdflib == api_sets == engine_sets:
                agree += 1
            else:
                sizes = "/".join(f"{len(n)}n{len(r)}r" for n, r in (api_sets, engine_sets, via_ox, via_rdflib))
                differ.append(f"{local_name(ego)} ({sizes}{', API truncated' if api.truncated else ''})")
        out(f"    check: API, pyoxigraph, rdflib and tracing-on-rdflib give the same nodes and relations for {agree} of {len(subset)} actors")
        if differ:
            out(f"    differ (nodes/relations: API / tracing on rdflib / SPARQL on pyoxigraph / SPARQL on rdflib): {'; '.join(differ)}")

        variants: list[tuple[str, Callable[[str], object]]] = [
            ("http", lambda ego: http.get(network_path(ego), params)),
            ("function", lambda ego: network(store, dataset, ego, depth=2, at=AT)),
            ("oxigraph", oxigraph),
            ("rdflib", with_rdflib),
            ("engine", lambda ego: network(engine, dataset, ego, depth=2, at=AT, index=index)),  # type: ignore[arg-type]
        ]
        out(f"    {len(subset)} of the random actors, {args.rdflib_rounds} rounds, interleaved; ms per call")
        s = interleaved(variants, subset, args.rdflib_rounds, deadline=deadline)
        row("HTTP GET /actors/{id}/network?depth=2&at= (the API)", s["http"])
        row("graph.tracing.network.network on pyoxigraph (direct)", s["function"])
        row("one 2-hop SPARQL query, pyoxigraph", s["oxigraph"])
        row("the same SPARQL query, rdflib Graph.query", s["rdflib"])
        row("graph.tracing.network.network with rdflib answering edges.rq", s["engine"])
        ratio = s["rdflib"].p50() / s["http"].p50()
        engine_ratio = s["engine"].p50() / s["http"].p50()
        out(
            f"    API vs rdflib, p50 ratios: {ratio:.1f}x faster than the SPARQL query on rdflib "
            f"({goal(ratio, GOAL_RDFLIB_RATIO, 'API/rdflib ratio', args.at_1m, at_least=True)}); {engine_ratio:.1f}x faster than the same "
            f"algorithm on rdflib; engines alone, same query: pyoxigraph {s['rdflib'].p50() / s['oxigraph'].p50():.1f}x faster than rdflib"
        )
        api = f"{s['http'].p50():.2f} / {s['http'].p95():.2f}"
        summary.rows.append(
            (
                "2-hop: one SPARQL query on rdflib (direct = rdflib)",
                f"{s['rdflib'].p50():.1f} / {s['rdflib'].p95():.1f}",
                api,
                "-",
                f"API {ratio:.1f}x faster{f' (goal >= {GOAL_RDFLIB_RATIO:g}x)' if args.at_1m else ''}; pyoxigraph, same query: {s['oxigraph'].p50():.2f} ms",
            )
        )
        summary.rows.append(
            ("2-hop: network on rdflib (direct = rdflib)", f"{s['engine'].p50():.1f} / {s['engine'].p95():.1f}", api, "-", f"API {engine_ratio:.1f}x faster")
        )

        if args.naive_cap > 0 and time.monotonic() + args.naive_cap < deadline:
            naive = naive_two_hop_query()
            ego = subset[0]
            bound = {"ego": to_rdflib(ox.NamedNode(ego)), "at": to_rdflib(day)}
            taken = capped(lambda: list(rdf.query(naive, initBindings=bound)), args.naive_cap)
            inline = naive.replace("SELECT ?ego ?at", "SELECT").replace("?ego", str(ox.NamedNode(ego))).replace("?at", str(day))
            started = time.perf_counter()
            list(store.raw.query(inline, default_graph=data))
            ox_ms = (time.perf_counter() - started) * 1000
            shown = f"{taken:.0f} ms" if taken is not None else f"over {args.naive_cap:g} s (stopped)"
            out(
                f"    the obvious shape (roles in variables, FILTER ... IN), one actor: rdflib {shown}; pyoxigraph "
                f"{ox_ms:.1f} ms with the IRI in the text (with substitutions= it plans without the binding: seconds)"
            )
            summary.notes.append(f"2-hop query written with roles in variables + FILTER IN: rdflib {shown} for one actor")
    finally:
        gc.unfreeze()


#################################################################
# Main
#################################################################


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
