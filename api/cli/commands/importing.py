"""`actorgraph import unsc FILE` (the UN list), `actorgraph import opensanctions FILE...` (FtM
entities and deltas), `actorgraph import ucdp FILE` (the UCDP actor list) and `actorgraph import
fmtrpt FILE...` (US training records), with a progress bar on stderr.

Each import prints the report of its elements (read, imported, skipped and why), what it counted
and what landed in which graph. A bad value anywhere stops it before anything is written, and
every bad value is listed with its element and field. The commands join the `import` group that
api.cli.commands.importers defines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.commands.importers import JsonOption, ReasonOption, Stage, import_app, run_import
from api.cli.support import StoreOption
from graph.ingest.importers.fmtrpt import importer as fmtrpt
from graph.ingest.importers.opensanctions import importer as opensanctions
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.ucdp import importer as ucdp
from graph.ingest.importers.unsc import importer as unsc
from graph.store import GraphStore

UrlOption = Annotated[str, typer.Option("--url", help="Where the data was published, cited as the source of every statement.")]
UNSC_STAGES = 3


@import_app.command("unsc")
def import_unsc(
    file: Annotated[Path, typer.Argument(help="The consolidated list as XML (the UN's consolidated.xml).")],
    store: StoreOption = None,
    graph: Annotated[str, typer.Option("--graph", help="Graph name.")] = unsc.DEFAULT_GRAPH,
    url: UrlOption = unsc.DEFAULT_URL,
    reason: ReasonOption = True,
    as_json: JsonOption = False,
) -> None:
    """Import the UN Security Council consolidated sanctions list. The same file twice changes nothing; a newer list ends the listings it no longer holds (delisted), and keeps them."""
    run_import(store, lambda s, step: unsc.import_list(s, file, graph=graph, url=url, step=step), UNSC_STAGES, as_json, reason)


@import_app.command("ucdp")
def import_ucdp(
    file: Annotated[Path, typer.Argument(help="The UCDP actor list as CSV (ucdp-actor-221.csv).")],
    store: StoreOption = None,
    graph: Annotated[str, typer.Option("--graph", help="Graph name.")] = ucdp.DEFAULT_GRAPH,
    url: UrlOption = ucdp.DEFAULT_URL,
    reason: ReasonOption = True,
    as_json: JsonOption = False,
) -> None:
    """Import the UCDP actor list: actors typed by their Org codes, splinter and alliance links, and a crosswalk to the actors already in the graph, for review (nothing is merged)."""

    def action(opened_store: GraphStore, step: Stage) -> ImportReport:
        step("reading, screening and writing")
        return ucdp.import_actor_list(opened_store, file, graph=graph, url=url)

    run_import(store, action, 1, as_json, reason)


@import_app.command("opensanctions")
def import_opensanctions(
    files: Annotated[list[Path], typer.Argument(help="An entity file (.ftm.json) and/or delta files (.delta.json), in any order.")],
    store: StoreOption = None,
    graph: Annotated[str, typer.Option("--graph", help="Graph name (one dataset per graph).")] = opensanctions.DEFAULT_GRAPH,
    dataset: Annotated[str, typer.Option("--dataset", help="The OpenSanctions dataset name, for the sources' titles and URLs.")] = "default",
    reason: ReasonOption = True,
    as_json: JsonOption = False,
) -> None:
    """Import OpenSanctions FollowTheMoney entities and apply delta files in order, as yente does (ADD, MOD, DEL; versions already applied are skipped). The data is CC-BY-NC."""

    def action(opened_store: GraphStore, step: Stage) -> ImportReport:
        step("reading, applying and writing")
        return opensanctions.import_files(opened_store, files, graph=graph, dataset=dataset)

    run_import(store, action, 1, as_json, reason)


@import_app.command("fmtrpt")
def import_fmtrpt(
    files: Annotated[list[Path], typer.Argument(help="Foreign Military Training Report files (TSV, Security Force Monitor's fmtrpt columns).")],
    store: StoreOption = None,
    graph: Annotated[str, typer.Option("--graph", help="Graph name.")] = fmtrpt.DEFAULT_GRAPH,
    url: UrlOption = fmtrpt.DEFAULT_URL,
    reason: ReasonOption = True,
    as_json: JsonOption = False,
) -> None:
    """Import US Foreign Military Training Report rows: which US program trained which foreign unit, when, where and at what cost; student units resolved to the graph's units, with the matches, ambiguous names and new units reported."""

    def action(opened_store: GraphStore, step: Stage) -> ImportReport:
        step("reading, resolving units and writing")
        return fmtrpt.import_rows(opened_store, files, graph=graph, url=url)

    run_import(store, action, 1, as_json, reason)
