"""Importing the PA-X peace agreements file into the graph `pax`.

The whole file is read and checked first (PaxImportError names every bad row and column), the
signatories are screened against the other graphs (`signatories`), and the triples are written in
one validated, atomic load; the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graph.ingest import loader, registry
from graph.ingest.importers.pax.mapping import (
    DEFAULT_URL,
    DEFAULT_VERSION,
    agreement_triples,
    signing_triples,
    source_iri,
    source_triples,
    state_triples,
)
from graph.ingest.importers.pax.read import PaxImportError, read_agreements
from graph.ingest.importers.pax.signatories import Signatories, find_signatories
from graph.ingest.importers.sfm.countries import state_iri
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.sfm.write import GraphContent, StoreNotReady, write_graphs
from graph.store import GraphStore, rdf

__all__ = ["DEFAULT_GRAPH", "DEFAULT_URL", "DEFAULT_VERSION", "PaxImportError", "PaxReport", "StoreNotReady", "import_agreements"]

DEFAULT_GRAPH = "pax"


@dataclass
class PaxReport(ImportReport):
    """The import report, and what the signatories' names became."""

    signatories: Signatories = field(default_factory=Signatories)

    def lines(self) -> list[str]:
        return super().lines() + self.signatories.lines()

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "signatories": self.signatories.as_dict()}


def import_agreements(
    store: GraphStore, path: Path, *, graph: str = DEFAULT_GRAPH, url: str = DEFAULT_URL, version: str = DEFAULT_VERSION
) -> PaxReport:
    """Import one PA-X agreements file into `graph`, linking the signatories found in the graph."""
    path = Path(path)
    report = PaxReport()
    agreements = read_agreements(path, report)
    target = loader.resolve_graph(graph, graph)
    others = [g for g in registry.visible_graphs(store) if g != target]
    report.signatories = found = find_signatories(store, others, agreements)
    source = source_iri(version)
    triples: set[rdf.Triple] = set(source_triples(version, url))
    codes: set[str] = set()
    signings = 0
    for agreement in agreements:
        triples.update(agreement_triples(agreement, source))
        codes.update(agreement.countries)
        for name, actor in found.signatories(agreement, {state_iri(code) for code in agreement.countries}):
            triples.update(signing_triples(agreement, name, actor, source))
            signings += 1
    triples.update(state_triples(codes))
    report.counts.update({"agreements": len(agreements), "provisions": sum(len(a.provisions) for a in agreements), "signings": signings})
    name = f"{path} (PA-X peace agreements, version {version})"
    report.graphs = write_graphs(store, [GraphContent(graph, frozenset(triples), restricted=False)], source_name=name, importer="pax")
    return report
