"""Reading Foreign Military Training Report rows (TSV: country, program, course_title, us_unit,
student_unit, start_date, end_date, location, quantity, total_cost, source), every bad value named
by file, row and column before anything is written. Rows are spreadsheet rows (header = 1)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from graph.index.names import fold
from graph.ingest.importers.problems import ImportProblems, Problems
from graph.ingest.importers.sfm.countries import COUNTRY_NAMES
from graph.ingest.importers.sfm.dates import DateError, PartialDate, parse_date
from graph.ingest.importers.sfm.report import FileReport, ImportReport

COLUMNS = (
    "country",
    "program",
    "course_title",
    "us_unit",
    "student_unit",
    "start_date",
    "end_date",
    "location",
    "quantity",
    "total_cost",
    "source",
)
# How the report names the states whose names differ from ISO's short names beyond the
# ", Republic of" and "St " spellings the code below undoes.
REPORT_NAMES = {"congo, democratic republic of (kinshasa)": "CD", "congo, republic of (brazzaville)": "CG", "palestinian authority": "PS",
                "sudan, republic of south": "SS", "swaziland": "SZ", "gambia, the": "GM", "cape verde, republic of": "CV"}  # fmt: skip
_BY_NAME = {fold(name): code for code, name in COUNTRY_NAMES.items()}
_SPACES = re.compile(r"\s+")


class FmtrptImportError(ImportProblems):
    """The training rows have bad values; nothing was written."""

    what = "the Foreign Military Training Report rows"


@dataclass(frozen=True)
class TrainingRow:
    file: str
    row: int
    country: str  # ISO code
    program: str
    course: str
    us_unit: str
    student_unit: str
    start: PartialDate | None
    end: PartialDate | None
    location: str
    quantity: int | None
    cost: Decimal | None
    document: str


def clean(value: str | None) -> str:
    return _SPACES.sub(" ", value or "").strip()


def country_code(name: str) -> str | None:
    folded = fold(name)
    if folded in REPORT_NAMES:
        return REPORT_NAMES[folded]
    for candidate in (
        folded,
        folded.split(",")[0].strip(),
        folded.replace("st ", "saint ").replace("&", "and").replace("grenadines", "the grenadines"),
    ):
        if candidate in _BY_NAME:
            return _BY_NAME[candidate]
    return None


def read_rows(paths: list[Path], report: ImportReport) -> list[TrainingRow]:
    problems: Problems = Problems()
    out: list[TrainingRow] = []
    for path in paths:
        file = str(path)
        try:
            handle = path.open(newline="", encoding="utf-8-sig")
        except OSError as error:
            problems.add(file, None, None, f"cannot read the file: {error.strerror or error}")
            continue
        with handle:
            reader = csv.DictReader(handle, delimiter="\t")
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                problems.add(file, "row 1", ", ".join(missing), "missing column(s)")
                continue
            counts = report.file(path.name)
            for number, cells in enumerate(reader, start=2):
                counts.rows_read += 1
                row = _row(file, number, {k: clean(v) for k, v in cells.items() if k}, problems, counts)
                if row is None:
                    continue
                if not row.student_unit:
                    counts.skip(number, "no student unit")
                    continue
                out.append(row)
                counts.imported(number)
    problems.raise_if_any(FmtrptImportError)
    return out


def _row(file: str, number: int, cells: dict[str, str], problems: Problems, counts: FileReport) -> TrainingRow | None:
    where, before = f"row {number}", len(problems.items)
    code = country_code(cells["country"])
    if code is None:
        problems.add(file, where, "country", f"{cells['country']!r} is not a country ActorGraph knows")
    dates: dict[str, PartialDate | None] = {}
    for column in ("start_date", "end_date"):
        try:
            dates[column] = parse_date(cells[column])
        except DateError as error:
            problems.add(file, where, column, str(error))
    start, end = dates.get("start_date"), dates.get("end_date")
    if start is not None and end is not None and end.last_day() < start.first_day():
        counts.note(number, "an end date before the start date (a typo in the report): the end date is left out")
        end = None
    cost: Decimal | None = None
    if cells["total_cost"]:
        try:
            cost = Decimal(cells["total_cost"].replace("$", "").replace(",", "").strip())
        except InvalidOperation:
            problems.add(file, where, "total_cost", f"{cells['total_cost']!r} is not an amount in dollars")
    quantity = None
    if cells["quantity"]:
        if cells["quantity"].isdigit():
            quantity = int(cells["quantity"])
        else:
            problems.add(file, where, "quantity", f"{cells['quantity']!r} is not a number of students")
    if not cells["program"]:
        problems.add(file, where, "program", "empty: every row names the US program")
    if len(problems.items) != before or code is None:
        return None
    return TrainingRow(file, number, code, cells["program"], cells["course_title"], cells["us_unit"], cells["student_unit"],
                       start, end, cells["location"], quantity, cost, cells["source"])  # fmt: skip
