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
from typer.models import DefaultPlaceholder
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
    assert registering == {topic.module for topic in TOPICS.values()}
    for module in registering:
        named = {name for name, topic in TOPICS.items() if topic.module == module}
        assert set(topic_commands(module)) == named, module


def test_each_summary_is_the_first_paragraph_of_its_command_help() -> None:
    """Help lists TOPICS' line for a command not loaded and the command's own once loaded: they
    must be the same line. The stand-ins help lists carry no more than that, so no command may
    need more (hidden, deprecated, a help panel)."""
    for name, topic in TOPICS.items():
        command = topic_commands(topic.module)[name]
        first_paragraph = " ".join((command.help or "").split("\n\n")[0].split())
        assert first_paragraph == topic.summary, name
        panel = getattr(command, "rich_help_panel", None)
        assert not command.hidden and not command.deprecated and (panel is None or isinstance(panel, DefaultPlaceholder)), name


def test_the_root_has_no_command_of_its_own() -> None:
    """Every command is in a topic, so help lists them all from TOPICS."""
    root = typer.main.get_command(app)
    assert isinstance(root, commands.LazyTopics)
    assert root.commands == {}


def _imported_by(*args: str) -> list[str]:
    """The topic modules and vetting modules that running `actorgraph ARGS` imports, in a fresh
    interpreter."""
    probe = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from api.cli.main import app\n"
        "result = CliRunner().invoke(app, sys.argv[1:])\n"
        "assert result.exit_code == (2 if len(sys.argv) == 1 else 0), result.output  # no arguments: help, as a usage error\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('api.cli.commands.', 'graph.', 'api.settings')))))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120, check=True)
    loaded: list[str] = json.loads(result.stdout)
    return loaded


def test_reading_a_store_imports_neither_the_loader_nor_the_vetting_engine(tmp_path: Path) -> None:
    """Opening a store recovers it (graph.store.recovery), which needs only graph.ingest.derivation."""
    assert CliRunner().invoke(app, ["init", "--store", str(tmp_path / "store")]).exit_code == 0
    loaded = _imported_by("stats", "--store", str(tmp_path / "store"))
    assert "graph.store.recovery" in loaded and "graph.ingest.derivation" in loaded
    assert "graph.ingest.loader" not in loaded and not [m for m in loaded if m.startswith("graph.vetting")]


def test_a_command_imports_its_own_topic_and_no_other() -> None:
    """`load --help` imports its topic and nothing of the vetting engine; `vet --help` imports its
    own topic and no other."""
    loading = _imported_by("load", "--help")
    assert [m for m in loading if m.startswith("api.cli.commands.")] == ["api.cli.commands.loading"]
    assert not [m for m in loading if m.startswith("graph.vetting")]
    vetting = _imported_by("vet", "--help")
    assert [m for m in vetting if m.startswith("api.cli.commands.")] == ["api.cli.commands.vetting"]


def test_help_imports_no_topic_and_no_part_of_the_graph() -> None:
    assert _imported_by("--help") == []
    assert _imported_by() == []  # no arguments shows the same help


def test_a_mistyped_command_is_matched_against_every_command() -> None:
    result = CliRunner().invoke(app, ["vett"])
    assert result.exit_code == 2
    assert "No such command 'vett'" in result.output and "'vet'" in result.output
    assert "'load'" in CliRunner().invoke(app, ["lod"]).output


def test_help_lists_every_command_with_its_line_loaded_or_not(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """One root group renders its help before any topic loads (from TOPICS) and after every one
    has (from the commands themselves): the same lines, in the same order."""
    monkeypatch.setenv("COLUMNS", "250")
    root = typer.main.get_command(app)
    assert isinstance(root, commands.LazyTopics)

    def listing() -> list[str]:
        with pytest.raises(SystemExit) as exited:
            root.main(["--help"], prog_name="actorgraph")
        assert exited.value.code == 0
        shown = capsys.readouterr().out
        return [line for line in shown.splitlines() if line.startswith("│ ") and "--" not in line.split()[1]]

    before = listing()
    assert [line.split()[1] for line in before] == list(TOPICS)  # "│ name  summary │"
    context = typer.Context(root)
    assert all(root.get_command(context, name) is not None for name in TOPICS)
    assert set(root.commands) == set(TOPICS)  # every command now built, on this root
    assert listing() == before


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
