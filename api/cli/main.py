"""The `actorgraph` command line: set up, load, check, query and serve the graph.

Every command takes --store PATH (or ACTORGRAPH_STORE; default ./var/store). Errors exit non-zero
with a one-line reason on stderr, followed by details where there are several (shape violations).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from api.cli.commands import LazyTopics

app = typer.Typer(
    name="actorgraph",
    help="ActorGraph: a knowledge graph of the actors and programs around mass-atrocity prevention.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyTopics,
)

def _show_version(value: bool) -> None:
    if value:
        from importlib import metadata  # tens of milliseconds, paid only when asked

        typer.echo(f"actorgraph {metadata.version('actorgraph')}")
        raise typer.Exit()


def _store_defaults(commands: dict[str, Any], store: str) -> dict[str, Any]:
    """A default_map giving every command (and every command of a sub-group) `--store store`."""
    defaults: dict[str, Any] = {}
    for name, command in commands.items():
        if hasattr(command, "commands"):
            defaults[name] = _store_defaults(command.commands, store)
        elif any(param.name == "store" for param in command.params):
            defaults[name] = {"store": store}
    return defaults


@app.callback()
def main_options(
    ctx: typer.Context,
    store: Annotated[
        str | None,
        typer.Option("--store", help="The store every command works on, as each command's own --store takes it (which wins)."),
    ] = None,
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """ActorGraph: a knowledge graph of the actors and programs around mass-atrocity prevention."""
    if store is not None:
        # Passed through as the commands' own default, so it is read by the same parser as theirs.
        # Only the command that runs gets it: building them all would import every topic.
        name = ctx.invoked_subcommand
        command = ctx.command.get_command(ctx, name) if isinstance(ctx.command, LazyTopics) and name else None
        ctx.default_map = {**(ctx.default_map or {}), **_store_defaults({name: command} if name and command else {}, store)}


def main() -> None:
    app()


if __name__ == "__main__":
    main()
