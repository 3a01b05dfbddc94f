"""The tracing API against the Python functions: ego networks, paths, named queries, search and
what every request pays, each timed direct, as a route handler in-process and over HTTP."""

from __future__ import annotations

import argparse
import inspect
import json
import re
import statistics
from collections.abc import Callable, Sequence
from typing import Any

import pyoxigraph as ox
from harness import count, interleaved, out
from pydantic import TypeAdapter

from api.settings import Settings
from api.web.dependencies import dataset_for_caller
from api.web.models import tracing as models
from api.web.routers import actors as actors_route
from api.web.routers import paths as paths_route
from api.web.security import ANONYMOUS
from graph.index.cache import graph_state, index_for, search_actors
from graph.index.subjects import SubjectIndex
from graph.query import named_queries, sparql
from graph.store import EmbeddedStore
from graph.store.limits import QueryLimits
from graph.tracing.naming import resolve_kind
from graph.tracing.network import DEFAULT_MAX_NODES, network
from graph.tracing.paths import paths
from latency.common import (
    AT,
    GOAL_EGO_MS,
    GOAL_OVERHEAD_MS,
    GOAL_SEARCH_MS,
    KINDS,
    Http,
    ServerCpu,
    Summary,
    goal,
    network_path,
    row,
)
from ontology.namespaces import XSD


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
            request, store, dataset_for_caller(store, ANONYMOUS), id=ego, depth=2, at=AT, types=None, max_nodes=DEFAULT_MAX_NODES
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
        row("graph.network.network (direct)", s["function"])
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
            request, store, dataset_for_caller(store, ANONYMOUS), source=pair[0], target=pair[1], max_hops=4, at=None, types=None, limit=10
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
    row("graph.paths.paths (direct)", s["function"])
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
            return str(path)
    return None


def measure_named(
    summary: Summary, store: EmbeddedStore, dataset: sparql.Dataset, http: Http,
    units: Sequence[str], egos: Sequence[str], args: argparse.Namespace, deadline: float,
) -> None:
    graphs: list[Any] = list(dataset.graphs)
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
            bound: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {ox.Variable(param): ox.NamedNode(iri), ox.Variable("at"): day}
            return count(store.raw.query(text, substitutions=bound, default_graph=graphs, named_graphs=graphs))

        def run(iri: str, name: str = name, param: str = param) -> object:
            return named_queries.run(store, dataset, name, {param: iri, "at": AT.isoformat()})

        def run_under(limits: QueryLimits, name: str = name, param: str = param) -> Callable[[str], object]:
            return lambda subject: named_queries.run(store, dataset, name, {param: subject, "at": AT.isoformat()}, limits=limits)

        def get(path: str, by_name: bool, name: str = name, param: str = param) -> Callable[[str], object]:
            return lambda subject: http.get(path, {"name": name, param: subject, "at": AT.isoformat()} if by_name else {param: subject, "at": AT.isoformat()})

        variants: list[tuple[str, Callable[[str], object]]] = [("direct", direct), ("run", run)]
        if route_limits is not None and route_limits.isolation != "process":
            variants.append(("limited", run_under(route_limits)))
        if forked is not None:
            variants.append(("forked", run_under(forked)))
        if route is not None:
            variants.append(("http", get(route.split("{")[0] + name, by_name=False)))
        else:
            variants.append(("view", get("/view/query", by_name=True)))
        rows = [direct(iri) for iri in inputs]
        if route is not None:
            served = [json.loads(http.get(route.split("{")[0] + name, {param: iri, "at": AT.isoformat()}))["count"] for iri in inputs]
            agree = sum(a == b for a, b in zip(rows, served))
            out(f"\ncheck: GET {route.split('{')[0]}{name} and Store.query give as many rows for {agree} of {len(inputs)} inputs")
        out(f"\nnamed query {name} ({param}=, at={AT}; rows per answer: median {statistics.median(rows):.0f}, max {max(rows)}); ms per call")
        s = interleaved(variants, inputs, args.repeat, deadline=deadline)
        row("pyoxigraph Store.query(.rq text, substitutions=), all rows", s["direct"])
        row("graph.query.named_queries.run (parameters checked, IRI resolved)", s["run"])
        isolation = route_limits.isolation if route_limits is not None else "-"
        if "limited" in s:
            row(f"graph.query.named_queries.run, the route's limits ({isolation}, in-process)", s["limited"])
        if "forked" in s:
            row("graph.query.named_queries.run, limits with a forked child (in-process)", s["forked"])
        if "http" in s and route is not None:
            row(f"HTTP GET {route.split('{')[0]}{name}?{param}=&at=", s["http"])
            parts = []
            if "limited" in s:
                parts.append(f"the route's {isolation} isolation costs {s['limited'].p50() - s['run'].p50():+.2f} ms in-process")
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
