"""Start-up recovery: put a store back in a state some sequence of complete writes could have left.

Writes are ordered so that every crash leaves one of two marks, both visible from the registry:

- An import writes its data first (bulk, no transaction) and registers the graph last, in one
  transaction (graph.ingest.loader, graph.ingest.registry). Killed before that, it leaves an *orphan*: a named
  graph with quads but no registration. Nobody reads it, but it takes space and shows in dumps.
- Derived links are recorded with the data version they were computed from (graph.ingest.derivation.reason).
  Killed between a registration and the end of a derivation, the store holds links computed from
  an older version: *stale*, so vetting would miss the new data's links.

`recover` removes orphans and recomputes stale links. It never removes a system graph (meta,
keys, audit, vetting cases, the ontology); the only system graph it may rewrite is an inferred
one, by recomputing it. `graph.store.open_store` runs it whenever a writable on-disk store is
opened: by `actorgraph serve`, `load` and every other command.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from graph.ingest import derivation, registry
from graph.store import rdf
from graph.store.base import GraphStore
from ontology.namespaces import SYSTEM_GRAPHS

LOG = logging.getLogger("actorgraph.recovery")


@dataclass
class RecoveryReport:
    orphans: dict[str, int] = field(default_factory=dict)  # graph IRI -> quads removed
    stale: list[str] = field(default_factory=list)  # why the derived links were stale
    rederived: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.orphans) or self.rederived


def orphan_graphs(store: GraphStore) -> list[rdf.NamedNode]:
    """Named graphs that hold quads but are neither registered nor system graphs: what an import
    (or a staged replacement) left when it was interrupted before its commit."""
    registered = registry.registered_iris(store)
    return sorted(
        (g for g in store.named_graphs() if g.value not in registered and g.value not in SYSTEM_GRAPHS),
        key=lambda g: g.value,
    )


def recover(store: GraphStore, *, derive_stale: bool = True) -> RecoveryReport:
    """Remove orphan graphs, then recompute the derived links if they are stale (unless
    `derive_stale` is false: `load --no-reason` defers derivation on purpose). Logs what it did."""
    started = time.perf_counter()
    report = RecoveryReport()
    for graph in orphan_graphs(store):
        report.orphans[graph.value] = store.graph_size(graph)
        store.drop_graph(graph)
        LOG.warning(
            "recovery: removed %s quads of graph %s, left unregistered by an interrupted import",
            f"{report.orphans[graph.value]:,}",
            graph.value,
        )
    report.stale = derivation.derived_links_stale(store)
    if report.stale and derive_stale:
        LOG.warning("recovery: derived links are stale (%s); recomputing them", "; ".join(report.stale))
        counts = derivation.reason(store)
        report.rederived = True
        LOG.warning("recovery: derived %s links", f"{sum(counts.values()):,}")
    if report.changed:
        store.flush()
    report.seconds = time.perf_counter() - started
    if report.changed:
        LOG.warning("recovery: done in %.1f s", report.seconds)
    return report


def warn_if_needed(store: GraphStore) -> list[str]:
    """For a store opened read-only, which cannot be repaired: say what recovery would do, so a
    reader knows the derived links may be missing. Returns the problems found."""
    problems = [f"graph {g.value} was left unregistered by an interrupted import" for g in orphan_graphs(store)]
    problems += derivation.derived_links_stale(store)
    if problems:
        LOG.warning(
            "recovery needed (%s); this store is open read-only: open it for writing "
            "(actorgraph serve, or actorgraph reason) to recover",
            "; ".join(problems),
        )
    return problems
