"""`actorgraph export ...`: a network, a program's partners or the paths between two subjects as a
file for Gephi, yEd or a spreadsheet, the same file the web views' download buttons give.

    actorgraph export network ID [--depth N] [--at DATE] [--format graphml] [--output FILE]
    actorgraph export program ID [--at DATE] [--format gexf] [--output FILE]
    actorgraph export paths FROM TO [--max N] [--at DATE] [--format csv] [--output FILE]

Without --output the file goes to standard output (a zip only when that is not a terminal).
"""

from __future__ import annotations

import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from api.cli.support import StoreOption, fail, opened
from api.dates import parse_day
from graph.errors import ActorGraphError
from graph.index.cache import index_for
from graph.query import sparql
from graph.tracing import export, programs
from graph.tracing.naming import resolve, resolve_kind
from graph.tracing.network import DEFAULT_MAX_NODES, network
from graph.tracing.paths import paths

export_app = typer.Typer(name="export", help="Write a network, a program or paths as GraphML, GEXF or CSV.", no_args_is_help=True)

ExportFormatName = Enum("ExportFormatName", {name.replace("-", "_"): name for name in export.FORMATS}, type=str)  # type: ignore[misc]
FormatOption = Annotated[
    ExportFormatName,
    typer.Option("--format", help="graphml, gexf, csv (a zip of nodes.csv and edges.csv), nodes-csv or edges-csv."),
]
AtOption = Annotated[str | None, typer.Option("--at", help="Only relations valid on this day, YYYY-MM-DD (all without it).")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")]
TypesOption = Annotated[str | None, typer.Option("--types", help="Relation classes to follow, comma-separated (Command,Subordination).")]
GRAPHML = ExportFormatName("graphml")


def _day(at: str | None) -> date | None:
    try:
        return parse_day(at, "--at")
    except ActorGraphError as error:
        raise fail(str(error)) from None


def _write(exported: export.Exported, fmt: str, output: Path | None) -> None:
    data = exported.write(fmt)
    if output is None:
        if fmt == "csv" and sys.stdout.isatty():
            raise fail("a csv export is a zip of two files: give --output FILE.zip, or choose nodes-csv or edges-csv")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as error:
        raise fail(f"cannot write {output}: {error.strerror}") from None
    typer.echo(f"wrote {len(exported.nodes):,} nodes and {len(exported.edges):,} relations to {output} ({fmt})", err=True)


@export_app.command("network")
def network_(
    subject: Annotated[str, typer.Argument(help="An IRI, a kind/slug such as fictional/unit/bde-7, or an identifier.")],
    store: StoreOption = None,
    depth: Annotated[int, typer.Option("--depth", min=1, max=3, help="Rings of relations around the subject.")] = 1,
    at: AtOption = None,
    types: TypesOption = None,
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, max=5000, help="Cap on nodes.")] = DEFAULT_MAX_NODES,
    fmt: FormatOption = GRAPHML,
    output: OutputOption = None,
) -> None:
    """The network around an actor, incident or program at a date, as the /actors/{id}/network route gives it."""
    day = _day(at)
    with opened(store, read_only=True) as graph_store:
        try:
            dataset = sparql.dataset_for(graph_store)
            index = index_for(graph_store, dataset)
            iri = resolve_kind(graph_store, dataset, index, subject, ("actor", "program", "incident"))
            ego = network(graph_store, dataset, iri, depth=depth, at=day, types=types, max_nodes=max_nodes, index=index)
        except ActorGraphError as error:
            raise fail(str(error)) from None
    if ego.truncated:
        typer.echo(f"warning: the network has more than {max_nodes} nodes; the nearest {max_nodes} are written", err=True)
    _write(export.from_network(ego, export.file_stem(index, iri, day)), fmt.value, output)


@export_app.command("program")
def program_(
    subject: Annotated[str, typer.Argument(help="A program's IRI, kind/slug or identifier.")],
    store: StoreOption = None,
    at: AtOption = None,
    fmt: FormatOption = GRAPHML,
    output: OutputOption = None,
) -> None:
    """A program and its implementers, funders, partners and targets, each relation with its program role."""
    day = _day(at)
    with opened(store, read_only=True) as graph_store:
        try:
            dataset = sparql.dataset_for(graph_store)
            index = index_for(graph_store, dataset)
            iri = resolve_kind(graph_store, dataset, index, subject, ("program",))
            ego = network(graph_store, dataset, iri, depth=1, at=day, max_nodes=5000, index=index)
            roles = export.program_roles(programs.program_detail(graph_store, dataset, iri, index=index))
        except ActorGraphError as error:
            raise fail(str(error)) from None
    _write(export.from_network(ego, export.file_stem(index, iri, day), roles=roles), fmt.value, output)


@export_app.command("paths")
def paths_(
    source: Annotated[str, typer.Argument(help="Where the paths start: an IRI, kind/slug or identifier.")],
    target: Annotated[str, typer.Argument(help="Where they end.")],
    store: StoreOption = None,
    max_hops: Annotated[int, typer.Option("--max", min=1, max=6, help="Longest path searched, in relations.")] = 4,
    at: AtOption = None,
    types: TypesOption = None,
    fmt: FormatOption = GRAPHML,
    output: OutputOption = None,
) -> None:
    """Every node and relation on the shortest paths between two subjects."""
    day = _day(at)
    with opened(store, read_only=True) as graph_store:
        try:
            dataset = sparql.dataset_for(graph_store)
            index = index_for(graph_store, dataset)
            a = resolve(graph_store, dataset, source, what="subject (FROM)")
            b = resolve(graph_store, dataset, target, what="subject (TO)")
            found = paths(graph_store, dataset, a, b, max_hops=max_hops, at=day, types=types, index=index)
        except ActorGraphError as error:
            raise fail(str(error)) from None
    if found.length is None:
        typer.echo(f"warning: no path of at most {max_hops} relations links these two", err=True)
    _write(export.from_paths(found, export.file_stem(index, a, day, b)), fmt.value, output)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app)
