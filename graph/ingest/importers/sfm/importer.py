"""Importing Security Force Monitor (WhoWasInCommand) data into ActorGraph.

Three entry points:
- `import_export`: a WhoWasInCommand bulk export, the folder of units.csv, persons.csv,
  persons_extra.csv, incidents.csv and sources.csv;
- `import_units_file`: a slim units-and-relations extract (one TSV or CSV with WWIC column names
  and no source columns, such as SFM's Mali file);
- `import_cms_fixtures`: a folder of WhoWasInCommand's CMS fixtures (Django JSON, one record per
  fact), read by graph.ingest.importers.sfm.cms into the same records as an export.

All read and check everything first (`parse`, `cells`), raise `SfmImportError` listing every bad
value with its file, row and column, and only then build the triples (`mapping`) and write them
(`write`): public statements into the graph `graph` (default `sfm`), statements only
restricted sources support into `{graph}-restricted`, which is registered restricted.

How SFM's fields map onto the ontology is described where each is handled, and summarized in the
README section "Importing Security Force Monitor data".
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from graph.ingest.importers.sfm.cells import ReaderOptions
from graph.ingest.importers.sfm.cms import CmsReader
from graph.ingest.importers.sfm.dates import PartialDate
from graph.ingest.importers.sfm.fixtures import read_fixtures
from graph.ingest.importers.sfm.mapping import GraphBuilder, Graphs
from graph.ingest.importers.sfm.parse import ExportReader
from graph.ingest.importers.sfm.records import SfmData, SourceRecord
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.sfm.rows import Problems, SfmImportError, read_table
from graph.ingest.importers.sfm.write import GraphContent, StoreNotReady, write_graphs
from graph.store import GraphStore

__all__ = [
    "DEFAULT_CMS_GRAPH",
    "DEFAULT_GRAPH",
    "DEFAULT_UNITS_GRAPH",
    "EXPORT_FILES",
    "SfmImportError",
    "StoreNotReady",
    "import_cms_fixtures",
    "import_export",
    "import_units_file",
    "read_cms_fixtures",
    "read_export",
    "read_units_file",
    "restricted_graph",
]

DEFAULT_GRAPH = "sfm"
DEFAULT_UNITS_GRAPH = "sfm-units"
DEFAULT_CMS_GRAPH = "sfm-cms"

# The files of a bulk export, in reading order (sources first: everything else cites them), with
# the columns a file cannot do without.
EXPORT_FILES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sources.csv", ("source:access_point_id:admin", "source:title")),
    ("units.csv", ("unit:id:admin", "unit:name")),
    ("persons.csv", ("person:id:admin", "person:name")),
    ("persons_extra.csv", ("person_extra:id:admin",)),
    ("incidents.csv", ("incident:id:admin", "incident:violation_type", "incident:all:source")),
)


# Files an export may leave out: WhoWasInCommand's own exports often come without persons_extra.csv.
OPTIONAL_FILES = frozenset({"persons_extra.csv"})


def restricted_graph(graph: str) -> str:
    """The name of the graph that holds what only restricted sources support."""
    return f"{graph}-restricted"


@dataclass(frozen=True)
class Converted:
    """An export read and turned into triples, not yet written."""

    graphs: Graphs
    report: ImportReport


def _latest(date_of_export: date | None) -> date:
    return date_of_export or date.today()


def read_export(directory: Path, *, date_of_export: date | None = None) -> Converted:
    """Read and check a bulk export; raise SfmImportError if anything is wrong."""
    directory = Path(directory)
    problems, report = Problems(), ImportReport()
    if not directory.is_dir():
        problems.add(str(directory), None, None, "not a folder: give the folder that holds units.csv, persons.csv, ...")
        problems.raise_if_any()
    reader = ExportReader(ReaderOptions(latest=_latest(date_of_export)), report, problems)
    tables = {}
    for name, required in EXPORT_FILES:
        if name in OPTIONAL_FILES and not (directory / name).exists():
            report.file(name).note(0, "the export has no such file: nothing of it is imported")
            continue
        tables[name] = read_table(directory / name, problems, required=required)
    readers = {
        "sources.csv": reader.read_sources,
        "units.csv": reader.read_units,
        "persons.csv": reader.read_persons,
        "persons_extra.csv": reader.read_persons_extra,
        "incidents.csv": reader.read_incidents,
    }
    for name, table in tables.items():
        if table is not None:
            readers[name](table)
    reader.check_references()
    problems.raise_if_any()
    return _convert(reader, report)


def _file_source(path: Path, date_of_export: date | None) -> SourceRecord:
    """A source for a file that cites none per value (the slim extracts): the file itself, as
    Security Force Monitor published it. Its id is the file's SHA-256, so it is stable."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    issued = date_of_export or _date_in_name(path.name)
    return SourceRecord(
        uuid=f"file-{digest[:32]}",
        row=0,
        title=f"Security Force Monitor data: {path.name}",
        publisher="Security Force Monitor",
        issued=PartialDate(issued.year, issued.month, issued.day) if issued else None,
        notes=[f"SHA-256 {digest}", "the file cites no sources per value; every statement imported from it cites the file"],
    )


