"""Writing an import's public and restricted graphs: validated, atomic, and idempotent.

The loader makes one graph atomic. An SFM import writes two (public and restricted), so:
1. If both graphs already hold exactly the new triples, nothing is written at all, not even an
   import record: importing the same export twice leaves the store byte-for-byte unchanged.
2. Both graphs' triples are validated together first (a dry run of the loader), so a shape
   violation in either stops the import before anything is written.
3. Each graph is then loaded through `graph.ingest.loader.load_sources` (validated again, staged and
   swapped in one transaction). If the second load still fails, the first graph is put back as it
   was, so the store never shows half an import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.ingest import loader, registry, setup
from graph.ingest.formats import format_named
from graph.ingest.importers.sfm.report import GraphWrite
from graph.ingest.loader import LoadError, RdfSource
from graph.store import GraphStore, rdf

NTRIPLES = format_named("ntriples")
IMPORTER = "sfm"


class StoreNotReady(LoadError):
    """The store has no ontology yet, so nothing can be validated against it."""


@dataclass(frozen=True)
class GraphContent:
    """The triples meant for one named graph."""

    name: str
    triples: frozenset[rdf.Triple]
    restricted: bool


def ntriples(triples: Iterable[rdf.Triple]) -> bytes:
    """Sorted N-Triples: the same triples always give the same bytes (and the same checksum in
    the import record)."""
    lines = rdf.triples_bytes(list(triples)).splitlines(keepends=True)
    return b"".join(sorted(lines))


def _current(store: GraphStore, graph: rdf.NamedNode) -> tuple[bool, bool, frozenset[rdf.Triple]]:
    """Whether the graph is registered, whether it is restricted, and what it holds."""
    info = next((i for i in registry.registered_graphs(store) if i.graph == graph), None)
    if info is None:
        return False, False, frozenset()
    triples = frozenset(rdf.Triple(q.subject, q.predicate, q.object) for q in store.quads(graph))
    return True, info.restricted, triples


def _unchanged(store: GraphStore, content: GraphContent) -> bool:
    registered, restricted, triples = _current(store, loader.resolve_graph(content.name, content.name))
    if not content.triples:
        return not registered
    return registered and restricted == content.restricted and triples == content.triples


def write_graphs(store: GraphStore, contents: list[GraphContent], *, source_name: str, importer: str = IMPORTER) -> list[GraphWrite]:
    """Make each named graph hold exactly its content (an empty content removes the graph).
    `importer` names the importer in the PROV import records."""
    if not setup.is_initialized(store):
        raise StoreNotReady("the store is not initialized; run `actorgraph init` first")
    targets = {content.name: loader.resolve_graph(content.name, content.name) for content in contents}
    if all(_unchanged(store, content) for content in contents):
        return [GraphWrite(c.name, len(c.triples), c.restricted, "unchanged" if c.triples else "none") for c in contents]

    if len(contents) > 1:  # one graph is validated by its own load, before anything is swapped in
        everything = frozenset().union(*(content.triples for content in contents))
        loader.load_sources(
            store,
            [RdfSource.from_bytes(source_name, ntriples(everything), NTRIPLES)],
            graph=contents[0].name,
            dry_run=True,
            importer=importer,
        )

    done: list[tuple[GraphContent, tuple[bool, bool, frozenset[rdf.Triple]]]] = []
    writes: list[GraphWrite] = []
    try:
        for content in contents:
            target = targets[content.name]
            before = _current(store, target)
            if _unchanged(store, content):
                writes.append(
                    GraphWrite(content.name, len(content.triples), content.restricted, "unchanged" if content.triples else "none")
                )
                continue
            done.append((content, before))
            if not content.triples:
                registry.unregister(store, target)
                store.drop_graph(target)
                writes.append(GraphWrite(content.name, 0, content.restricted, "removed"))
                continue
            loader.load_sources(
                store,
                [RdfSource.from_bytes(source_name, ntriples(content.triples), NTRIPLES)],
                graph=content.name,
                replace=True,
                restricted=content.restricted,
                importer=importer,
            )
            writes.append(GraphWrite(content.name, len(content.triples), content.restricted, "replaced" if before[0] else "created"))
    except BaseException:
        for content, before in reversed(done):
            _restore(store, content.name, targets[content.name], before, source_name, importer)
        raise
    store.flush()
    return writes


def _restore(
    store: GraphStore, name: str, graph: rdf.NamedNode, before: tuple[bool, bool, frozenset[rdf.Triple]], source_name: str, importer: str
) -> None:
    """Put a graph back as it was before this import touched it."""
    registered, restricted, triples = before
    if not registered:
        registry.unregister(store, graph)
        store.drop_graph(graph)
        return
    loader.load_sources(
        store,
        [RdfSource.from_bytes(f"{source_name} (restored)", ntriples(triples), NTRIPLES)],
        graph=name,
        replace=True,
        trusted=True,
        restricted=restricted,
        importer=importer,
    )
