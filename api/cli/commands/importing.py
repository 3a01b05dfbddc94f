"""`actorgraph import unsc FILE` (the UN list), `actorgraph import opensanctions FILE...` (FtM
entities and deltas), `actorgraph import ucdp FILE` (the UCDP actor list) and `actorgraph import
fmtrpt FILE...` (US training records), with a progress bar on stderr.

Each import prints the report of its elements (read, imported, skipped and why), what it counted
and what landed in which graph. A bad value anywhere stops it before anything is written, and
every bad value is listed with its element and field. The commands join the `import` group that
api.cli.commands.importers defines.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from api.cli.commands.importers import import_app
from api.cli.support import StoreOption, fail, opened
from graph.ingest import setup
from graph.ingest.importers.fmtrpt import importer as fmtrpt
from graph.ingest.importers.opensanctions import importer as opensanctions
from graph.ingest.importers.problems import ImportProblems
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.ucdp import importer as ucdp
from graph.ingest.importers.unsc import importer as unsc
from graph.ingest.loader import LoadError
from graph.store import GraphStore

Stage = Callable[[str], None]
UrlOption = Annotated[str, typer.Option("--url", help="Where the data was published, cited as the source of every statement.")]
ReasonOption = Annotated[bool, typer.Option("--reason/--no-reason", help="Recompute the derived links afterwards.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]
UNSC_STAGES = 3


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


def _run(store: str | None, action: Callable[[GraphStore, Stage], ImportReport], total: int, as_json: bool, reason: bool) -> None:
    """Open the store, run one import under a progress bar, derive links if it changed anything,
    print its report; a bad file or a refused load is a one-line reason and exit code 1."""
    with opened(store) as opened_store:
        try:
            with stages(total, quiet=as_json) as step:
                report = action(opened_store, step)
        except (ImportProblems, LoadError) as error:
            lines = str(error).splitlines()
            raise fail(lines[0], "\n".join(lines[1:]) or None) from None
        derived = None
        if reason and report.changed:
            derived = f"derived {sum(setup.reason(opened_store).values()):,} links into inferred"
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    for line in report.lines():
        typer.echo(line)
    if derived:
        typer.echo(derived)


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
    _run(store, lambda s, step: unsc.import_list(s, file, graph=graph, url=url, step=step), UNSC_STAGES, as_json, reason)


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

    _run(store, action, 1, as_json, reason)


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

    _run(store, action, 1, as_json, reason)


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

    _run(store, action, 1, as_json, reason)


def register(app: typer.Typer) -> None:
    """The commands are added to the `import` group when this module is imported."""
