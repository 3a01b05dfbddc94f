"""Importing a user's own actors, relations, incidents and sources (CSV files in the columns of the
templates shipped in `templates/`) into one graph, `csv` by default.

Every file is read and every cell checked first, then every reference resolved; any problem stops
the import before anything is written and is named by file, row and column. The triples are then
written in one validated, atomic load; the same files twice change nothing.
"""

from __future__ import annotations

from pathlib import Path

from graph.ingest import loader, setup
from graph.ingest.importers.csv.mapping import build
from graph.ingest.importers.csv.read import CsvImportError, read_files
from graph.ingest.importers.csv.vocab import Vocabulary
from graph.ingest.importers.problems import Problems
from graph.ingest.importers.sfm.countries import COUNTRY_NAMES, state_iri
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.sfm.write import GraphContent, StoreNotReady, write_graphs
from graph.ingest.importers.terms import LABEL, TYPE, ag, text
from graph.store import GraphStore, rdf
from ontology.namespaces import AG, RDF

__all__ = ["DEFAULT_GRAPH", "TEMPLATES", "CsvImportError", "StoreNotReady", "import_tables"]

DEFAULT_GRAPH = "csv"
TEMPLATES = Path(__file__).resolve().parent / "templates"


def import_tables(store: GraphStore, paths: list[Path], *, graph: str = DEFAULT_GRAPH) -> ImportReport:
    """Import the CSV files given, and those of the folders given, into `graph`."""
    if not setup.is_initialized(store):
        raise StoreNotReady("the store is not initialized; run `actorgraph init` first")
    report, problems = ImportReport(), Problems()
    vocabulary = Vocabulary.read(store)
    rows = read_files([Path(p) for p in paths], vocabulary, report, problems)
    target = loader.resolve_graph(graph, graph)
    wanted = {"actor": set(vocabulary.actor_types.values()), "source": {AG + "Source"}}

    def known(iri: str, kind: str) -> bool:
        kinds = wanted[kind]
        return any(
            q.predicate.value == RDF + "type" and isinstance(q.object, rdf.NamedNode) and q.object.value in kinds and q.graph_name != target
            for q in store.quads(None, subject=rdf.NamedNode(iri))
        )

    triples, counts = build(rows, graph, vocabulary, known, problems)
    problems.raise_if_any(CsvImportError)
    states = {t.object for t in triples if t.predicate == ag("country")}
    for code, name in COUNTRY_NAMES.items():
        node = rdf.NamedNode(state_iri(code))
        if node in states:
            triples.update({rdf.Triple(node, TYPE, ag("State")), rdf.Triple(node, LABEL, text(name)), rdf.Triple(node, ag("name"), text(name)),
                            rdf.Triple(node, ag("countryCode"), text(code))})  # fmt: skip
    report.counts.update(counts)
    name = f"{', '.join(str(p) for p in paths)} (CSV tables)"
    report.graphs = write_graphs(store, [GraphContent(graph, frozenset(triples), restricted=False)], source_name=name, importer="csv")
    return report
