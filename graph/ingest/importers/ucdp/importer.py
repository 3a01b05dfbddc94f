"""Importing the UCDP actor list into the graph `ucdp`.

The whole file is read and checked first (UcdpImportError names every bad row and column), then
built into triples and written in one validated, atomic load; the same file twice changes nothing.
Before writing, every actor is screened against the other graphs (`crosswalk`) and the possible
matches are reported for review, never merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graph.ingest import loader, registry
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.sfm.write import GraphContent, StoreNotReady, write_graphs
from graph.ingest.importers.ucdp.crosswalk import Crossing, crosswalk
from graph.ingest.importers.ucdp.mapping import DEFAULT_URL, classes_by_code, list_triples
from graph.ingest.importers.ucdp.read import UcdpImportError, read_actor_list
from graph.store import GraphStore

__all__ = ["DEFAULT_GRAPH", "DEFAULT_URL", "StoreNotReady", "UcdpImportError", "UcdpReport", "import_actor_list"]

DEFAULT_GRAPH = "ucdp"


@dataclass
class UcdpReport(ImportReport):
    """The import report, and the actors that may already be in the graph."""

    crosswalk: list[Crossing] = field(default_factory=list)

    def lines(self) -> list[str]:
        matched = [c for c in self.crosswalk if c.status == "match"]
        out = super().lines()
        out.append(f"crosswalk (for review, nothing merged): {len(matched)} may be actors already in the graph, "
                   f"{len(self.crosswalk) - len(matched)} ambiguous")  # fmt: skip
        for crossing in self.crosswalk:
            best = crossing.candidates[0] if crossing.candidates else {}
            alias = f" (as {crossing.screened!r})" if crossing.screened != crossing.name else ""
            out.append(
                f"    ucdp:{crossing.ucdp_id} {crossing.name}{alias}: {crossing.status}, {best.get('label', '')} ({best.get('iri', '')}, score {best.get('score', '')})"
            )
        return out

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "crosswalk": [c.as_dict() for c in self.crosswalk]}


def import_actor_list(store: GraphStore, path: Path, *, graph: str = DEFAULT_GRAPH, url: str = DEFAULT_URL) -> UcdpReport:
    """Import one UCDP actor list file into `graph`, and report the crosswalk."""
    path = Path(path)
    report = UcdpReport()
    actors = read_actor_list(path, report)
    classes = classes_by_code(store)
    missing = sorted({a.org for a in actors.actors.values()} - set(classes))
    if missing:
        raise StoreNotReady(f"the ontology maps no class to UCDP Org code(s) {missing}; run `actorgraph init` first")
    triples, counts = list_triples(actors, classes, url, report.file(path.name))
    report.counts.update(counts)
    target = loader.resolve_graph(graph, graph)
    others = [g for g in registry.visible_graphs(store) if g != target]
    report.crosswalk = crosswalk(store, others, actors)
    name = f"{path} (UCDP actor list, version {actors.version})"
    report.graphs = write_graphs(store, [GraphContent(graph, frozenset(triples), restricted=False)], source_name=name, importer="ucdp")
    return report
