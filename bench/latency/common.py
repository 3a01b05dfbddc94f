"""What the api_latency measurements share: the scales, goals and inputs' date, the summary table,
HTTP calls that must answer 200, and server CPU per request."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self
from urllib.parse import quote

import httpx
import tracing as tracing_bench  # bench/tracing.py: the store, the samples
from harness import Samples, Server, create_key, out, percentile

SCALES = {"1m": 63_000, "10m": 630_000}
AT = tracing_bench.AT
KINDS = ("actor", "program", "incident")

# Goals of the tracing API, printed next to the figures (stated for the 1M graph).
GOAL_OVERHEAD_MS = 2.0
GOAL_EGO_MS = 10.0
GOAL_SEARCH_MS = 50.0
GOAL_RDFLIB_RATIO = 100.0

LABEL_QUERY = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?label WHERE {{ {iri} rdfs:label ?label }} LIMIT 1"


def row(label: str, samples: Samples, note: str = "", subset: Sequence[int] | None = None) -> None:
    values = samples.values(subset)
    out(f"    {label:<58} p50 {percentile(values, 0.5):8.2f}  p95 {percentile(values, 0.95):8.2f}  n={len(values):<4} {note}")


def goal(value: float, limit: float, what: str, applies: bool, *, at_least: bool = False) -> str:
    """The goal next to a figure; the goals are stated for the 1M graph, so elsewhere only recalled."""
    sign = ">=" if at_least else "<="
    if not applies:
        return f"(goal at 1M: {what} {sign} {limit:g}; not stated for this scale)"
    met = value >= limit if at_least else value <= limit
    return f"goal at 1M: {what} {sign} {limit:g}: {'met' if met else 'NOT met'}"


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

    def __enter__(self) -> Self:
        self.cpu, self.requests = self.http.server.cpu_seconds(), self.http.requests
        return self

    def __exit__(self, *exc: object) -> None:
        self.per_request_ms = (self.http.server.cpu_seconds() - self.cpu) * 1000 / max(1, self.http.requests - self.requests)


def network_path(iri: str) -> str:
    return f"/actors/{quote(iri, safe='')}/network"



def search_is_warm(client: httpx.Client) -> bool:
    """A search answers fast once the server's name index is built (a search waits for the
    start-up build of graph.index.cache.warm rather than building twice)."""
    started = time.perf_counter()
    response = client.get("/actors", params={"q": "brigade", "limit": 1})
    return response.status_code == 200 and time.perf_counter() - started < 0.5


def reader_key(store: Path) -> str | None:
    """A reader API key in the served copy (never in the bench's own store), to time auth."""
    try:
        token = create_key(store, "reader", "api-latency bench")
    except AssertionError:
        return None
    return token if token.startswith("ag_") else None
