"""`actorgraph queries`: list the named queries of the library and run one with parameters.

    actorgraph queries list
    actorgraph queries run chain_of_command --param unit=unit/bn-72 --param at=2018-04-14

Parameters go through graph.query.named_queries, as for the web API, so they are checked and bound the
same way; output goes through api.web.results and api.cli.tables, as for `actorgraph query`: a table
that fits the terminal, or the full rows as CSV or JSON.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from api.cli import tables
from api.cli.support import StoreOption, fail, opened
from api.web import results
from graph.errors import WrongOnThisEngine
from graph.query import named_queries, sparql
from graph.query.named_queries import NamedQueryError

OutputFormat = tables.Format


app = typer.Typer(
    name="queries",
    help="The query library: list the named queries, and run one with parameters.",
    no_args_is_help=True,
)


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise fail(f"--param needs NAME=VALUE, got {pair!r}")
        if name.strip() in params:
            raise fail(f"parameter {name.strip()!r} is given more than once")
        params[name.strip()] = value
    return params


@app.command("list")
def list_queries(
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.table,
) -> None:
    """List the named queries with their parameters and an example."""
    queries = named_queries.list_queries()
    if fmt is OutputFormat.json:
        described = [
            {
                "name": query.short_name,
                "title": query.title,
                "description": query.description,
                "params": [{"name": p.name, "type": p.type, "optional": p.optional, "description": p.description} for p in query.params],
                "example": query.example_params(),
            }
            for query in queries
        ]
        typer.echo(json.dumps(described, indent=2, ensure_ascii=False))
        return
    if fmt is OutputFormat.csv:
        typer.echo("name,title,params,example")
        for query in queries:
            params = " ".join(f"{p.name}:{p.type}{'?' if p.optional else ''}" for p in query.params)
            typer.echo(",".join(json.dumps(cell, ensure_ascii=False) for cell in (query.short_name, query.title, params, query.example)))
        return
    for query in queries:
        # Wrapped to the terminal, except the example: a command stays on one line, to be copied.
        typer.echo(f"{query.short_name}\n" + tables.wrap(f"  {query.title}", indent="  "))
        for param in query.params:
            typer.echo(tables.wrap(f"  --param {param.name}=<{param.type}>  {param.description}", indent="      "))
        example = " ".join(f"--param {key}={value}" for key, value in query.example_params().items())
        if example:
            typer.echo(f"  e.g. actorgraph queries run {query.short_name} {example}")
        typer.echo("")


@app.command("run")
def run_query(
    name: Annotated[str, typer.Argument(help="The query's name, as `actorgraph queries list` shows it.")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="A parameter as NAME=VALUE; repeat for several.")] = None,
    store: StoreOption = None,
    fmt: tables.FormatOption = OutputFormat.table,
    limit: Annotated[int | None, typer.Option("--limit", min=1, max=named_queries.MAX_LIMIT, help="At most this many rows (default: all).")] = None,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows first.")] = 0,
) -> None:
    """Run a named query with parameters and print its rows."""
    params = _parse_params(param or [])
    # Read-only, so a query can run beside a server that uses the store.
    with opened(store, read_only=True) as graph_store:
        try:
            page = named_queries.run(graph_store, sparql.dataset_for(graph_store), name, params, limit=limit, offset=offset)
        except (NamedQueryError, WrongOnThisEngine) as error:
            raise fail(str(error)) from None
    if fmt is OutputFormat.csv:  # SPARQL's CSV results, as `actorgraph query` prints them
        body, _ = results.serialize(page.solutions(), "csv")
        sys.stdout.write(body.decode("utf-8"))
    else:
        tables.show(*results.rows(page.solutions()), fmt)
    if page.has_more:
        typer.echo(f"(more rows: use --offset {page.next_offset})", err=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="queries")
