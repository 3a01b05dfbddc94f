"""CLI commands by topic. Each topic module here defines `register(app: typer.Typer) -> None`,
and TOPICS names the commands each one adds. The root group imports a topic's module only when
one of its commands runs (or when help lists them all), so a command does not pay for importing
every other one: `load` starts without the vetting engine, the exporters or the importers.
tests/api/cli/test_cli_topics.py checks that TOPICS names exactly what the modules register.
"""

from __future__ import annotations

import importlib
from difflib import get_close_matches
from functools import cache
from typing import TYPE_CHECKING

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:  # typer's own copy of click, for the signatures TyperGroup declares
    from typer import _click

# command or group name -> the module of this package that registers it, in the order help lists
# them after the root's own commands
TOPICS: dict[str, str] = {
    "query": "reading",
    "stats": "reading",
    "dump": "backup",
    "restore": "backup",
    "serve": "serve",
    "vet": "vetting",
    "vet-program": "vetting",
    "screen": "vetting",
    "vetting-runs": "vetting",
    "cases": "cases",
    "export": "export",
    "graphs": "graphs",
    "import": "importers",
    "keys": "keys",
    "queries": "queries",
}


@cache
def topic_commands(module_name: str) -> dict[str, _click.Command]:
    """The click commands a topic module registers, by name, built as typer builds the root's."""
    module = importlib.import_module(f"{__name__}.{module_name}")
    holder = typer.Typer()
    holder.callback()(_no_options)  # with a callback, typer always builds a group, even of one command
    module.register(holder)
    group = typer.main.get_command(holder)
    assert isinstance(group, TyperGroup)
    return dict(group.commands)


def _no_options() -> None:
    """Nothing: the holder group exists only to build a topic's commands."""


class LazyTopics(TyperGroup):
    """The root group: its own commands, and each topic's, imported on first use."""

    def list_commands(self, ctx: _click.Context) -> list[str]:
        # One order whatever has been loaded: the root's own commands, then the topics.
        return [*(name for name in super().list_commands(ctx) if name not in TOPICS), *TOPICS]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in TOPICS:
            command = topic_commands(TOPICS[cmd_name])[cmd_name]
            self.commands[cmd_name] = command
        return command

    def resolve_command(self, ctx: _click.Context, args: list[str]) -> tuple[str | None, _click.Command | None, list[str]]:
        name = args[0] if args else ""
        if ctx.token_normalize_func is not None and name:
            name = ctx.token_normalize_func(name)
        unknown = name and not name.startswith("-") and self.get_command(ctx, name) is None
        if unknown and self.suggest_commands and not ctx.resilient_parsing:
            # typer suggests from the commands built so far; suggest from every name instead
            matches = get_close_matches(name, self.list_commands(ctx))
            ctx.fail(f"No such command {name!r}." + (f" Did you mean {', '.join(map(repr, matches))}?" if matches else ""))
        return super().resolve_command(ctx, args)
