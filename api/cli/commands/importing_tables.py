"""`actorgraph import pax FILE` (PA-X peace agreements) and `actorgraph import csv DIR_OR_FILES...`
(a user's own actors, relations, incidents and sources, in the shipped templates' columns), with
a progress bar on stderr. Both join the `import` group that api.cli.commands.importers defines,
and report, fail and write as every importer there does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.commands.importers import JsonOption, ReasonOption, Stage, import_app, run_import
from api.cli.support import StoreOption
from graph.ingest.importers.csv import importer as tables
from graph.ingest.importers.pax import importer as pax
from graph.ingest.importers.sfm.report import ImportReport
from graph.store import GraphStore

UrlOption = Annotated[str, typer.Option("--url", help="Where the data was published, cited as the source of every statement.")]


@import_app.command("pax")
def import_pax(
    file: Annotated[Path, typer.Argument(help="The PA-X agreements file (pax_all_agreements_data.csv).")],
    store: StoreOption = None,
    graph: Annotated[str, typer.Option("--graph", help="Graph name.")] = pax.DEFAULT_GRAPH,
    url: UrlOption = pax.DEFAULT_URL,
    version: Annotated[str, typer.Option("--version", help="The PA-X version of the file, for the source's title.")] = pax.DEFAULT_VERSION,
    reason: ReasonOption = True,
    as_json: JsonOption = False,
) -> None:
    """Import PA-X peace agreements: dates, countries, stage, SSR/DDR/justice provisions with their depth, and the signatories found among the graph's actors (the rest reported for review, nothing merged)."""

    def action(opened_store: GraphStore, step: Stage) -> ImportReport:
        step("reading, screening signatories and writing")
        return pax.import_agreements(opened_store, file, graph=graph, url=url, version=version)

    run_import(store, action, 1, as_json, reason)


@import_app.command("csv")
def import_csv(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Folders of CSV files, or the files: names ending in actors.csv, relations.csv, incidents.csv or sources.csv."),
    ],
    store: StoreOption = None,
    graph: Annotated[str, typer.Option("--graph", help="Graph name; also the prefix of the IRIs minted from ids.")] = tables.DEFAULT_GRAPH,
    reason: ReasonOption = True,
    as_json: JsonOption = False,
) -> None:
    """Import your own actors, relations, incidents and sources, in the columns of the templates in graph/ingest/importers/csv/templates (see the README). Every bad cell is named by file, row and column, and nothing is written."""

    def action(opened_store: GraphStore, step: Stage) -> ImportReport:
        step("reading, checking and writing")
        return tables.import_tables(opened_store, paths, graph=graph)

    run_import(store, action, 1, as_json, reason)
