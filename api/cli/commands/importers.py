"""`actorgraph import ...`: importers for data sets that are not RDF.

    actorgraph import sfm DIR          a WhoWasInCommand (Security Force Monitor) bulk export folder
    actorgraph import sfm-units FILE   a slim SFM units-and-relations extract (TSV), e.g. Mali's

Each prints a per-file report (rows read, imported, skipped and why), then what landed in which
graph. Any bad value stops the import before anything is written; every bad value is listed with
its file, row and column.

This module imports nothing from api.cli.main: api.cli.main imports the command modules while it is being
set up, so the store option and the error helper are restated here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from api.cli import support
from api.cli.support import StoreOption, fail
from graph.ingest import setup
from graph.ingest.importers.sfm import importer as sfm
from graph.ingest.importers.sfm.dates import DateError, parse_iso_day
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.loader import LoadError
from graph.store import GraphStore, StoreError, open_store

import_app = typer.Typer(
    name="import",
    help="Import data sets that are not RDF (Security Force Monitor exports), validated and atomic.",
    no_args_is_help=True,
)

ExportDateOption = Annotated[
    str | None,
    typer.Option(
        "--date-of-export",
        help="The day the data was exported (YYYY-MM-DD). Dates after it are errors; for an extract, also the date of the file's source. Default: today (extracts: the date in the file name, if any).",
    ),
]
ReasonOption = Annotated[bool, typer.Option("--reason/--no-reason", help="Recompute the derived links afterwards.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]


def _export_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return parse_iso_day(text)
    except DateError as error:
        raise fail(f"--date-of-export: {error}") from None


def _run(store_path: str | None, action: Callable[[GraphStore], ImportReport], as_json: bool, reason: bool) -> None:
    """Open the store, run one import, print its report; turn every expected failure into a
    one-line reason (plus the list of problems) and exit code 1."""
    try:
        store = open_store(support.store_path(store_path))
    except StoreError as error:
        raise fail(str(error)) from None
    try:
        try:
            report: ImportReport = action(store)
        except sfm.SfmImportError as error:
            lines = str(error).splitlines()
            raise fail(lines[0], "\n".join(lines[1:])) from None
        except LoadError as error:
            lines = str(error).splitlines()
            raise fail(lines[0], "\n".join(lines[1:]) or None) from None
        if reason and report.changed:
            counts = setup.reason(store)
            derived = f"derived {sum(counts.values()):,} links into inferred"
        else:
            derived = None
    finally:
        store.flush()
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    for line in report.lines():
        typer.echo(line)
    if derived:
        typer.echo(derived)


@import_app.command("sfm")
def import_sfm(
    directory: Annotated[Path, typer.Argument(help="The export folder: units.csv, persons.csv, persons_extra.csv, incidents.csv, sources.csv.")],
    store: StoreOption = None,
    graph: Annotated[str, typer.Option("--graph", help="Graph name; what only restricted sources support goes to NAME-restricted.")] = sfm.DEFAULT_GRAPH,
    date_of_export: ExportDateOption = None,
    reason: ReasonOption = True,
    as_json: JsonOption = False,
) -> None:
    """Import a WhoWasInCommand (Security Force Monitor) bulk export. Re-importing replaces the graph; the same export twice changes nothing."""
    day = _export_date(date_of_export)
    _run(store, lambda s: sfm.import_export(s, directory, graph=graph, date_of_export=day), as_json, reason)


@import_app.command("sfm-units")
def import_sfm_units(
    file: Annotated[Path, typer.Argument(help="A units-and-relations extract with WWIC column names (TSV; .csv for comma-separated).")],
    store: StoreOption = None,
    graph: Annotated[str, typer.Option("--graph", help="Graph name.")] = sfm.DEFAULT_UNITS_GRAPH,
    date_of_export: ExportDateOption = None,
    reason: ReasonOption = True,
    as_json: JsonOption = False,
) -> None:
    """Import a slim SFM units-and-relations extract (such as SFM's Mali file): units and their dated parent relations."""
    day = _export_date(date_of_export)
    _run(store, lambda s: sfm.import_units_file(s, file, graph=graph, date_of_export=day), as_json, reason)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
