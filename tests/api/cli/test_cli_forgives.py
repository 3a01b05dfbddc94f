"""The command line forgives: --version, --store before the command, a load into a store that
was never initialised refused before any work, a query argument read as a file only when it is
one, tables that fit the terminal, and a load that shows each of its phases on a terminal (and
draws nothing into a pipe). Run as real processes, as a user runs them."""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import subprocess
import threading
from importlib import metadata
from pathlib import Path

import pytest

from api.cli.progress import PHASES
from api.cli.tables import GAP, column_widths, render
from graph.ingest import loader, setup
from graph.store import open_store
from tests.api.cli.test_cli import run
from tests.conftest import FIXTURES
from tests.support import ACTORGRAPH

LONG_TEXT_QUERY = (
    "SELECT ?unit ?label WHERE { ?unit a <https://w3id.org/actorgraph/ontology#MilitaryUnit> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
)


def bare(*args: str, columns: int | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI without the --store that `run` appends."""
    env = {**os.environ, "ACTORGRAPH_STORE": ""}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run([str(ACTORGRAPH), *args], capture_output=True, text=True, timeout=300, env=env, check=False)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("forgives") / "store"
    result = bare("--store", str(store), "init")
    assert result.returncode == 0, result.stderr
    run("load", str(FIXTURES / "valid_relation.ttl"), "--graph", "sample", store=store)
    return store


def test_version_prints_the_installed_version() -> None:
    result = bare("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"actorgraph {metadata.version('actorgraph')}"


def test_store_on_the_group_reaches_every_command_and_the_commands_own_wins(sample: Path, tmp_path: Path) -> None:
    listed = bare("--store", str(sample), "graphs", "list")
    assert listed.returncode == 0 and "sample" in listed.stdout
    elsewhere = tmp_path / "never-made"
    own = bare("--store", str(elsewhere), "graphs", "list", "--store", str(sample))
    assert own.returncode == 0 and "sample" in own.stdout
    assert not elsewhere.exists()


def test_load_into_a_store_never_initialised_refuses_before_reading_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle at all <<<")
    missing = tmp_path / "no-store"
    result = run("load", str(broken), store=missing, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        (
            f"error: the store at {missing} is not initialized; run `actorgraph init --store {missing}` first "
            "(loading validates against its ontology)"
        )
    ]
    assert not missing.exists()
    empty_directory = tmp_path / "empty-directory"
    empty_directory.mkdir()
    refused = run("load", str(broken), store=empty_directory, check=False)
    assert refused.returncode == 1 and "is not initialized; run `actorgraph init" in refused.stderr
    assert list(empty_directory.iterdir()) == []  # no store made in it
    empty = tmp_path / "empty-store"
    bare("--store", str(empty), "graphs", "list")  # opened once, so it exists without the ontology
    assert empty.exists()
    again = run("load", str(broken), store=empty, check=False)
    assert again.returncode == 1 and "is not initialized; run `actorgraph init" in again.stderr
    assert "syntax" not in again.stderr.lower()  # refused before the file was read


def test_a_long_query_text_with_slashes_is_text(sample: Path) -> None:
    result = run("query", LONG_TEXT_QUERY, "--format", "json", store=sample)
    assert "running the query text given" in result.stderr
    assert "First Brigade (fictional)" in result.stdout


def test_an_existing_file_is_read_whatever_its_ending_and_a_missing_rq_is_named(sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "units.sparql"
    path.write_text(LONG_TEXT_QUERY)
    result = run("query", str(path), "--format", "csv", store=sample)
    assert f"running the query file {path}" in result.stderr
    assert "First Brigade (fictional)" in result.stdout
    missing = tmp_path / "missing.rq"
    failed = run("query", str(missing), store=sample, check=False)
    assert failed.returncode == 1 and f"cannot read the query file {missing}" in failed.stderr
    library = run("query", "programs", "--format", "csv", store=sample)
    assert "running the library query 'programs'" in library.stderr


@pytest.mark.parametrize("columns", [40, 60, 100])
def test_table_fits_the_terminal_and_csv_keeps_the_full_rows(sample: Path, columns: int) -> None:
    table = bare("--store", str(sample), "query", LONG_TEXT_QUERY, columns=columns).stdout.splitlines()
    assert all(len(line) <= columns for line in table), table  # the count line too: it wraps
    full = bare("--store", str(sample), "query", LONG_TEXT_QUERY, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(full)))
    natural = len(GAP.join([max(len(r["unit"]) for r in rows) * "x", max(len(r["label"]) for r in rows) * "x"]))
    if natural > columns:
        assert "--format csv or --format json gives them whole" in " ".join(" ".join(table[2 + len(rows) :]).split())
        assert all(r["unit"] not in "\n".join(table) for r in rows)  # the IRIs were cut ...
        assert all(r["unit"][-6:] in "\n".join(table) for r in rows)  # ... keeping their ends
    else:
        assert table[-1] == f"({len(rows)} rows)"


def test_column_widths_share_the_width_and_keep_narrow_columns_whole() -> None:
    assert column_widths([5, 10], 80) == [5, 10]
    widths = column_widths([10, 90, 60], 80)
    assert widths[0] == 10
    assert sum(widths) + 2 * len(GAP) == 80
    assert abs(widths[1] - widths[2]) <= 1
    assert column_widths([50] * 30, 40) == [4] * 30  # too many columns: never below the narrowest cut
    text = render(["a", "b"], [["x" * 50, "line one\nline two"]], width=30)
    assert all(len(line) <= 30 for line in text.splitlines())
    assert "line one line…" in text  # the newline became a space before the cut


def test_a_load_reports_its_phases_in_order(tmp_path: Path) -> None:
    store = open_store(None)
    setup.load_ontology(store)
    seen: list[str] = []
    loader.load_file(store, FIXTURES / "valid_relation.ttl", graph="checked", phase=seen.append)
    assert seen == ["validate", "register"]
    trusted: list[str] = []
    loader.load_file(store, FIXTURES / "valid_relation.ttl", graph="trusted", trusted=True, phase=trusted.append)
    assert trusted == ["register"]


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_a_terminal(*args: str) -> tuple[subprocess.CompletedProcess[str], str]:
    """The CLI with standard error on a pseudo-terminal, as in a user's shell (standard output is
    still captured): the process and what its terminal showed, without the escape codes."""
    main, side = pty.openpty()
    shown = bytearray()

    def drain() -> None:  # read as it is written, so that a full terminal buffer never blocks the CLI
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the side closed: the process has ended
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env = {**os.environ, "ACTORGRAPH_STORE": "", "COLUMNS": "120", "TERM": "xterm"}
    for name in ("TTY_COMPATIBLE", "TTY_INTERACTIVE", "FORCE_COLOR", "NO_COLOR"):
        env.pop(name, None)
    try:
        with subprocess.Popen([str(ACTORGRAPH), *args], stdout=subprocess.PIPE, stderr=side, text=True, env=env) as process:
            os.close(side)
            out, _ = process.communicate(timeout=300)
        reader.join(timeout=10)
    finally:
        os.close(main)
    text = ANSI.sub("", shown.decode("utf-8", "replace")).replace("\r", "\n")
    return subprocess.CompletedProcess(process.args, process.returncode, out, text), text


def first_seen(text: str, descriptions: list[str]) -> list[int]:
    return [text.find(description) for description in descriptions]


def test_load_on_a_terminal_shows_each_phase_in_order_through_derive(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert bare("--store", str(store), "init").returncode == 0
    fixture = FIXTURES / "valid_relation.ttl"
    loaded, shown = on_a_terminal("load", str(fixture), "--graph", "progress", "--store", str(store))
    assert loaded.returncode == 0, shown
    assert "loaded 19 triples into progress (validated)" in loaded.stdout
    phases = [PHASES["parse"].format(name=fixture.name), PHASES["validate"], PHASES["register"], PHASES["derive"]]
    seen = first_seen(shown, phases)
    assert -1 not in seen and seen == sorted(seen), (seen, shown)
    assert all(f"✓ {phase}" in shown for phase in phases), shown  # each ended, with its tick
    trusted, shown = on_a_terminal("load", str(fixture), "--graph", "trusted", "--trusted", "--no-reason", "--store", str(store))
    assert trusted.returncode == 0, shown
    assert PHASES["validate"] not in shown and PHASES["derive"] not in shown
    seen = first_seen(shown, [PHASES["parse"].format(name=fixture.name), PHASES["register"]])
    assert -1 not in seen and seen == sorted(seen), (seen, shown)


def test_load_into_a_pipe_draws_no_progress(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert bare("--store", str(store), "init").returncode == 0
    loaded = run("load", str(FIXTURES / "valid_relation.ttl"), "--graph", "piped", store=store)
    assert not any(description.split(" {")[0] in loaded.stderr for description in PHASES.values()), loaded.stderr
