"""Reads while someone writes: /sparql latency and errors with and without an editor updating.

Prints figures; it does not pass or fail. It builds the demo store (`actorgraph init --demo`) in
--workdir, creates an editor key, serves the store with a real `actorgraph serve` (uvicorn) on a
free 127.0.0.1 port, and runs phases of --seconds each, alternating "without editor" and "with
editor" --rounds times so that the noise of a shared machine hits both alike:

- --readers client threads (default 20), each with its own keep-alive connection, POST /sparql in
  a loop, cycling through the query library (`queries/library/*.rq`) with each query's example
  parameters bound by a VALUES clause (a mix of blocking aggregates, ORDER BY and joins);
- with the editor, one more client POSTs /update every --edit-interval seconds (default 1) with
  the API key: an INSERT DATA into a notes graph, then a DELETE DATA of the same triple, so the
  store keeps its size. Each update is validated, swapped in, registered and reasoned over
  (derived links recomputed), as any editor's update is.

Every answer other than 200 counts as an error (by status); a read must also be a SPARQL JSON
results document.

    .venv/bin/python bench/read_write.py --seconds 20 --rounds 2 --workdir /tmp/ag-rwbench
    .venv/bin/python bench/read_write.py --compare main   # the same, against main's code too
    .venv/bin/python bench/read_write.py --compare HEAD --compare-env ACTORGRAPH_QUERY_WORKERS=4

With --compare, a second server runs a git revision's code (exported with `git archive`, put
first on PYTHONPATH) on its own copy of the store, and its phases alternate with this tree's.

Goals: 0 errors with the editor, /sparql p99 under 2 s, the editor's update p50 under 500 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from harness import Server, cli, create_key, percentile

from graph.query import named_queries
from graph.query.sparql import dataset_for
from graph.store import EmbeddedStore
from queries import catalog

NOTES = "https://w3id.org/actorgraph/graph/bench-notes"
SUBJECT = "https://w3id.org/actorgraph/fictional/id/unit/bde-7"
GOALS = "0 errors with the editor; /sparql p99 < 2000 ms; update p50 < 500 ms"


def build_store(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)
    cli("init", "--demo", store=directory)


def editor_key(directory: Path) -> str:
    return create_key(directory, "editor", "read-write bench")


def library_texts(directory: Path) -> list[tuple[str, str]]:
    """(name, text) for every library query, its example parameters bound by a VALUES block at
    the start of the WHERE clause, where the engine joins from it as it does from substitutions
    (a trailing VALUES clause is joined last: actor_links then ran past the 10 s timeout)."""
    store = EmbeddedStore(directory)
    try:
        dataset = dataset_for(store)
        texts = []
        for query in catalog.list_queries():
            bound = named_queries.bind(store, dataset, query, query.example_params())
            text = query.text
            if bound:
                names = " ".join(f"?{name}" for name in bound)
                terms = " ".join(str(term) for term in bound.values())
                text = text.replace("WHERE {", f"WHERE {{\n  VALUES ({names}) {{ ({terms}) }}", 1)
            texts.append((query.short_name, text))
        return texts
    finally:
        store.close()


def sparql_answers(client: httpx.Client) -> bool:
    return client.get("/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200


@dataclass
class Phase:
    reads: list[float] = field(default_factory=list)  # ms of the 200s
    read_errors: dict[str, int] = field(default_factory=dict)
    updates: list[float] = field(default_factory=list)
    update_errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    server_cpu: float = 0.0  # seconds, the server and its reaped query workers


def _count(errors: dict[str, int], key: str, lock: threading.Lock) -> None:
    with lock:
        errors[key] = errors.get(key, 0) + 1


def reader(base: str, texts: list[tuple[str, str]], stop: threading.Event, phase: Phase, lock: threading.Lock, seed: int) -> None:
    order = list(texts)
    random.Random(seed).shuffle(order)
    headers = {"Accept": "application/sparql-results+json"}
    with httpx.Client(base_url=base, timeout=httpx.Timeout(60.0)) as client:
        position = 0
        while not stop.is_set():
            name, text = order[position % len(order)]
            position += 1
            started = time.perf_counter()
            try:
                response = client.post("/sparql", data={"query": text}, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code == 200 and b'"results"' in response.content:  # no JSON parse: client CPU
                    with lock:
                        phase.reads.append(elapsed)
                else:
                    _count(phase.read_errors, f"{response.status_code} ({name})", lock)
            except httpx.HTTPError as error:
                _count(phase.read_errors, type(error).__name__, lock)


def editor(base: str, key: str, interval: float, stop: threading.Event, phase: Phase, lock: threading.Lock, counter: list[int]) -> None:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/sparql-update"}
    with httpx.Client(base_url=base, timeout=httpx.Timeout(60.0)) as client:
        next_at = time.monotonic()
        while not stop.is_set():
            verb = "INSERT" if counter[0] % 2 == 0 else "DELETE"
            counter[0] += 1
            text = (
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                f'{verb} DATA {{ GRAPH <{NOTES}> {{ <{SUBJECT}> rdfs:comment "read-write bench note" }} }}'
            )
            started = time.perf_counter()
            try:
                response = client.post("/update", content=text.encode(), headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code in (200, 201, 204):
                    with lock:
                        phase.updates.append(elapsed)
                else:
                    _count(phase.update_errors, f"{response.status_code}: {response.text[:120]}", lock)
            except httpx.HTTPError as error:
                _count(phase.update_errors, type(error).__name__, lock)
            next_at += interval
            stop.wait(max(0.0, next_at - time.monotonic()))


def run_phase(server: Server, texts: list[tuple[str, str]], args: argparse.Namespace, key: str | None, counter: list[int], seed: int) -> Phase:
    phase, lock, stop = Phase(), threading.Lock(), threading.Event()
    base, cpu = server.base, server.cpu_seconds()
    threads = [
        threading.Thread(target=reader, args=(base, texts, stop, phase, lock, seed + i), daemon=True) for i in range(args.readers)
    ]
    if key is not None:
        threads.append(threading.Thread(target=editor, args=(base, key, args.edit_interval, stop, phase, lock, counter), daemon=True))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(args.seconds)
    stop.set()
    for thread in threads:
        thread.join()
    phase.seconds = time.monotonic() - started
    phase.server_cpu = server.cpu_seconds() - cpu
    return phase


def merge(phases: list[Phase]) -> Phase:
    total = Phase()
    for phase in phases:
        total.reads += phase.reads
        total.updates += phase.updates
        total.seconds += phase.seconds
        total.server_cpu += phase.server_cpu
        for key, count in phase.read_errors.items():
            total.read_errors[key] = total.read_errors.get(key, 0) + count
        for key, count in phase.update_errors.items():
            total.update_errors[key] = total.update_errors.get(key, 0) + count
    return total


def report(label: str, phase: Phase) -> None:
    errors = sum(phase.read_errors.values())
    reads = len(phase.reads) + errors
    print(
        f"  {label:<15} /sparql {reads:6d} requests {reads / phase.seconds:6.1f}/s  errors {errors:5d} ({100 * errors / max(1, reads):.1f}%)  "
        f"p50 {percentile(phase.reads, 0.5):7.1f}  p95 {percentile(phase.reads, 0.95):7.1f}  p99 {percentile(phase.reads, 0.99):7.1f}  "
        f"max {max(phase.reads, default=float('nan')):7.1f} ms  server CPU {1000 * phase.server_cpu / max(1, reads):.1f} ms/request"
    )
    if phase.updates or phase.update_errors:
        print(
            f"  {'':<15} /update  {len(phase.updates) + sum(phase.update_errors.values()):5d} requests  errors {sum(phase.update_errors.values()):4d}  "
            f"p50 {percentile(phase.updates, 0.5):7.1f}  p95 {percentile(phase.updates, 0.95):7.1f}  "
            f"max {max(phase.updates, default=float('nan')):7.1f} ms"
        )
    for key, count in sorted(phase.read_errors.items(), key=lambda item: -item[1])[:8]:
        print(f"      read error {key}: {count}")
    for key, count in phase.update_errors.items():
        print(f"      update error {key}: {count}")


def source_tree(ref: str, workdir: Path) -> Path:
    """The code of a git revision, for a server to run (PYTHONPATH comes before the editable install)."""
    target = workdir / f"src-{ref.replace('/', '_')}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    root = Path(__file__).resolve().parent.parent
    archive = subprocess.run(["git", "-C", str(root), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ag-rwbench"))
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--rounds", type=int, default=2, help="pairs of phases (without, with the editor)")
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--edit-interval", type=float, default=1.0)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server (e.g. ACTORGRAPH_QUERY_WORKERS=4)")
    parser.add_argument("--compare", metavar="GIT_REF", help="also serve this revision's code (e.g. main), phases interleaved")
    parser.add_argument("--compare-env", action="append", default=[], help="NAME=VALUE for the compared server only")
    args = parser.parse_args()

    args.workdir.mkdir(parents=True, exist_ok=True)
    store = args.workdir / "store"
    build_store(store)
    texts = library_texts(store)
    key = editor_key(store)
    env = dict(item.split("=", 1) for item in args.env)
    variants = {"this tree": env}
    if args.compare:
        extra = dict(item.split("=", 1) for item in args.compare_env)
        label = " ".join([args.compare, *args.compare_env])
        variants[label] = {**env, **extra, "PYTHONPATH": str(source_tree(args.compare, args.workdir))}
    servers: dict[str, Server] = {}
    for number, (name, variant_env) in enumerate(variants.items()):
        copy = args.workdir / f"store-{number}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(store, copy)  # one store per server: RocksDB allows one process per directory
        servers[name] = Server(copy, env=variant_env, log=args.workdir / f"serve-{number}.log")
    print(f"demo store, {len(texts)} library queries, {args.readers} readers, an update every {args.edit_interval:g} s, "
          f"{args.rounds} × ({args.seconds:g} s without + {args.seconds:g} s with the editor) per server, interleaved; "
          f"servers: {', '.join(variants)}; server env {env or 'defaults'}; cpus {os.cpu_count()}, load {os.getloadavg()[0]:.1f}")
    labels = ("without editor", "with editor")
    results: dict[tuple[str, str], list[Phase]] = {(name, label): [] for name in servers for label in labels}
    try:
        for server in servers.values():
            server.wait_ready(60, ready=sparql_answers)
            run_phase(server, texts, argparse.Namespace(**{**vars(args), "seconds": 3.0}), None, [0], 0)  # warm-up
        counters = {name: [0] for name in servers}
        for round_ in range(args.rounds):
            for name, server in servers.items():
                for label in labels:
                    phase = run_phase(server, texts, args, key if label == "with editor" else None, counters[name], 100 * round_)
                    results[(name, label)].append(phase)
                    print(f"round {round_ + 1} {name}, {label}: {len(phase.reads)} reads, {sum(phase.read_errors.values())} read errors, "
                          f"{len(phase.updates)} updates", flush=True)
    finally:
        for server in servers.values():
            server.stop()
    print(f"\nmedians and percentiles over all rounds (ms); goals: {GOALS}; load {os.getloadavg()[0]:.1f}")
    for name in servers:
        print(f"{name}:")
        for label in labels:
            report(label, merge(results[(name, label)]))
    for name in servers:
        with_editor = merge(results[(name, "with editor")])
        errors = sum(with_editor.read_errors.values()) + sum(with_editor.update_errors.values())
        p99, p50 = percentile(with_editor.reads, 0.99), percentile(with_editor.updates, 0.5)
        print(f"goals with the editor, {name}: errors {errors} (goal 0), /sparql p99 {p99:.0f} ms (goal < 2000), update p50 {p50:.0f} ms (goal < 500)")


if __name__ == "__main__":
    main()
