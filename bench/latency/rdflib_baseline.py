"""rdflib as the naive baseline: the synthetic graph copied into an rdflib Graph, one 2-hop query on
both engines, and graph.tracing.links.network with rdflib answering its edge query."""

from __future__ import annotations

import argparse
import contextlib
import gc
import re
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from harness import interleaved, mem_available_mb, out, peak_mb, rows, rss_mb

from graph.index.names import local_name
from graph.index.subjects import SubjectIndex
from graph.query import sparql
from graph.store import EmbeddedStore
from graph.tracing.edges import data_graphs
from graph.tracing.network import network
from latency.common import (
    AT,
    GOAL_RDFLIB_RATIO,
    Http,
    Summary,
    goal,
    network_path,
    row,
)
from ontology.namespaces import SYNTHETIC_GRAPH, XSD
from queries import catalog


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

    def select(self, text: str, *, bindings: dict[str, Any] | None = None, **_: object) -> Iterator[dict[str, _Value | None]]:
        """GraphStore.select's shape: rows addressed by variable name, each value with `.value`."""
        result = self.graph.query(text, initBindings={str(name): to_rdflib(value) for name, value in (bindings or {}).items()})
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
        data: list[Any] = list(data_graphs(dataset))
        day = ox.Literal(AT.isoformat(), datatype=ox.NamedNode(XSD + "date"))
        subset = list(egos[: args.rdflib_samples])
        params = {"depth": 2, "at": AT.isoformat()}

        def oxigraph(ego: str) -> list[Any]:
            return rows(store.raw.query(text, substitutions={ox.Variable("ego"): ox.NamedNode(ego), ox.Variable("at"): day}, default_graph=data))

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
        row("graph.network.network on pyoxigraph (direct)", s["function"])
        row("one 2-hop SPARQL query, pyoxigraph", s["oxigraph"])
        row("the same SPARQL query, rdflib Graph.query", s["rdflib"])
        row("graph.network.network with rdflib answering edges.rq", s["engine"])
        ratio = s["rdflib"].p50() / s["http"].p50()
        engine_ratio = s["engine"].p50() / s["http"].p50()
        out(
            f"    API vs rdflib, p50 ratios: {ratio:.1f}x faster than the SPARQL query on rdflib "
            f"({goal(ratio, GOAL_RDFLIB_RATIO, 'API/rdflib ratio', args.at_1m, at_least=True)}); {engine_ratio:.1f}x faster than the same "
            f"algorithm on rdflib; engines alone, same query: pyoxigraph {s['rdflib'].p50() / s['oxigraph'].p50():.1f}x faster than rdflib"
        )
        api_figures = f"{s['http'].p50():.2f} / {s['http'].p95():.2f}"
        summary.rows.append(
            (
                "2-hop: one SPARQL query on rdflib (direct = rdflib)",
                f"{s['rdflib'].p50():.1f} / {s['rdflib'].p95():.1f}",
                api_figures,
                "-",
                f"API {ratio:.1f}x faster{f' (goal >= {GOAL_RDFLIB_RATIO:g}x)' if args.at_1m else ''}; pyoxigraph, same query: {s['oxigraph'].p50():.2f} ms",
            )
        )
        summary.rows.append(
            ("2-hop: network on rdflib (direct = rdflib)", f"{s['engine'].p50():.1f} / {s['engine'].p95():.1f}", api_figures, "-", f"API {engine_ratio:.1f}x faster")
        )

        if args.naive_cap > 0 and time.monotonic() + args.naive_cap < deadline:
            naive = naive_two_hop_query()
            ego = subset[0]
            bound = {"ego": to_rdflib(ox.NamedNode(ego)), "at": to_rdflib(day)}
            taken = capped(lambda: list(rdf.query(naive, initBindings=bound)), args.naive_cap)
            inline = naive.replace("SELECT ?ego ?at", "SELECT").replace("?ego", str(ox.NamedNode(ego))).replace("?at", str(day))
            started = time.perf_counter()
            rows(store.raw.query(inline, default_graph=data))
            ox_ms = (time.perf_counter() - started) * 1000
            shown = f"{taken:.0f} ms" if taken is not None else f"over {args.naive_cap:g} s (stopped)"
            out(
                f"    the obvious shape (roles in variables, FILTER ... IN), one actor: rdflib {shown}; pyoxigraph "
                f"{ox_ms:.1f} ms with the IRI in the text (with substitutions= it plans without the binding: seconds)"
            )
            summary.notes.append(f"2-hop query written with roles in variables + FILTER IN: rdflib {shown} for one actor")
    finally:
        gc.unfreeze()
