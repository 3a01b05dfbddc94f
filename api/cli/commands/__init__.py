"""CLI commands by topic. Each topic module here defines `register(app: typer.Typer) -> None`,
and TOPICS names the commands each one adds, with the line help lists for each. The root group
imports a topic's module only when one of its commands runs, so a command does not pay for
importing every other one, and `actorgraph --help` imports none: `load` starts without the vetting
engine, the exporters or the importers. tests/api/cli/test_cli_topics.py checks that TOPICS names
exactly what the modules register.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from typing import TYPE_CHECKING

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:  # typer's own copy of click, for the signatures TyperGroup declares
    from typer import _click


@dataclass(frozen=True)
class Topic:
    """Where a command is registered, and its line in the root's help (its own --help shows the
    whole docstring)."""

    module: str
    summary: str


# command or group name -> its topic, in the order help lists them; the summary is the first
# paragraph of the command's own help (tests/api/cli/test_cli_topics.py holds them together)
TOPICS: dict[str, Topic] = {
    "init": Topic("loading", "Create the store and load the ontology; with --demo, also the bundled demo data."),
    "load": Topic("loading", "Load RDF files, each into its own named graph (or all into --graph), validated and atomic."),
    "validate": Topic("loading", "Check files against the shapes, with the ontology and loaded graphs as context; load nothing."),
    "check": Topic("loading", "Check that the ontology (and optionally the data) is consistent, with HermiT."),
    "reason": Topic(
        "loading",
        "Materialize the derived links (commands, memberOf, subOrganizationOf, ...) into the inferred graph.",
    ),
    "synth": Topic(
        "loading",
        "Generate a deterministic synthetic graph (fictional, its own namespace) for tests and benchmarks.",
    ),
    "query": Topic("reading", "Run a SPARQL query over every loaded graph and print the result."),
    "stats": Topic("reading", "Counts by class, by named graph, and of relations by type."),
    "dump": Topic("backup", "Write the whole store, every graph, as N-Quads."),
    "restore": Topic("backup", "Replace the store with a dump. The old store stays as it was if the dump is bad."),
    "serve": Topic("serve", "Serve the web pages, the SPARQL endpoint (/sparql) and the API docs (/docs)."),
    "vet": Topic("vetting", "Vet one subject: is it, or was it, a perpetrator or linked to one, when, and on what evidence."),
    "vet-program": Topic("vetting", "Vet every implementer, funder, partner and target of a program."),
    "screen": Topic(
        "vetting",
        "Screen a list of names: candidates with scores and reasons per row, and the vetting outcome of each confident match.",
    ),
    "vetting-runs": Topic(
        "vetting",
        "The vetting audit trail: who vetted what, when, under which policy and data, with what outcome.",
    ),
    "cases": Topic("cases", "Vetting cases: the decisions vetters took, their sign-off, expiry and re-vetting."),
    "export": Topic("export", "Write a network, a program or paths as GraphML, GEXF or CSV."),
    "graphs": Topic("graphs", "List data graphs; restrict or unrestrict them."),
    "import": Topic("importers", "Import data sets that are not RDF (Security Force Monitor exports), validated and atomic."),
    "keys": Topic("keys", "Create, list and revoke API keys (Authorization: Bearer KEY)."),
    "queries": Topic("queries", "The query library: list the named queries, and run one with parameters."),
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
    """The root group: each topic's commands, imported on first use. Its help lists every command
    from TOPICS, importing none."""

    _listing = False

    def list_commands(self, ctx: _click.Context) -> list[str]:
        # One order whatever has been loaded: any command of the root's own, then the topics.
        return [*(name for name in super().list_commands(ctx) if name not in TOPICS), *TOPICS]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in TOPICS:
            return command
        topic = TOPICS[cmd_name]
        if self._listing:  # help needs only the name and the line
            return TyperCommand(cmd_name, short_help=topic.summary)
        command = topic_commands(topic.module)[cmd_name]
        self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(self, ctx: _click.Context, args: list[str]) -> tuple[str | None, _click.Command | None, list[str]]:
        name = args[0] if args else ""
        if ctx.token_normalize_func is not None and name:
            name = ctx.token_normalize_func(name)
        unknown = name and not name.startswith("-") and name not in self.list_commands(ctx)
        if unknown and self.suggest_commands and not ctx.resilient_parsing:
            # typer suggests from the commands built so far; suggest from every name instead
            matches = get_close_matches(name, self.list_commands(ctx))
            ctx.fail(f"No such command {name!r}." + (f" Did you mean {', '.join(map(repr, matches))}?" if matches else ""))
        return super().resolve_command(ctx, args)
