"""Creating a store: the ontology, optionally the bundled demo data, and the derived links."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.ingest import loader, registry
from graph.ingest.derivation import reason
from graph.ingest.loader import LoadResult, RdfSource
from graph.store import GraphStore, dumps, rdf
from ontology.files import MODEL_FILES
from ontology.namespaces import (
    DEMO_GRAPH,
    FICTIONAL_GRAPH,
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
