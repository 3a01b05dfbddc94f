"""`actorgraph query` and `actorgraph stats`: read the store, as a table, JSON or CSV."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from api.cli import tables
from api.cli.support import StoreOption, fail, opened
from api.web import results
from graph.errors import ActorGraphError, WrongOnThisEngine
from graph.guards import parse_check
from graph.guards.nesting import NestingTooDeep
from graph.query import named_queries, sparql, stats
from graph.query.sparql import SparqlSyntaxError
from graph.store import Solutions
from graph.store.limits import QueryLimitExceeded
from queries import catalog
from queries.catalog import NamedQuery

_PLAIN_NAME = re.compile(r"[a-z0-9_]+")
_LONGEST_PATH = 4096


def _query_text(query: str) -> tuple[str, str, NamedQuery | None]:
    """The query, where it came from, and the library query it is if it is one: a file when the
    argument is a path that exists or ends in .rq, a library query when it is a plain name the
    library has, else the text itself."""
    candidate = Path(query)
    exists = False
    if len(query) < _LONGEST_PATH and "\n" not in query:
        try:
            exists = candidate.is_file()
        except OSError:  # a name too long for the file system is text, not a path
            exists = False
    if exists or candidate.suffix == ".rq":
        try:
            return candidate.read_text(encoding="utf-8"), f"the query file {candidate}", None
        except OSError as error:
            raise fail(f"cannot read the query file {candidate}: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise fail(f"the query file {candidate} is not UTF-8 text") from None
    if _PLAIN_NAME.fullmatch(query):
        try:
            named = catalog.load(f"library/{query}")
            return named.text, f"the library query {query!r}", named
        except catalog.QueryNotFound:
            pass
    return query, "the query text given", None


def query(
    query_text: Annotated[str, typer.Argument(metavar="QUERY", help="SPARQL text, a .rq file, or the name of a library query.")],
    store: StoreOption = None,
    fmt: tables.FormatOption = tables.Format.table,
) -> None:
    """Run a SPARQL query over every loaded graph and print the result."""
    text, origin, named = _query_text(query_text)
    if text is not query_text or "/" in query_text:  # said whenever a path or a name could have been meant
        typer.echo(f"running {origin}", err=True)
    try:
        parse_check.check_text(text)  # a text that would crash the parser crashes a helper instead
    except SyntaxError as error:
        raise fail(f"SPARQL syntax error: {error}") from None
    except (NestingTooDeep, QueryLimitExceeded) as error:
        raise fail(str(error)) from None
    with opened(store, read_only=True) as graph_store:
        if named is not None:
            try:
                named_queries.refuse_if_wrong_on(graph_store, named)
            except WrongOnThisEngine as error:
                raise fail(str(error)) from None
        try:
            result = sparql.run_query(graph_store, text, sparql.dataset_for(graph_store))
        except SparqlSyntaxError as error:
            raise fail(f"SPARQL syntax error: {error}") from None
        except ActorGraphError as error:  # such as a remote engine's own timeout or row limit
            raise fail(str(error)) from None
        if fmt is tables.Format.table and isinstance(result, Solutions):
            typer.echo(tables.render(*results.rows(result)))
        elif fmt is tables.Format.table or results.is_graph_result(result):
            typer.echo(results.table(result))
        elif fmt is tables.Format.json:
            typer.echo(results.json_rows(result) if isinstance(result, Solutions) else json.dumps(bool(result)))
        else:
            body, _ = results.serialize(result, "csv") if isinstance(result, Solutions) else (str(bool(result)).lower().encode(), "")
            sys.stdout.write(body.decode("utf-8"))


def show_stats(
    store: StoreOption = None,
    fmt: Annotated[tables.Format, typer.Option("--format", help="Output format.")] = tables.Format.table,
) -> None:
    """Counts by class, by named graph, and of relations by type."""
    with opened(store, read_only=True) as graph_store:
        figures = stats.statistics(graph_store)
    if fmt is tables.Format.json:
        typer.echo(json.dumps(figures.as_dict(), indent=2))
        return
    if fmt is tables.Format.csv:
        typer.echo("section,name,iri,count")
        for section, counts in (("total", figures.totals), ("class", figures.classes), ("relation", figures.relations)):
            for count in counts:
                typer.echo(f"{section},{count.label},{count.iri},{count.count}")
        for graph_count in figures.graphs:
            typer.echo(f"graph,{graph_count.name},{graph_count.iri},{graph_count.triples}")
        return
    sections = (("Totals", figures.totals), ("By class", figures.classes), ("Relations by type", figures.relations))
    for title, counts in sections:
        typer.echo(f"\n{title}")
        for count in counts:
            typer.echo(f"  {count.count:>9,}  {count.label}")
    typer.echo("\nBy named graph")
    for graph_count in figures.graphs:
        flags = " (restricted)" if graph_count.restricted else ""
        typer.echo(f"  {graph_count.triples:>9,}  {graph_count.name}{flags}")


def register(root: typer.Typer) -> None:
    root.command()(query)
    root.command(name="stats")(show_stats)
