"""`actorgraph import ...`: importers for data sets that are not RDF.

    actorgraph import sfm DIR          a WhoWasInCommand (Security Force Monitor) bulk export folder
    actorgraph import sfm-units FILE   a slim SFM units-and-relations extract (TSV), e.g. Mali's
    actorgraph import sfm-cms DIR      a folder of WhoWasInCommand CMS fixtures (Django JSON)

Each prints a per-file report (rows read, imported, skipped and why), then what landed in which
graph. Any bad value stops the import before anything is written; every bad value is listed with
its file, row and column.

The other importers (api.cli.commands.importing and importing_tables) join the `import` group
defined here; `register` imports them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from api.cli.support import StoreOption, fail, opened
from graph.ingest import derivation
from graph.ingest.importers.problems import ImportProblems
from graph.ingest.importers.sfm import importer as sfm
from graph.ingest.importers.sfm.dates import DateError, parse_iso_day
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.loader import LoadError
from graph.store import GraphStore

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
Stage = Callable[[str], None]


def _export_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return parse_iso_day(text)
    except DateError as error:
        raise fail(f"--date-of-export: {error}") from None


@contextmanager
def stages(total: int, *, quiet: bool) -> Iterator[Stage]:
    """A progress bar over an import's stages, on stderr so that --json output stays clean."""
    if quiet:
        yield lambda _name: None
        return
    progress = Progress(
        TextColumn("{task.description:<40}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    )  # fmt: skip
    with progress:
        task = progress.add_task("starting", total=total)
        started = False

        def advance(name: str) -> None:
            nonlocal started
            progress.update(task, description=name, advance=1 if started else 0)
            started = True

        yield advance
        progress.update(task, completed=total, description="done")


def run_import(store: str | None, action: Callable[[GraphStore, Stage], ImportReport], total: int, as_json: bool, reason: bool) -> None:
    """Open the store, run one import under a progress bar, derive links if it changed anything,
    print its report; a bad file or a refused load is a one-line reason and exit code 1."""
    with opened(store) as opened_store:
        try:
            with stages(total, quiet=as_json) as step:
                report = action(opened_store, step)
        except (ImportProblems, sfm.SfmImportError, LoadError) as error:
            lines = str(error).splitlines()
            raise fail(lines[0], "\n".join(lines[1:]) or None) from None
        derived = None
        if reason and report.changed:
            derived = f"derived {sum(derivation.reason(opened_store).values()):,} links into inferred"
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
    run_import(store, lambda s, _step: sfm.import_export(s, directory, graph=graph, date_of_export=day), 1, as_json, reason)


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
    run_import(store, lambda s, _step: sfm.import_units_file(s, file, graph=graph, date_of_export=day), 1, as_json, reason)


@import_app.command("sfm-cms")
def import_sfm_cms(
    directory: Annotated[Path, typer.Argument(help="The fixture folder: organization.json, composition.json, violation.json, source.json, ...")],
    store: StoreOption = None,
    graph: Annotated[str, typer.Option("--graph", help="Graph name.")] = sfm.DEFAULT_CMS_GRAPH,
    date_of_export: ExportDateOption = None,
    reason: ReasonOption = True,
    as_json: JsonOption = False,
) -> None:
    """Import WhoWasInCommand's CMS fixtures: units, their dated subordinations and memberships, incidents and the sources they cite. Persons are not imported."""
    day = _export_date(date_of_export)
    run_import(store, lambda s, _step: sfm.import_cms_fixtures(s, directory, graph=graph, date_of_export=day), 1, as_json, reason)


def register(app: typer.Typer) -> None:
    # These add their commands to import_app as they are imported; they import this module.
    from api.cli.commands import importing, importing_tables  # noqa: F401

    app.add_typer(import_app, name="import")
