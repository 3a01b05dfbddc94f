"""Writes through the web API's Graph Store Protocol, and what every API write shares.

A graph is replaced, merged or deleted whole: the new content is validated against the SHACL
shapes (not an admin's), swapped in atomically and (re)registered with a PROV import record
(graph.ingest.loader), then the derived links are recomputed. SPARQL Update, which needs a sandbox
to be checked at all, is in graph.ingest.update and writes back through the same functions.

Each write holds the store's write lock (GraphStore.writing) from its first read to its last write,
so a sandbox never works from a stale copy. Reads do not take it: they never wait for a write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from graph.access.keys import KEYS_GRAPH
from graph.errors import NotFoundError
from graph.guards import write_policy
from graph.guards.write_policy import BadWrite as BadWrite  # noqa: PLC0414 - re-exported: callers catch writes.BadWrite
from graph.guards.write_policy import WriteRefused as WriteRefused  # noqa: PLC0414 - re-exported, likewise
from graph.ingest import derivation, loader, registry, rule_inputs, setup
from graph.ingest.formats import format_named
from graph.ingest.isolated_validation import IsolatedValidator, single_thread_validator
from graph.ingest.loader import LoadResult, RdfSource
from graph.store import GraphStore, rdf
from graph.store.limits import QueryLimits
from ontology.namespaces import SYSTEM_GRAPHS

# Graphs only admins may write through the API; of these, PROTECTED_GRAPHS not even admins.
PROTECTED = frozenset(SYSTEM_GRAPHS | {KEYS_GRAPH.value})
NTRIPLES = format_named("ntriples")


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
                {"graph": c.graph, "name": registry.graph_name(rdf.NamedNode(c.graph)), "change": c.change, "triples": c.triples}
                for c in self.changes
            ],
            "reasoned": self.reasoned,
        }


def check_writable(graph: rdf.NamedNode, *, admin: bool) -> None:
    """Refuse writes to system graphs for non-admins, and to the graphs that change only through
    their own commands (graph.guards.write_policy) for all."""
    write_policy.check_reachable(graph)
    if graph.value in PROTECTED and not admin:
        raise WriteRefused(f"graph {graph.value} is a system graph; only admins may write it")


def restricted_flags(store: GraphStore) -> dict[str, bool]:
    """Graph IRI -> restricted, for every registered graph."""
    return {info.graph.value: info.restricted for info in registry.registered_graphs(store)}


def triples_bytes(quads: Sequence[rdf.Quad]) -> bytes:
    """The quads as N-Triples (graph names dropped), to load them again as a source."""
    return rdf.triples_bytes(rdf.triple_of(q) for q in quads)


def reason_links(store: GraphStore, wanted: bool, touched: frozenset[str] | None = None, previous_version: str | None = None) -> bool:
    """Bring the derived links up to date. A change whose `touched` predicates no rule reads keeps
    the links computed for `previous_version`, re-recorded for the new version."""
    if not wanted or not setup.is_initialized(store):
        return False
    carry = touched is not None and previous_version is not None and not rule_inputs.rules_read_any(touched)
    if carry and previous_version is not None and derivation.carry_derived_links(store, previous_version):
        return True
    derivation.reason(store)
    return True


@lru_cache(maxsize=8)
def write_limits(limits: QueryLimits) -> QueryLimits:
    """The same limits with one slot of their own for updates. Updates run one at a time under
    the store's write lock anyway, and an editor queued behind twenty readers for a slot would hold every
    other write back. One shared slot, so that a runaway update abandoned in a thread (a write
    was under way when it started) blocks the next ones rather than pile up."""
    return replace(limits, workers=1, niceness=0)


# --- the Graph Store Protocol ----------------------------------------------------------------


def load_graph(
    store: GraphStore,
    graph: rdf.NamedNode,
    sources: Sequence[RdfSource],
    *,
    admin: bool,
    restricted: bool,
    importer: str,
    dry_run: bool = False,
    trusted: bool = False,
    limits: QueryLimits | None = None,
) -> LoadResult:
    """Load through graph.ingest.loader, validated against everything but the graph's old version (the
    loader leaves it out); with `limits`, the validation runs in a query worker
    (graph.ingest.isolated_validation)."""
    system = graph.value in PROTECTED
    validator = None if limits is None else IsolatedValidator(single_thread_validator(), write_limits(limits))
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
        validator=validator,
    )


def _check_upload(store: GraphStore, graph: rdf.NamedNode, upload: RdfSource, flags: dict[str, bool], restricted: bool) -> None:
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
    write_policy.check_no_restricted_copies(store, graph, (rdf.Triple(q.subject, q.predicate, q.object) for q in quads), flags)


def replace_graph(
    store: GraphStore, graph: rdf.NamedNode, upload: RdfSource, *, admin: bool, restricted: bool = False, reason: bool = True
) -> tuple[bool, WriteReport]:
    """GSP PUT: the graph becomes exactly the upload, validated, atomically. Returns whether the
    graph was created. An existing graph keeps its restricted flag; `restricted` is for new ones."""
    check_writable(graph, admin=admin)
    with store.writing():
        flags = restricted_flags(store)
        created = graph.value not in flags
        _check_upload(store, graph, upload, flags, restricted)
        result = load_graph(store, graph, [upload], admin=admin, restricted=flags.get(graph.value, restricted), importer="graph-store")
        change = GraphChange(graph.value, "created" if created else "modified", result.triples)
        return created, WriteReport((change,), reason_links(store, reason))


def merge_graph(
    store: GraphStore, graph: rdf.NamedNode, upload: RdfSource, *, admin: bool, restricted: bool = False, reason: bool = True
) -> tuple[bool, WriteReport]:
    """GSP POST: add the upload to the graph. The old content and the upload are staged together
    as one import, validated as a whole and swapped in atomically, so a merge that breaks a shape
    (say, a second confidence on a relation) is refused and leaves the graph as it was.
    Blank nodes of the upload stay apart from those already in the graph (GSP merge semantics)."""
    check_writable(graph, admin=admin)
    with store.writing():
        flags = restricted_flags(store)
        created = graph.value not in flags
        _check_upload(store, graph, upload, flags, restricted)
        sources = [upload]
        if not created:
            existing = list(store.quads(graph))
            name = f"{registry.graph_name(graph)} (content before the merge)"
            sources = [RdfSource.from_bytes(name, triples_bytes(existing), NTRIPLES), upload]
        result = load_graph(store, graph, sources, admin=admin, restricted=flags.get(graph.value, restricted), importer="graph-store")
        change = GraphChange(graph.value, "created" if created else "modified", result.triples)
        return created, WriteReport((change,), reason_links(store, reason))


def delete_graph(store: GraphStore, graph: rdf.NamedNode, *, admin: bool, reason: bool = True) -> WriteReport:
    """GSP DELETE: drop the graph and its registration."""
    check_writable(graph, admin=admin)
    with store.writing():
        if not registry.is_registered(store, graph):
            raise GraphNotFound(f"no graph {graph.value}")
        triples = store.graph_size(graph)
        registry.unregister(store, graph)  # first: invisible before it is emptied
        store.drop_graph(graph)
        store.flush()
        return WriteReport((GraphChange(graph.value, "dropped", triples),), reason_links(store, reason))