def _date_in_name(name: str) -> date | None:
    """The export date SFM writes into its file names (mali_units_relations_slim_20210625.tsv)."""
    match = re.search(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)", name)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def read_units_file(path: Path, *, date_of_export: date | None = None) -> Converted:
    """Read and check a slim units-and-relations extract (TSV, or CSV by its extension)."""
    path = Path(path)
    problems, report = Problems(), ImportReport()
    if not path.is_file():
        problems.add(str(path), None, None, "file not found")
        problems.raise_if_any()
    file_source = _file_source(path, date_of_export)
    latest = date_of_export or _date_in_name(path.name) or date.today()
    options = ReaderOptions(latest=latest, allow_unit_stubs=True, default_support=frozenset({file_source.uuid}))
    reader = ExportReader(options, report, problems)
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    table = read_table(path, problems, required=("unit:id:admin", "unit:name"), delimiter=delimiter)
    if table is not None:
        reader.read_units(table)
    reader.check_references()
    problems.raise_if_any()
    reader.data.sources[file_source.uuid] = file_source
    return _convert(reader, report)


def read_cms_fixtures(directory: Path, *, date_of_export: date | None = None) -> Converted:
    """Read and check a folder of WhoWasInCommand CMS fixtures; raise SfmImportError if anything is wrong."""
    directory = Path(directory)
    problems, report = Problems(), ImportReport()
    if not directory.is_dir():
        problems.add(str(directory), None, None, "not a folder: give the folder that holds organization.json, source.json, ...")
        problems.raise_if_any()
    fixtures = read_fixtures(directory, problems, report)
    reader = CmsReader(fixtures, ReaderOptions(latest=_latest(date_of_export)), report, problems)
    data = reader.read()
    problems.raise_if_any()
    return _convert_data(data, report)


def _convert(reader: ExportReader, report: ImportReport) -> Converted:
    return _convert_data(reader.data, report)


def _convert_data(data: SfmData, report: ImportReport) -> Converted:
    graphs = GraphBuilder(data).build()
    report.counts.update(graphs.counts)
    report.restricted_counts.update(graphs.restricted_counts)
    return Converted(graphs, report)


def _write(store: GraphStore, converted: Converted, graph: str, source_name: str) -> ImportReport:
    contents = [
        GraphContent(graph, frozenset(converted.graphs.public), restricted=False),
        GraphContent(restricted_graph(graph), frozenset(converted.graphs.restricted), restricted=True),
    ]
    converted.report.graphs = write_graphs(store, contents, source_name=source_name)
    return converted.report


def import_export(store: GraphStore, directory: Path, *, graph: str = DEFAULT_GRAPH, date_of_export: date | None = None) -> ImportReport:
    """Import a WhoWasInCommand bulk export folder into `graph` and `{graph}-restricted`."""
    converted = read_export(directory, date_of_export=date_of_export)
    return _write(store, converted, graph, f"{Path(directory)} (Security Force Monitor export)")


def import_units_file(
    store: GraphStore, path: Path, *, graph: str = DEFAULT_UNITS_GRAPH, date_of_export: date | None = None
) -> ImportReport:
    """Import a slim SFM units-and-relations extract (such as the Mali file) into `graph`."""
    converted = read_units_file(path, date_of_export=date_of_export)
    return _write(store, converted, graph, f"{Path(path)} (Security Force Monitor units extract)")


def import_cms_fixtures(
    store: GraphStore, directory: Path, *, graph: str = DEFAULT_CMS_GRAPH, date_of_export: date | None = None
) -> ImportReport:
    """Import a folder of WhoWasInCommand CMS fixtures into `graph` and `{graph}-restricted`."""
    converted = read_cms_fixtures(directory, date_of_export=date_of_export)
    return _write(store, converted, graph, f"{Path(directory)} (Security Force Monitor CMS fixtures)")
