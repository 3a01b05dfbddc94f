"""SPARQL Update through the web API, run in a sandbox and checked on what it did.

The problem: Oxigraph runs an update against the whole store. It has no `default_graph=` or
`named_graphs=` for updates, so an update could read or overwrite any graph, including the
registry (`meta`, whose restricted flags decide who reads what) and the API keys. Refusing by
reading the text is fragile: the parser matches keywords without word boundaries, resolves BASE
and prefixes, and lets `GRAPH ?g` or `BIND(IRI(...))` pick graphs at run time.

So every update, an admin's too, runs in a sandbox, and the policy is checked on what it *did*:
1. The graphs the text names (graph.guards.sparql_scan.mentioned_iris) that the caller may read are
   copied into a scratch in-memory store; for CLEAR/DROP ALL or NAMED, every data graph the
   caller may read. Only those: `GRAPH ?g` ranges over them, the default graph is empty, and the
   system graphs that change only through their own commands (meta, keys, audit, vetting cases)
   are never there. A name the scan misses only hides that graph from the update.
2. The update runs there, under the query limits (timeout, killable worker; graph.store.limits), in a
   worker without network unless the caller is an admin.
3. The result is compared with the originals. Refused: a change to those system graphs (every
   role), to the ontology or derived graphs (below admin), to an existing graph the text did not
   name, to the default graph, to a graph named outside ActorGraph's namespace, or one that
   breaks the information-flow rules (graph.guards.write_policy).
4. Every changed graph is written back through graph.ingest.writes: validated, swapped in
   atomically, and (re)registered; new graphs become visible that way, dropped graphs are
   unregistered. With several graphs, all are validated before any is written. Then the derived
   links are recomputed. The store's write lock is held throughout.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from graph.guards import outbound, write_policy
from graph.guards.sparql_scan import mentioned_iris
from graph.guards.write_policy import BadWrite, WriteRefused
from graph.ingest import registry
from graph.ingest.loader import RdfSource
from graph.ingest.writes import (
    NTRIPLES,
    PROTECTED,
    GraphChange,
    WriteReport,
    load_graph,
    reason_links,
    restricted_flags,
    triples_bytes,
    write_limits,
)
from graph.store import GraphStore, open_scratch, rdf
from graph.store.base import Sink, Work
from graph.store.limits import QueryLimits, raise_for_outcome
from ontology.namespaces import PROTECTED_GRAPHS, SYSTEM_GRAPHS


def _touched_predicates(
    store: GraphStore, copied: Sequence[rdf.NamedNode], changes: Sequence[tuple[rdf.NamedNode, str, list[rdf.Quad]]]
) -> frozenset[str]:
    """The predicates of the triples an update adds or removes, read before anything is written."""
    touched: set[str] = set()
    for graph, _, new in changes:
        old = set(store.quads(graph)) if graph in copied else set()
        touched.update(quad.predicate.value for quad in old.symmetric_difference(new))
    return frozenset(touched)


def _sandbox_work(sandbox: GraphStore, text: str) -> Work:
    """Run the update in the sandbox, then send back the sandbox's quads and graph names (empty
    graphs do not show in N-Quads, and CLEAR must not look like DROP)."""

    def work(sink: Sink) -> dict[str, Any]:
        sandbox.update(text)
        dumped = io.BytesIO()
        sandbox.dump(dumped)
        sink(dumped.getvalue())
        return {"kind": "dataset", "graphs": [g.value for g in sandbox.named_graphs()]}

    return work


def _run_sandbox(store: GraphStore, sandbox: GraphStore, text: str, limits: QueryLimits, network: bool) -> GraphStore:
    # An update returns no rows: the cap does not apply, the timeout and the update slot do.
    data, outcome = store.run_isolated(_sandbox_work(sandbox, text), write_limits(limits), network=network)
    raise_for_outcome(outcome, limits)
    after = open_scratch()
    after.bulk_add(rdf.parse(data, rdf.RdfFormat.N_QUADS))
    for name in outcome["graphs"]:
        after.add_graph(rdf.NamedNode(name))
    return after


def _diff(store: GraphStore, copied: Sequence[rdf.NamedNode], after: GraphStore) -> list[tuple[rdf.NamedNode, str, list[rdf.Quad]]]:
    """(graph, change, new quads) for every graph the update changed."""
    if any(True for _ in after.quads(rdf.DefaultGraph())):
        raise BadWrite(
            "the update writes to the default graph, which ActorGraph does not store (the default graph of a "
            "query is the union of the graphs you may read): put the triples in GRAPH <iri> { } or use WITH <iri>"
        )
    names = set(after.named_graphs())
    changes = []
    for graph in sorted(set(copied) | names, key=lambda g: g.value):
        new = list(after.quads(graph)) if graph in names else []
        if graph not in names:
            changes.append((graph, "dropped", new))
            continue
        if graph in copied:
            old = set(store.quads(graph))
            if old != set(new):
                changes.append((graph, "modified" if new else "emptied", new))
        else:
            changes.append((graph, "created", new))
    return changes


def _check_changes(store: GraphStore, changes: Sequence[tuple[rdf.NamedNode, str, list[rdf.Quad]]], admin: bool) -> None:
    for graph, change, _ in changes:
        write_policy.check_reachable(graph)
        if graph.value in PROTECTED:
            if admin:
                continue  # the ontology and the derived links: admins may rewrite them
            raise WriteRefused(f"the update changes {graph.value}, a system graph; only admins may change it")
        if change == "created" and (store.has_graph(graph) or registry.is_registered(store, graph)):
            raise BadWrite(
                f"the update writes to {graph.value}, which exists but is not named in the update text or not "
                "visible to you: name the graphs you write (GRAPH <iri>, WITH <iri> or USING NAMED <iri>)"
            )
        write_policy.graph_for_write(graph.value)


def _check_flow(
    store: GraphStore,
    copied: Sequence[rdf.NamedNode],
    changes: Sequence[tuple[rdf.NamedNode, str, list[rdf.Quad]]],
    flags: dict[str, bool],
    restricted_new: bool,
) -> None:
    """The information-flow rules of graph.guards.write_policy, on what the update did."""

    def restricted(graph: rdf.NamedNode) -> bool:
        return flags.get(graph.value, restricted_new)

    # A graph emptied or dropped whole holds nothing afterwards, whatever the update read.
    filled = [(graph, change) for graph, change, _ in changes if change in {"created", "modified"}]
    write_policy.check_update_flow(copied, filled, restricted)
    for graph, change, quads in changes:
        if change in {"created", "modified"} and not restricted(graph):
            old = set(store.quads(graph)) if change == "modified" else set()
            added = [rdf.Triple(q.subject, q.predicate, q.object) for q in quads if rdf.Quad(q.subject, q.predicate, q.object, graph) not in old]
            write_policy.check_no_restricted_copies(store, graph, added, flags)


def sandboxed_update(
    store: GraphStore,
    text: str,
    *,
    readable: Sequence[rdf.NamedNode],
    limits: QueryLimits,
    restricted_new: bool = False,
    reason: bool = True,
    admin: bool = False,
) -> WriteReport:
    """Run a SPARQL Update (see the module docstring). `readable` are the graphs the caller may
    read; `admin` allows SERVICE and LOAD (the worker keeps its network), changes to the ontology
    and derived graphs, and skips validation. Raises SyntaxError, WriteRefused, BadWrite, the
    query-limit errors, or loader errors (ShapeViolations, LoadError) for content that fails
    validation."""
    named = mentioned_iris(text)
    for iri in sorted(named & PROTECTED_GRAPHS):
        write_policy.check_reachable(rdf.NamedNode(iri))
    readable = [graph for graph in readable if graph.value not in PROTECTED_GRAPHS]
    # CLEAR ALL / DROP ALL mean the data graphs: they are all the update is given.
    everything = outbound.verdict(text, update=True).whole_store
    with store.writing():
        previous_version = registry.versions(store).current
        copied = [graph for graph in readable if graph.value in named or (everything and graph.value not in SYSTEM_GRAPHS)]
        sandbox = open_scratch()
        for graph in copied:
            sandbox.add_graph(graph)
        sandbox.bulk_add(q for graph in copied for q in store.quads(graph))
        after = _run_sandbox(store, sandbox, text, limits, network=admin)
        changes = _diff(store, copied, after)
        touched = _touched_predicates(store, copied, changes)
        _check_changes(store, changes, admin)
        flags = restricted_flags(store)
        _check_flow(store, copied, changes, flags, restricted_new)
        writes = [(g, c, quads) for g, c, quads in changes if c in {"created", "modified"}]

        def sources(graph: rdf.NamedNode, quads: list[rdf.Quad]) -> list[RdfSource]:
            return [RdfSource.from_bytes(f"SPARQL update of {registry.graph_name(graph)}", triples_bytes(quads), NTRIPLES)]

        if len(writes) > 1 and not admin:  # validate them all before writing any
            for graph, _, quads in writes:
                load_graph(
                    store, graph, sources(graph, quads), admin=False, restricted=False, importer="sparql-update", dry_run=True, limits=limits
                )
        report = []
        for graph, change, quads in changes:
            restricted = flags.get(graph.value, restricted_new)
            if change in {"created", "modified"}:
                result = load_graph(
                    store,
                    graph,
                    sources(graph, quads),
                    admin=admin,
                    restricted=restricted,
                    importer="sparql-update",
                    trusted=admin,
                    limits=None if len(writes) > 1 else limits,  # several: validated above already
                )
                report.append(GraphChange(graph.value, change, result.triples))
            elif change == "emptied":
                store.drop_graph(graph)
                now = registry.now()
                registry.register(
                    store,
                    registry.ImportRecord(graph, (), 0, True, now, now, importer="sparql-update", restricted=restricted),
                )
                report.append(GraphChange(graph.value, change, 0))
            else:
                registry.unregister(store, graph)
                store.drop_graph(graph)
                report.append(GraphChange(graph.value, change, 0))
        store.flush()
        return WriteReport(tuple(report), reason_links(store, reason and bool(report), touched, previous_version))
