"""What the SERVICE/LOAD defences cost a request.

Prints figures; it does not pass or fail. In one run, with the variants interleaved call by call:

- graph.guards.outbound's check on the library's queries: as they are (no keyword letters, so no parse),
  with a comment holding "service" first seen (each text unique, so rdflib parses it) and cached;
- a query run under graph.store.limits with the network guard (the default for non-admins) and without
  it (an admin's), under process and thread isolation, on the demo store in memory;
- graph.guards.write_policy's copy check on a Graph Store upload of the demo graph into a public graph,
  with a restricted graph in the store.

    .venv/bin/python bench/outbound_check.py --rounds 30

Times are wall-clock milliseconds per call (median, and p90), after one untimed warm-up pass.
"""

from __future__ import annotations

import argparse
import statistics
from functools import partial

import pyoxigraph as ox
from harness import ms

from graph.guards import outbound, write_policy
from graph.ingest import derivation, loader, registry, setup
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource
from graph.store import open_store
from graph.store.limits import Isolation, QueryLimits
from ontology.namespaces import DEMO_GRAPH
from queries import catalog

PROBE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _report(name: str, samples: list[float]) -> float:
    ordered = sorted(samples)
    median = statistics.median(ordered)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    print(f"  {name:<44} median {median:8.3f} ms   p90 {p90:8.3f} ms   (n={len(ordered)})")
    return median


def bench_parse(rounds: int) -> None:
    texts = [query.text for query in catalog.list_queries("library")]
    print(f"parse check on {len(texts)} library queries (per query):")
    plain: list[float] = []
    first: list[float] = []
    cached: list[float] = []
    for round_number in range(rounds):
        for index, text in enumerate(texts):
            unique = f"{text}\n# round {round_number} query {index}"
            # A comment holding the word is enough to make the text worth parsing.
            worded = f"{text}\n# round {round_number} query {index}: service"
            plain.append(ms(partial(outbound.check, unique, update=False, admin=False, who="bench")))
            first.append(ms(partial(outbound.check, worded, update=False, admin=False, who="bench")))
            cached.append(ms(partial(outbound.check, worded, update=False, admin=False, who="bench")))
    _report("no 'service'/'load' in the text (no parse)", plain)
    a, b = _report("first seen, parsed by rdflib", first), _report("cached (same text again)", cached)
    print(f"  ratio first/cached: {a / b:,.0f}x")


def bench_guard(rounds: int) -> None:
    store = open_store(None)
    setup.init_store(store, demo=True)
    graphs = registry.visible_graphs(store)
    print(f"query workers on the demo store ({store.size():,} quads), `{PROBE}`:")
    isolations: tuple[Isolation, ...] = ("process", "thread")
    for isolation in isolations:
        limits = QueryLimits(timeout=30, isolation=isolation)

        def run(network: bool, limits: QueryLimits = limits) -> None:
            list(store.evaluate(PROBE, limits=limits, default_graph=graphs, named_graphs=graphs, network=network))  # type: ignore[arg-type]

        run(False)  # warm-up
        run(True)
        guarded: list[float] = []
        open_: list[float] = []
        for _ in range(rounds):
            guarded.append(ms(lambda: run(False)))
            open_.append(ms(lambda: run(True)))
        a = _report(f"{isolation}: guarded (no network)", guarded)
        b = _report(f"{isolation}: unguarded (admin)", open_)
        print(f"  {isolation}: guarded - unguarded = {a - b:+.3f} ms ({a / b:.2f}x)")


def bench_copy_check(rounds: int) -> None:
    store = open_store(None)
    setup.init_store(store, demo=True)
    body = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(ox.NamedNode(DEMO_GRAPH))), format=ox.RdfFormat.N_TRIPLES) or b""
    secret = body.replace(b"https://w3id.org/actorgraph/id/", b"https://w3id.org/actorgraph/id/hidden-")
    loader.load_sources(store, [RdfSource.from_bytes("secret.nt", secret, format_named("ntriples"))], graph="secret", restricted=True, trusted=True)
    derivation.reason(store)
    flags = {info.graph.value: info.restricted for info in registry.registered_graphs(store)}
    triples = list(ox.parse(body, ox.RdfFormat.N_TRIPLES))
    graph = ox.NamedNode(DEMO_GRAPH + "-copy")
    print(f"copy check of a {len(triples):,}-triple upload into a public graph ({store.size():,} quads in the store):")
    samples = [ms(lambda: write_policy.check_no_restricted_copies(store, graph, triples, flags)) for _ in range(max(3, rounds // 5))]
    _report("restricted_copies over the upload", samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    bench_parse(args.rounds)
    bench_guard(args.rounds)
    bench_copy_check(args.rounds)


if __name__ == "__main__":
    main()
