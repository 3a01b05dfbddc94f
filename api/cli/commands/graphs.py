"""`actorgraph graphs ...`: list the data graphs and mark them restricted or public.

    actorgraph graphs list               name, triples, restricted or not, importer, when
                                         (--format csv or json: the full rows; --json as json)
    actorgraph graphs restrict NAME      only analysts and above may read it, by any route
    actorgraph graphs unrestrict NAME    every reader may read it again

NAME is a short name (under https://w3id.org/actorgraph/graph/) or a full graph IRI. Loading with
`actorgraph load FILE --graph NAME --restricted` restricts a graph from its first moment.
Restricting or unrestricting recomputes the derived links, which follow their evidence: links
drawn from a restricted graph live only in the restricted `inferred-restricted` graph.
"""

from __future__ import annotations

import typer

from api.cli import tables
from api.cli.support import JsonOption, StoreOption, fail, opened
from graph.ingest import derivation, registry
from graph.ingest.loader import LoadError, resolve_graph

graphs_app = typer.Typer(name="graphs", help="List data graphs; restrict or unrestrict them.", no_args_is_help=True)


@graphs_app.command("list")
def list_(store: StoreOption = None, as_json: JsonOption = False, fmt: tables.FormatOption = tables.Format.table) -> None:
    """Every registered graph with its size, whether it is restricted, and its newest import."""
    with opened(store, read_only=True) as graph_store:
        infos = registry.registered_graphs(graph_store)
    records = [
        {
            "name": info.name,
            "iri": info.graph.value,
            "triples": info.triples,
            "restricted": info.restricted,
            "importer": info.importer,
            "imported_at": info.imported_at,
        }
        for info in infos
    ]
    rows = [
        [info.name, str(info.triples), "restricted" if info.restricted else "public", info.importer or "", info.imported_at]
        for info in infos
    ]
    tables.show(["graph", "triples", "access", "importer", "imported"], rows, tables.Format.json if as_json else fmt, records=records)


def _set(store_path: str | None, name: str, restricted: bool) -> None:
    try:
        graph = resolve_graph(name, name)
    except LoadError as error:
        raise fail(str(error)) from None
    with opened(store_path) as graph_store:
        try:
            registry.set_restricted(graph_store, graph, restricted)
        except KeyError as error:
            raise fail(f"{error.args[0]}; see `actorgraph graphs list`") from None
        # Derived links follow their evidence: links from a graph that just became restricted
        # must leave the public `inferred` graph now, not at the next load.
        derivation.reason(graph_store)
    state = "restricted: analysts and above only" if restricted else "public: every reader"
    typer.echo(f"{registry.graph_name(graph)} is now {state}")


@graphs_app.command("restrict")
def restrict(name: str = typer.Argument(..., help="Graph name or IRI."), store: StoreOption = None) -> None:
    """Make a graph readable only by analysts, editors and admins."""
    _set(store, name, True)


@graphs_app.command("unrestrict")
def unrestrict(name: str = typer.Argument(..., help="Graph name or IRI."), store: StoreOption = None) -> None:
    """Make a restricted graph readable by every reader again."""
    _set(store, name, False)


def register(app: typer.Typer) -> None:
    app.add_typer(graphs_app, name="graphs")
