"""Every command that prints a table fits it to the terminal, through api.cli.tables as `query`
does, and gives the full rows with --format csv or --format json. Run as real processes on the demo
store, with COLUMNS=80 as a terminal of 80 columns sets it, and with values long enough to be cut:
a graph and a key with long names, a case about a unit with a long label."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api.cli.tables import as_csv, wrap
from tests.conftest import FIXTURES
from tests.support import ACTORGRAPH

COLUMNS = 80
LONG_GRAPH = "field-reports-from-the-northern-provinces-second-quarter-of-the-year-2018"
LONG_LABEL = "Field office in Ilvesse, for the monitoring team that reads the quarterly returns"
PROGRAM_DAY = ("--date", "2025-06-01")
NAMES = (
    "name,type,country\n"
    "Rapid Intervention Police Unit,unit,Veldoria\n"
    "Someone Nobody Has Heard Of In Any Record Whatsoever Of Any Province,person,\n"
)


def cli(store: Path, *args: str, columns: int = COLUMNS) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACTORGRAPH_STORE": "", "COLUMNS": str(columns)}
    env.pop("ACTORGRAPH_KEY", None)
    result = subprocess.run(
        [str(ACTORGRAPH), *args, "--store", str(store)], capture_output=True, text=True, timeout=300, env=env, check=False
    )
    assert result.returncode == 0, f"actorgraph {' '.join(args)} failed:\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tables")
    (folder / "names.csv").write_text(NAMES, encoding="utf-8")
    store = folder / "store"
    cli(store, "init", "--demo")
    cli(store, "load", str(FIXTURES / "valid_relation.ttl"), "--graph", LONG_GRAPH, "--no-reason")
    token = cli(store, "keys", "create", "--role", "analyst", "--name", LONG_LABEL).stdout.strip()
    cli(store, "cases", "create", "unit/ripu", *PROGRAM_DAY, "--decision", "deny", "--justification", "A recorded perpetrator.",
        "--key", token)  # fmt: skip
    return store


# command, the CSV column that holds a value the table cuts, the same values from the JSON
Case = tuple[list[str], str, Callable[[Any], list[str]]]
COMMANDS: dict[str, Case] = {
    "queries run": (
        ["queries", "run", "chain_of_command", "--param", "unit=fictional/unit/bn-72", "--param", "at=2018-04-14"],
        "unit",
        lambda rows: [row["unit"] for row in rows],
    ),
    "graphs list": (["graphs", "list"], "graph", lambda rows: [row["name"] for row in rows]),
    "keys list": (["keys", "list"], "label", lambda rows: [row["label"] for row in rows]),
    "cases list": (["cases", "list"], "subject", lambda listed: [case["subject_label"] for case in listed["cases"]]),
    # vet-program's CSV is its findings, one row per finding: each participant is a subject of one or more
    "vet-program": (
        ["vet-program", "program/vsspp", *PROGRAM_DAY],
        "subject_label",
        lambda program: [participant["label"] for participant in program["participants"]],
    ),
    # screen's CSV is its own, one row per input row with every candidate
    "screen": (["screen", "{names}", *PROGRAM_DAY], "name", lambda rows: [row["name"] for row in rows]),
    "vetting-runs": (["vetting-runs"], "subject", lambda listed: [run["subject_label"] for run in listed["runs"]]),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_table_fits_80_columns_and_csv_and_json_give_the_values_it_cuts_whole(demo: Path, name: str) -> None:
    args, column, from_json = COMMANDS[name]
    args = [arg.format(names=demo.parent / "names.csv") for arg in args]
    table = cli(demo, *args).stdout
    assert max(len(line) for line in table.splitlines()) <= COLUMNS, table
    assert "values cut to fit: --format csv or --format json gives them whole" in " ".join(table.split())
    whole = from_json(json.loads(cli(demo, *args, "--format", "json").stdout))
    cut = [value for value in whole if value not in table]
    assert cut, f"nothing in {whole} was cut: the test needs a longer value"
    assert all(value[:3] in table or value[-3:] in table for value in cut)  # shown, but cut
    in_csv = {row[column] for row in csv.DictReader(io.StringIO(cli(demo, *args, "--format", "csv").stdout))}
    assert set(whole) <= in_csv


@pytest.mark.parametrize("name", ["graphs list", "keys list", "cases list", "vetting-runs"])
def test_json_is_the_same_with_the_older_json_flag(demo: Path, name: str) -> None:
    args = COMMANDS[name][0]
    assert json.loads(cli(demo, *args, "--json").stdout) == json.loads(cli(demo, *args, "--format", "json").stdout)


def test_a_wide_terminal_shows_every_value_whole(demo: Path) -> None:
    args, _, from_json = COMMANDS["graphs list"]
    table = cli(demo, *args, columns=250).stdout
    assert all(value in table for value in from_json(json.loads(cli(demo, *args, "--format", "json").stdout)))
    assert table.splitlines()[-1] == f"({len(table.splitlines()) - 3} rows)"


def test_vet_program_wraps_its_reasons_and_still_takes_text_for_the_table(demo: Path) -> None:
    args = COMMANDS["vet-program"][0]
    table = cli(demo, *args).stdout
    program = json.loads(cli(demo, *args, "--format", "json").stdout)
    counts = program["counts"]
    assert f"{counts['flag']} flag, {counts['review']} review, {counts['clear']} clear" in table
    flagged = next(p for p in program["participants"] if p["vetting"]["outcome"] == "flag")
    assert " ".join(flagged["vetting"]["reason"].split()) in " ".join(table.split())  # wrapped, not cut
    assert cli(demo, *args, "--format", "text").stdout == table


def test_screen_writes_its_table_to_a_file_whole(demo: Path) -> None:
    names = demo.parent / "names.csv"
    written = demo.parent / "screened.txt"
    cli(demo, "screen", str(names), *PROGRAM_DAY, "--output", str(written))
    rows = json.loads(cli(demo, "screen", str(names), *PROGRAM_DAY, "--format", "json").stdout)
    text = written.read_text(encoding="utf-8")
    assert all(row["name"] in text for row in rows) and "…" not in text
    assert cli(demo, "screen", str(names), *PROGRAM_DAY, "--format", "text").stdout == cli(demo, "screen", str(names), *PROGRAM_DAY).stdout


def test_queries_list_wraps_to_the_terminal_but_keeps_each_example_on_one_line() -> None:
    env = {**os.environ, "ACTORGRAPH_STORE": "", "COLUMNS": str(COLUMNS)}
    listed = subprocess.run([str(ACTORGRAPH), "queries", "list"], capture_output=True, text=True, timeout=300, env=env, check=True).stdout
    lines = listed.splitlines()
    assert all(len(line) <= COLUMNS for line in lines if not line.startswith("  e.g. ")), listed
    assert all(line.startswith("  e.g. actorgraph queries run ") for line in lines if len(line) > COLUMNS)
    described = json.loads(
        subprocess.run([str(ACTORGRAPH), "queries", "list", "--format", "json"], capture_output=True, text=True, timeout=300, env=env, check=True).stdout
    )
    assert all(" ".join(p["description"].split()) in " ".join(listed.split()) for q in described for p in q["params"])


def test_wrap_breaks_at_spaces_and_cuts_only_a_word_longer_than_a_line() -> None:
    iri = "https://w3id.org/actorgraph/fictional/id/program/a-very-long-program-name"
    text = wrap(f"  program  {iri} and some words after it", 40, indent="           ")
    lines = text.splitlines()
    assert all(len(line) <= 40 for line in lines) and lines[0] == "  program"
    assert lines[1].startswith("           …") and lines[1].endswith("program-name")  # the IRI keeps its end
    assert " ".join(text.split()).endswith("and some words after it")


def test_csv_cells_are_whole_and_never_a_formula() -> None:
    rows = list(csv.reader(io.StringIO(as_csv(["a", "b"], [["=HYPERLINK(1)", "-12,5"], ["x, \"y\"", "@z"]]))))
    assert rows == [["a", "b"], ["'=HYPERLINK(1)", "-12,5"], ['x, "y"', "'@z"]]
