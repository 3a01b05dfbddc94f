"""Importing the UN Security Council consolidated list into the graph `unsc`.

`read_list` reads and checks the whole file first and raises UnscImportError naming every bad
element and field; only then are triples built and written, in one validated, atomic load. The
same file twice changes nothing. A newer list over an older one keeps history (`history`); an
older list over a newer one is refused, since it would undo delistings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph.ingest import loader
from graph.ingest.importers.problems import Problems
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.sfm.write import GraphContent, StoreNotReady, write_graphs
from graph.ingest.importers.unsc.history import carry_over, latest_list_day
from graph.ingest.importers.unsc.mapping import DEFAULT_URL, actor_iri, list_triples, listing_iri
from graph.ingest.importers.unsc.parse import ListReader
from graph.ingest.importers.unsc.records import ConsolidatedList, UnscImportError
from graph.store import GraphStore, rdf

__all__ = ["DEFAULT_GRAPH", "DEFAULT_URL", "StoreNotReady", "UnscImportError", "import_list", "read_list"]

DEFAULT_GRAPH = "unsc"
IMPORTER = "unsc"
Step = Callable[[str], None]


@dataclass(frozen=True)
class ReadList:
    """A list read and checked, with the report of its elements."""

    consolidated: ConsolidatedList
    report: ImportReport


def read_list(path: Path) -> ReadList:
    """Read and check a consolidated list; raise UnscImportError if anything is wrong."""
    problems, report = Problems(), ImportReport()
    consolidated = ListReader(Path(path), problems, report).read()
    problems.raise_if_any(UnscImportError)
    assert consolidated is not None  # no problems means the root was read
    return ReadList(consolidated, report)


def import_list(
    store: GraphStore, path: Path, *, graph: str = DEFAULT_GRAPH, url: str = DEFAULT_URL, step: Step | None = None
) -> ImportReport:
    """Import one list file into `graph`, keeping the history of the lists imported before.
    `step` is told each stage's name as it starts (reading, merging, writing)."""
    tell = step or (lambda _name: None)
    tell("reading")
    read = read_list(path)
    consolidated, report = read.consolidated, read.report
    tell("merging with the lists already imported")
    target = loader.resolve_graph(graph, graph)
    old = [rdf.Triple(q.subject, q.predicate, q.object) for q in store.quads(target)]
    latest = latest_list_day(old)
    if latest is not None and latest > consolidated.day:
        raise UnscImportError.single(
            str(path), "dateGenerated",
            f"this list was generated on {consolidated.day.isoformat()}, before the list already in graph {graph!r} "
            f"({latest.isoformat()}); importing it would undo later delistings",
        )  # fmt: skip
    triples = list_triples(consolidated, url)
    new_listings = {listing_iri(e) for e in consolidated.entries}
    new_actors = {actor_iri(e) for e in consolidated.entries}
    carried = carry_over(old, new_listings, new_actors, consolidated.day)
    everything = frozenset(triples + carried.triples)
    individuals = sum(e.kind == "individual" for e in consolidated.entries)
    report.counts.update(
        {
            "individuals": individuals,
            "entities": len(consolidated.entries) - individuals,
            "listings on this list": len(new_listings),
            "listings ended by this list (no longer on it)": len(carried.ended),
            "listings ended earlier, kept": carried.kept_ended,
        }
    )
    tell("validating and writing")
    name = f"{Path(path)} (UN Security Council consolidated list, generated {consolidated.generated.isoformat()})"
    report.graphs = write_graphs(store, [GraphContent(graph, everything, restricted=False)], source_name=name, importer=IMPORTER)
    return report
