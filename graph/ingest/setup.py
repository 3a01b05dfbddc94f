"""Creating a store: the ontology, optionally the bundled demo data, and the derived links."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.ingest import inference, loader, registry
from graph.ingest.loader import LoadResult, RdfSource
from graph.store import GraphStore, dumps, failpoints, rdf
from ontology.files import MODEL_FILES
from ontology.namespaces import (
    DEMO_GRAPH,
    FICTIONAL_GRAPH,
    INFERRED_GRAPH,
    INFERRED_RESTRICTED_GRAPH,
    ONTOLOGY_GRAPH,
    SYSTEM_GRAPHS,
)

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DEMO_DIR = DATA_DIR / "demo"
FICTIONAL_DIR = DATA_DIR / "fictional"

Progress = Callable[[int], None]


@dataclass
class InitReport:
    loads: list[LoadResult] = field(default_factory=list)
    inferred: dict[str, int] = field(default_factory=dict)
    skipped: bool = False


def is_initialized(store: GraphStore) -> bool:
    return registry.is_registered(store, rdf.NamedNode(ONTOLOGY_GRAPH))


def _sources(paths: list[Path]) -> list[RdfSource]:
    return [RdfSource.from_path(path) for path in paths]


def demo_files() -> dict[str, list[Path]]:
    """The bundled datasets, by graph: real public data, and the fictional scenario apart."""
    return {
        registry.graph_name(rdf.NamedNode(DEMO_GRAPH)): sorted(DEMO_DIR.glob("*.ttl")),
        registry.graph_name(rdf.NamedNode(FICTIONAL_GRAPH)): sorted(FICTIONAL_DIR.glob("*.ttl")),
    }


def load_ontology(store: GraphStore) -> LoadResult:
    """(Re)load the model files into the ontology graph. They are ours and tested, so trusted."""
    return loader.load_sources(
        store,
        _sources(list(MODEL_FILES)),
        graph=registry.graph_name(rdf.NamedNode(ONTOLOGY_GRAPH)),
        trusted=True,
        replace=True,
        allow_system_graph=True,
        importer="ontology",
    )


def _register_inferred(store: GraphStore, graph: rdf.NamedNode, *, restricted: bool, data_version: str) -> None:
    now = registry.now()
    record = registry.ImportRecord(
        graph=graph,
        files=(),
        triples=store.graph_size(graph),
        validated=False,
        started=now,
        ended=now,
        importer="rules",
        restricted=restricted,
        data_version=data_version,
    )
    registry.register(store, record)


def reason(store: GraphStore) -> dict[str, int]:
    """Materialize the derived links and register the inferred graphs so queries can read them.

    Links that follow from public data go to the public `inferred` graph. When restricted graphs
    exist, links from all data go to `inferred-restricted`, itself restricted, so a reader never
    sees a link whose evidence they may not see.

    Each inferred graph is registered last, with the data version its links were computed from:
    that record is the commit point, so a run cut short leaves an older version, which
    `derived_links_stale` reports and start-up recovery recomputes."""
    version = registry.versions(store).current
    infos = [i for i in registry.registered_graphs(store) if i.graph.value not in SYSTEM_GRAPHS and i.importer != "rules"]
    public = [i.graph for i in infos if not i.restricted]
    report = inference.materialize(store, source_graphs=public)
    _register_inferred(store, rdf.NamedNode(INFERRED_GRAPH), restricted=False, data_version=version)
    failpoints.reached("reason:public-done")
    restricted_target = rdf.NamedNode(INFERRED_RESTRICTED_GRAPH)
    if any(i.restricted for i in infos):
        inference.materialize(store, source_graphs=[i.graph for i in infos], target=restricted_target)
        _register_inferred(store, restricted_target, restricted=True, data_version=version)
    else:
        if registry.is_registered(store, restricted_target):
            registry.unregister(store, restricted_target)
        store.drop_graph(restricted_target)  # also what an interrupted run left unregistered
    return dict(report.counts)


def carry_derived_links(store: GraphStore, previous_version: str) -> bool:
    """Record the derived links as computed from the current data version without recomputing
    them, for a change that touched nothing the rules read. Only when they were up to date for
    `previous_version` and the inferred graphs needed stay the same; False otherwise (then reason)."""
    versions = registry.versions(store)
    public, restricted = INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH
    if versions.derived_from.get(public) != previous_version:
        return False
    had_restricted = versions.derived_from.get(restricted) == previous_version
    if versions.restricted_data != had_restricted:
        return False  # an inferred-restricted graph must be made, or dropped
    _register_inferred(store, rdf.NamedNode(public), restricted=False, data_version=versions.current)
    if had_restricted:
        _register_inferred(store, rdf.NamedNode(restricted), restricted=True, data_version=versions.current)
    return True


def derived_links_stale(store: GraphStore) -> list[str]:
    """Why the derived links do not match the data, or [] when they do: an inferred graph that is
    missing, was computed from another data version, or should not exist any more."""
    versions = registry.versions(store)
    public, restricted = INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH
    problems = []
    if public not in versions.derived_from:
        if versions.data_graphs:
            problems.append("the inferred graph is not registered")
    elif versions.derived_from[public] != versions.current:
        problems.append("the inferred graph was computed from another data version")
    if versions.restricted_data:
        if versions.derived_from.get(restricted) != versions.current:
            problems.append("the inferred-restricted graph is missing or was computed from another data version")
    elif restricted in versions.derived_from or store.has_graph(rdf.NamedNode(restricted)):
        problems.append("the inferred-restricted graph remains while no graph is restricted")
    return problems


def init_store(store: GraphStore, *, demo: bool = False, force: bool = False) -> InitReport:
    """Load the ontology (and with `demo` the bundled data), then materialize derived links.

    An initialized store is left alone unless `force` is given, so `make run` can call this on
    every start and only the first run pays for it.
    """
    report = InitReport()
    if is_initialized(store) and not force:
        missing_demo = demo and not registry.is_registered(store, rdf.NamedNode(DEMO_GRAPH))
        if not missing_demo:
            report.skipped = True
            return report
    report.loads.append(load_ontology(store))
    if demo:
        for name, paths in demo_files().items():
            if paths:
                report.loads.append(loader.load_sources(store, _sources(paths), graph=name, replace=True))
    report.inferred = reason(store)
    return report


def export_asserted_data(store: GraphStore) -> Path:
    """Write every asserted data graph (not the ontology, inferred or meta graphs) to a temporary
    N-Triples file, for the reasoner. The caller deletes the file."""
    graphs = [g for g in registry.visible_graphs(store) if g.value not in SYSTEM_GRAPHS]
    with tempfile.NamedTemporaryFile(prefix="actorgraph-data-", suffix=".nt", delete=False) as handle:
        path = Path(handle.name)
    dumps.export_graphs(store, graphs, path)
    return path
