"""The command line imports a topic's module only when one of its commands runs: TOPICS must name
exactly what each topic module registers, a command must not import the other topics, and a
mistyped name is still matched against every command, loaded or not."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from api.cli import commands
from api.cli.commands import TOPICS, topic_commands
from api.cli.main import app


def test_topics_name_exactly_what_each_topic_module_registers() -> None:
    registering = {
        info.name
        for info in pkgutil.iter_modules(commands.__path__)
        if hasattr(importlib.import_module(f"{commands.__name__}.{info.name}"), "register")
    }
    assert registering == set(TOPICS.values())
    for module in registering:
        named = {name for name, topic in TOPICS.items() if topic == module}
        assert set(topic_commands(module)) == named, module


def test_no_topic_names_a_command_of_the_root() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, commands.LazyTopics)
    assert not set(TOPICS) & set(root.commands)  # built before any topic loaded: the root's own


def test_a_command_imports_no_other_topic() -> None:
    """`load --help` in a fresh interpreter leaves every topic module, and the vetting engine,
    unimported; `vet --help` imports its own topic and no other."""
    probe = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from api.cli.main import app\n"
        "result = CliRunner().invoke(app, sys.argv[1:])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('api.cli.commands.', 'graph.vetting')))))\n"
    )

    def imported(*args: str) -> list[str]:
        result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120, check=True)
        loaded: list[str] = json.loads(result.stdout)
        return loaded

    assert imported("load", "--help") == []
    vetting = imported("vet", "--help")
    assert "api.cli.commands.vetting" in vetting
    assert not {m for m in vetting if m.startswith("api.cli.commands.")} - {"api.cli.commands.vetting"}


def test_a_mistyped_command_is_matched_against_every_command() -> None:
    result = CliRunner().invoke(app, ["vett"])
    assert result.exit_code == 2
    assert "No such command 'vett'" in result.output and "'vet'" in result.output
    assert "'load'" in CliRunner().invoke(app, ["lod"]).output


def test_help_lists_the_root_commands_then_every_topic_in_one_order() -> None:
    """The same list before and after topics load, so help never reorders."""
    root = typer.main.get_command(app)
    assert isinstance(root, commands.LazyTopics)
    context = typer.Context(root)
    own = ["init", "load", "validate", "check", "reason", "synth"]
    assert root.list_commands(context) == [*own, *TOPICS]
    root.get_command(context, "keys")
    assert root.list_commands(context) == [*own, *TOPICS]


def test_store_before_the_command_reaches_a_topic_and_a_topic_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a store opened by default would appear here, as var/store
    monkeypatch.setenv("ACTORGRAPH_STORE", "")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["--store", store, "init"]).exit_code == 0
    stats = runner.invoke(app, ["--store", store, "stats", "--format", "json"])
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.output)["graphs"]  # the initialised store's graphs, so that store was read
    created = runner.invoke(app, ["--store", store, "keys", "create", "--role", "reader", "--name", "probe"])
    assert created.exit_code == 0, created.output
    listed = runner.invoke(app, ["--store", store, "keys", "list"])
    assert listed.exit_code == 0 and "probe" in listed.output, listed.output
    assert not (tmp_path / "var").exists()
