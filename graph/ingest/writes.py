"""Writes that come through the web API: SPARQL Update and the Graph Store Protocol.

The problem: pyoxigraph runs an update against the whole store. It has no `default_graph=` or
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
   worker without network unless the caller is an admin (graph.store.netguard).
3. The result is compared with the originals. Refused: a change to those system graphs (every
   role), to the ontology or derived graphs (below admin), to an existing graph the text did not
   name, to the default graph, to a graph named outside ActorGraph's namespace, or one that
   breaks the information-flow rules (graph.guards.write_policy).
4. Every changed graph is written back through graph.ingest.loader: validated against the SHACL shapes
   (not an admin's), swapped in atomically, and (re)registered with a PROV import record; new
   graphs become visible that way, dropped graphs are unregistered. With several graphs, all are
   validated before any is written. Then the derived links are recomputed.

All writes hold one lock (graph.store.limits.WRITE_LOCK), so a sandbox never works from a stale copy.
Reads do not take it: they never wait for a write (graph.store.limits says how they stay safe).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from graph.access.keys import KEYS_GRAPH
from graph.errors import NotFoundError
from graph.guards import outbound, write_policy
from graph.guards.sparql_scan import mentioned_iris
from graph.guards.write_policy import BadWrite as BadWrite
from graph.guards.write_policy import WriteRefused as WriteRefused
from graph.ingest import loader, registry, rule_inputs, setup
from graph.ingest.formats import format_named
from graph.ingest.isolated_validation import IsolatedValidator, Validator, single_thread_validator
from graph.ingest.loader import LoadResult, RdfSource
from graph.ingest.validation import Violation
from graph.store import GraphStore
from graph.store.limits import WRITE_LOCK, QueryLimits, raise_for_outcome, run_isolated
from ontology.namespaces import PROTECTED_GRAPHS, SYSTEM_GRAPHS

# Graphs only admins may write through the API; of these, PROTECTED_GRAPHS not even admins.
PROTECTED = frozenset(SYSTEM_GRAPHS | {KEYS_GRAPH.value})
_NTRIPLES = format_named("ntriples")


class GraphNotFound(NotFoundError, LookupError):
    """No such graph, or none the caller may see (HTTP 404)."""


@dataclass(frozen=True)
class GraphChange:
    graph: str
    change: str  # created, modified, emptied, dropped
    triples: int


@dataclass(frozen=True)
class WriteReport:
    changes: tuple[GraphChange, ...]
    reasoned: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "changes": [
                {"graph": c.graph, "name": registry.graph_name(ox.NamedNode(c.graph)), "change": c.change, "triples": c.triples}
                for c in self.changes
            ],
            "reasoned": self.reasoned,
        }


def check_writable(graph: ox.NamedNode, *, admin: bool) -> None:
    """Refuse writes to system graphs for non-admins, and to the graphs that change only through
    their own commands (graph.guards.write_policy) for all."""
    write_policy.check_reachable(graph)
    if graph.value in PROTECTED and not admin:
        raise WriteRefused(f"graph {graph.value} is a system graph; only admins may write it")


def _restricted_flags(store: GraphStore) -> dict[str, bool]:
    return {info.graph.value: info.restricted for info in registry.registered_graphs(store)}


def _triples_bytes(quads: Sequence[ox.Quad]) -> bytes:
    return ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""


def _reason(store: GraphStore, wanted: bool, touched: frozenset[str] | None = None, previous_version: str | None = None) -> bool:
    """Bring the derived links up to date. A change whose `touched` predicates no rule reads keeps
    the links computed for `previous_version`, re-recorded for the new version."""
    if not wanted or not setup.is_initialized(store):
        return False
    if touched is not None and previous_version is not None and not rule_inputs.rules_read_any(touched):
        if setup.carry_derived_links(store, previous_version):
            return True
    setup.reason(store)
    return True


def _touched_predicates(
    store: GraphStore, copied: Sequence[ox.NamedNode], changes: Sequence[tuple[ox.NamedNode, str, list[ox.Quad]]]
) -> frozenset[str]:
    """The predicates of the triples an update adds or removes, read before anything is written."""
    touched: set[str] = set()
    for graph, _, new in changes:
        old = set(store.quads(graph)) if graph in copied else set()
        touched.update(quad.predicate.value for quad in old.symmetric_difference(new))
    return frozenset(touched)


# --- the Graph Store Protocol ----------------------------------------------------------------


class _ReplacingValidator:
    """The shared validator, minus the graph being replaced in the context graphs.

    graph.ingest.loader validates a replacement against every visible graph, the old version of the
    target included, so new content that drops a required triple (a relation's source) passes
    because the old graph still holds it. Here the old version is left out; the loader itself
    should do the same for `actorgraph load --replace`."""

    def __init__(self, replaced: ox.NamedNode, inner: Validator | None = None) -> None:
        self._inner, self._replaced = inner or loader.default_validator(), replaced

    def validate(
        self, store: Any, data_graphs: Sequence[ox.NamedNode], context_graphs: Sequence[ox.NamedNode] = (), limit: int = 1000
    ) -> list[Violation]:
        context = [graph for graph in context_graphs if graph != self._replaced]
        return self._inner.validate(store, data_graphs, context, limit)


def _load(
    store: GraphStore,
    graph: ox.NamedNode,
    sources: Sequence[RdfSource],
    *,
    admin: bool,
    restricted: bool,
    importer: str,
    dry_run: bool = False,
    trusted: bool = False,
    limits: QueryLimits | None = None,
) -> LoadResult:
    """Load through graph.ingest.loader, validated against everything but the graph's old version; with
    `limits`, the validation runs in a query worker (graph.ingest.isolated_validation)."""
    system = graph.value in PROTECTED
    validator: Validator = _ReplacingValidator(graph)
    if limits is not None:
        validator = IsolatedValidator(_ReplacingValidator(graph, single_thread_validator()), _update_limits(limits))
    return loader.load_sources(
        store,
        sources,
        graph=graph.value,
        replace=True,
        restricted=restricted,
        trusted=system or trusted,  # the ontology and derived links are not instance data for the shapes
        allow_system_graph=system and admin,
        importer=importer,
        dry_run=dry_run,
        validator=validator,  # type: ignore[arg-type]
    )


def _check_upload(store: GraphStore, graph: ox.NamedNode, upload: RdfSource, flags: dict[str, bool], restricted: bool) -> None:
    """Refuse an upload into a public graph that carries a restricted graph's triples. A body
    that does not parse is left to the load, which reports where."""
    if flags.get(graph.value, restricted):
        return
    loader.check_source(upload)  # XML bounds first: no parser sees an entity bomb
    try:
        with upload.open() as stream:
            # The loader's own parser, so the triples compared are the triples that would land.
            quads = list(loader._parsed_quads(stream, upload.format, upload.base_iri, graph, [0]))
    except SyntaxError:
        return
    write_policy.check_no_restricted_copies(store, graph, (ox.Triple(q.subject, q.predicate, q.object) for q in quads), flags)


def replace_graph(
    store: GraphStore, graph: ox.NamedNode, upload: RdfSource, *, admin: bool, restricted: bool = False, reason: bool = True
) -> tuple[bool, WriteReport]:
    """GSP PUT: the graph becomes exactly the upload, validated, atomically. Returns whether the
    graph was created. An existing graph keeps its restricted flag; `restricted` is for new ones."""
    check_writable(graph, admin=admin)
    with WRITE_LOCK:
        flags = _restricted_flags(store)
        created = graph.value not in flags
        _check_upload(store, graph, upload, flags, restricted)
        result = _load(store, graph, [upload], admin=admin, restricted=flags.get(graph.value, restricted), importer="graph-store")
        change = GraphChange(graph.value, "created" if created else "modified", result.triples)
        return created, WriteReport((change,), _reason(store, reason))


def merge_graph(
    store: GraphStore, graph: ox.NamedNode, upload: RdfSource, *, admin: bool, restricted: bool = False, reason: bool = True
) -> tuple[bool, WriteReport]:
    """GSP POST: add the upload to the graph. The old content and the upload are staged together
    as one import, validated as a whole and swapped in atomically, so a merge that breaks a shape
    (say, a second confidence on a relation) is refused and leaves the graph as it was.
    Blank nodes of the upload stay apart from those already in the graph (GSP merge semantics)."""
    check_writable(graph, admin=admin)
    with WRITE_LOCK:
        flags = _restricted_flags(store)
        created = graph.value not in flags
        _check_upload(store, graph, upload, flags, restricted)
        sources = [upload]
        if not created:
            existing = list(store.quads(graph))
            name = f"{registry.graph_name(graph)} (content before the merge)"
            sources = [RdfSource.from_bytes(name, _triples_bytes(existing), _NTRIPLES), upload]
        result = _load(store, graph, sources, admin=admin, restricted=flags.get(graph.value, restricted), importer="graph-store")
        change = GraphChange(graph.value, "created" if created else "modified", result.triples)
        return created, WriteReport((change,), _reason(store, reason))


def delete_graph(store: GraphStore, graph: ox.NamedNode, *, admin: bool, reason: bool = True) -> WriteReport:
    """GSP DELETE: drop the graph and its registration."""
    check_writable(graph, admin=admin)
    with WRITE_LOCK:
        if not registry.is_registered(store, graph):
            raise GraphNotFound(f"no graph {graph.value}")
        triples = store.graph_size(graph)
        registry.unregister(store, graph)  # first: invisible before it is emptied
        store.drop_graph(graph)
        store.flush()
        return WriteReport((GraphChange(graph.value, "dropped", triples),), _reason(store, reason))


# --- SPARQL Update -----------------------------------------------------------------------------


def _sandbox_work(sandbox: ox.Store, text: str) -> Callable[[Any], Callable[[Callable[[bytes], None]], dict[str, Any]]]:
    """Run the update in the sandbox, then send back the sandbox's quads and graph names (empty
    graphs do not show in N-Quads, and CLEAR must not look like DROP)."""

    def work_for(_abandoned: Any) -> Callable[[Callable[[bytes], None]], dict[str, Any]]:
        def work(sink: Callable[[bytes], None]) -> dict[str, Any]:
            sandbox.update(text)
            sink(sandbox.dump(format=ox.RdfFormat.N_QUADS) or b"")
            names = [g.value for g in sandbox.named_graphs() if isinstance(g, ox.NamedNode)]
            return {"kind": "dataset", "graphs": names}

        return work

    return work_for


@lru_cache(maxsize=8)
def _update_limits(limits: QueryLimits) -> QueryLimits:
    """The same limits with one slot of their own for updates. Updates run one at a time under
    WRITE_LOCK anyway, and an editor queued behind twenty readers for a slot would hold every
    other write back. One shared slot, so that a runaway update abandoned in a thread (a write
    was under way when it started: graph.store.limits) blocks the next ones rather than pile up."""
    return replace(limits, workers=1, niceness=0)


def _run_sandbox(sandbox: ox.Store, text: str, limits: QueryLimits, network: bool) -> ox.Store:
    # An update returns no rows: the cap does not apply, the timeout and the update slot do.
    data, outcome = run_isolated(_sandbox_work(sandbox, text), _update_limits(limits), network=network)
    raise_for_outcome(outcome, limits)
    after = ox.Store()
    after.bulk_extend(ox.parse(data, ox.RdfFormat.N_QUADS))
    for name in outcome["graphs"]:
        after.add_graph(ox.NamedNode(name))
    return after


def _diff(store: GraphStore, copied: Sequence[ox.NamedNode], after: ox.Store) -> list[tuple[ox.NamedNode, str, list[ox.Quad]]]:
    """(graph, change, new quads) for every graph the update changed."""
    if any(True for _ in after.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        raise BadWrite(
            "the update writes to the default graph, which ActorGraph does not store (the default graph of a "
            "query is the union of the graphs you may read): put the triples in GRAPH <iri> { } or use WITH <iri>"
        )
    names = {g for g in after.named_graphs() if isinstance(g, ox.NamedNode)}
    changes = []
    for graph in sorted(set(copied) | names, key=lambda g: g.value):
        new = list(after.quads_for_pattern(None, None, None, graph)) if graph in names else []
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


def _check_changes(store: GraphStore, changes: Sequence[tuple[ox.NamedNode, str, list[ox.Quad]]], admin: bool) -> None:
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
    copied: Sequence[ox.NamedNode],
    changes: Sequence[tuple[ox.NamedNode, str, list[ox.Quad]]],
    flags: dict[str, bool],
    restricted_new: bool,
) -> None:
    """The information-flow rules of graph.guards.write_policy, on what the update did."""

    def restricted(graph: ox.NamedNode) -> bool:
        return flags.get(graph.value, restricted_new)

    # A graph emptied or dropped whole holds nothing afterwards, whatever the update read.
    filled = [(graph, change) for graph, change, _ in changes if change in {"created", "modified"}]
    write_policy.check_update_flow(copied, filled, restricted)
    for graph, change, quads in changes:
        if change in {"created", "modified"} and not restricted(graph):
            old = set(store.quads(graph)) if change == "modified" else set()
            added = [ox.Triple(q.subject, q.predicate, q.object) for q in quads if ox.Quad(q.subject, q.predicate, q.object, graph) not in old]
            write_policy.check_no_restricted_copies(store, graph, added, flags)


def sandboxed_update(
    store: GraphStore,
    text: str,
    *,
    readable: Sequence[ox.NamedNode],
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
        write_policy.check_reachable(ox.NamedNode(iri))
    readable = [graph for graph in readable if graph.value not in PROTECTED_GRAPHS]
    # CLEAR ALL / DROP ALL mean the data graphs: they are all the update is given.
    everything = outbound.verdict(text, update=True).whole_store
    with WRITE_LOCK:
        previous_version = registry.versions(store).current
        copied = [graph for graph in readable if graph.value in named or (everything and graph.value not in SYSTEM_GRAPHS)]
        sandbox = ox.Store()
        for graph in copied:
            sandbox.add_graph(graph)
        sandbox.bulk_extend(q for graph in copied for q in store.quads(graph))
        after = _run_sandbox(sandbox, text, limits, network=admin)
        changes = _diff(store, copied, after)
        touched = _touched_predicates(store, copied, changes)
        _check_changes(store, changes, admin)
        flags = _restricted_flags(store)
        _check_flow(store, copied, changes, flags, restricted_new)
        writes = [(g, c, quads) for g, c, quads in changes if c in {"created", "modified"}]

        def sources(graph: ox.NamedNode, quads: list[ox.Quad]) -> list[RdfSource]:
            return [RdfSource.from_bytes(f"SPARQL update of {registry.graph_name(graph)}", _triples_bytes(quads), _NTRIPLES)]

        if len(writes) > 1 and not admin:  # validate them all before writing any
            for graph, _, quads in writes:
                _load(
                    store, graph, sources(graph, quads), admin=False, restricted=False, importer="sparql-update", dry_run=True, limits=limits
                )
        report = []
        for graph, change, quads in changes:
            restricted = flags.get(graph.value, restricted_new)
            if change in {"created", "modified"}:
                result = _load(
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
        return WriteReport(tuple(report), _reason(store, reason and bool(report), touched, previous_version))
