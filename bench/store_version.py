"""What the store version costs per request, and how soon a write is seen by other workers and hosts.

Prints figures; it does not pass or fail. On the demo data (`actorgraph init --demo`), in an
embedded store and on Oxigraph server (started here, as the tests start it), it measures in ONE
run, interleaved:

- in-process: reading the store version (the one look-up a request makes), against the two
  look-ups it replaces on every request while nothing changes (the registry of graphs and an API
  key's record);
- over HTTP, with `actorgraph serve --workers 2` and a second `actorgraph serve` (another host) on the
  same engine: a search on a fresh connection while nothing changes, and, after each write (a PUT
  of a small graph through one worker, derived links recomputed), the time from the write's
  response until the other worker, and the other host, answer a search that finds the new unit,
  and how many requests that took (1 = the next request).

    .venv/bin/python bench/store_version.py --rounds 20
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from harness import ROOT, Server, cli, interleaved, out, percentile

from api.web.store_version import WORKER
from graph.store import GraphStore, open_store, rdf, versioning
from ontology.namespaces import ID, KEYS_GRAPH, META_GRAPH
from queries import catalog
from tests.engines.engines import oxigraph_server

FIXTURE = ROOT / "tests" / "fixtures" / "valid_relation.ttl"


def reads_of(name: str, store: GraphStore, key: rdf.NamedNode) -> list[tuple[str, Callable[[None], object]]]:
    """The three reads a request may make of `store`, as interleaved variants."""

    def version(_: None) -> object:
        return versioning.read(store)

    def registry(_: None) -> object:
        return list(store.select(catalog.text("store/data_graphs"), default_graph=[rdf.NamedNode(META_GRAPH)]))

    def key_record(_: None) -> object:
        return list(store.select(catalog.text("keys/lookup"), bindings={"key": key}, default_graph=[rdf.NamedNode(KEYS_GRAPH)], named_graphs=[]))

    return [
        (f"{name}: store version", version),
        (f"{name}: registry (saved while unchanged)", registry),
        (f"{name}: API key record (saved while unchanged)", key_record),
    ]


def in_process(stores: dict[str, GraphStore], rounds: int) -> None:
    out("In-process look-ups (ms per call, p50 / p95):")
    key = rdf.NamedNode(f"{ID}key/000000000000")
    variants: list[tuple[str, Callable[[None], object]]] = []
    for name, store in stores.items():
        variants += reads_of(name, store, key)
    samples = interleaved(variants, [None], rounds * 10)
    for name, found in samples.items():
        out(f"  {name:<52} {found.p50():8.3f} / {found.p95():8.3f}   (n={found.n})")


def fresh_search(server: Server, q: str) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    with httpx.Client(base_url=server.base, timeout=60) as client:
        response = client.get("/actors", params={"q": q})
    return response, (time.perf_counter() - started) * 1000


def until_seen(server: Server, q: str, not_worker: str | None, written_at: float) -> tuple[float, float, int]:
    """(ms from the write's response until a process other than `not_worker` found `q`, ms the
    request that found it took, requests that took, counting only answers from such processes)."""
    asked = 0
    while True:
        response, took = fresh_search(server, q)
        if response.headers[WORKER] == not_worker:
            continue
        asked += 1
        if response.json()["total"] > 0:
            return (time.perf_counter() - written_at) * 1000, took, asked
        if asked > 100:
            raise SystemExit(f"{q!r} not seen after 100 requests")


def over_http(location: str, rounds: int, log_dir: Path) -> None:
    workers = Server(location, args=("--workers", "2"), log=log_dir / "workers.log", label="two-worker")
    host = Server(location, log=log_dir / "host.log", label="second host")
    try:
        workers.wait_ready(120)
        host.wait_ready(120)
        editor = cli("keys", "create", "--role", "editor", store=location).split()[0]
        steady = [fresh_search(workers, "Kasimir")[1] for _ in range(rounds * 5)]
        out(f"\nA search on a fresh connection, nothing written: p50 {percentile(steady, 0.5):.1f} ms, p95 {percentile(steady, 0.95):.1f} ms (n={len(steady)})")
        text = FIXTURE.read_text(encoding="utf-8")
        seen: dict[str, list[float]] = {"other worker": [], "other host": []}
        took: dict[str, list[float]] = {"other worker": [], "other host": []}
        requests: dict[str, list[int]] = {"other worker": [], "other host": []}
        writes: list[float] = []
        for i in range(rounds):
            name = f"Benchvane{i} Division"
            body = text.replace("fictional/id/", f"fictional/id/benchvane{i}-").replace("North Division", name)
            started = time.perf_counter()
            with httpx.Client(base_url=workers.base, timeout=120) as client:
                written = client.put(
                    "/graph-store", params={"graph": f"benchvane-{i}"}, content=body.encode(),
                    headers={"Authorization": f"Bearer {editor}", "Content-Type": "text/turtle"},
                )
            done = time.perf_counter()
            if written.status_code != 201:
                raise SystemExit(f"the write failed: {written.status_code} {written.text}")
            writes.append((done - started) * 1000)
            for label, server, other in (("other worker", workers, written.headers[WORKER]), ("other host", host, None)):
                elapsed, request_ms, asked = until_seen(server, name, other, done)
                seen[label].append(elapsed)
                took[label].append(request_ms)
                requests[label].append(asked)
        out(f"The write (PUT /graph-store, derived links recomputed): p50 {percentile(writes, 0.5):.0f} ms (n={len(writes)})")
        for label, times in seen.items():
            out(
                f"Seen by the {label}: p50 {percentile(times, 0.5):.0f} ms, p95 {percentile(times, 0.95):.0f} ms after the write's "
                f"response; the request that saw it took p50 {percentile(took[label], 0.5):.0f} ms (its caches rebuilt); "
                f"requests needed: max {max(requests[label])} (n={len(times)})"
            )
    finally:
        workers.stop()
        host.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="actorgraph-bench-version-"))
    try:
        embedded = workdir / "store"
        with oxigraph_server(timeout_s=10) as engine:
            for location in (str(embedded), engine.location):
                cli("init", "--demo", store=location, timeout=600)
            stores = {"embedded": open_store(embedded, recover=False), "Oxigraph server": open_store(engine.location, recover=False)}
            out(f"Demo data: {stores['embedded'].size():,} quads\n")
            in_process(stores, args.rounds)
            for store in stores.values():
                store.close()
            del stores
            over_http(engine.location, args.rounds, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
