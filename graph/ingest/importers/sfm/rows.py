"""Reading Security Force Monitor export files, so that every value can be blamed on a file, a row
and a column.

An import must be all or nothing, and a researcher fixing a spreadsheet needs to know exactly which
cell is wrong. So nothing here raises on the first problem: each `Row` reports into a shared
`Problems` list, the importer reads everything, and only then decides whether to write.

Row numbers are spreadsheet row numbers: the header is row 1, the first record row 2 (a quoted
value spanning lines still counts as one row).
"""

from __future__ import annotations

import csv
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InvalidValueError
from graph.ingest.importers.sfm.dates import DateError, PartialDate, ResolvedDate, resolve
from graph.ingest.importers.sfm.report import FileReport

csv.field_size_limit(10_000_000)  # violation descriptions quote whole reports

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class RowProblem:
    """One bad value: where it is and what is wrong with it."""

    file: str
    row: int | None
    column: str | None
    message: str
    # What a row and a column are called in this file: CSV rows and columns, or the records and
    # fields of a JSON fixture file.
    row_word: str = "row"
    column_word: str = "column"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", {self.row_word} {self.row}"
        if self.column:
            where += f", {self.column_word} {self.column}"
        return f"{where}: {self.message}"


class SfmImportError(InvalidValueError, ValueError):
    """The export has bad values; nothing was written. `problems` lists every one found."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the Security Force Monitor data, nothing was imported:\n{shown}{more}")


@dataclass
class Problems:
    """Collects problems from every file, so that one run reports them all."""

    items: list[RowProblem] = field(default_factory=list)

    def add(self, file: str, row: int | None, column: str | None, message: str, *, words: tuple[str, str] = ("row", "column")) -> None:
        self.items.append(RowProblem(file, row, column, message, *words))

    def raise_if_any(self) -> None:
        if self.items:
            raise SfmImportError(self.items)


def clean(text: str) -> str:
    """A value with surrounding and repeated whitespace removed: SFM names often end in a space
    ("Importer Test Organization Alpha Name "), and the same name must not become two."""
    return _SPACES.sub(" ", text).strip()


@dataclass
class Row:
    """One record of an export file."""

    file: str
    number: int
    cells: dict[str, str]
    problems: Problems

    def raw(self, column: str) -> str:
        return self.cells.get(column) or ""

    def text(self, column: str) -> str:
        return clean(self.raw(column))

    def values(self, column: str) -> list[str]:
        """A `;`-separated multi-value cell, trimmed, empties dropped, first occurrence kept."""
        seen: dict[str, None] = {}
        for part in self.raw(column).split(";"):
            value = clean(part)
            if value:
                seen.setdefault(value, None)
        return list(seen)

    def problem(self, column: str | None, message: str) -> None:
        self.problems.add(self.file, self.number, column, message)

    def uuid(self, column: str, *, required: bool) -> str | None:
        """An SFM id: a uuid, lower-cased. Missing or malformed ids are problems when required."""
        value = self.text(column)
        if not value:
            if required:
                self.problem(column, "missing required id")
            return None
        return self._check_uuid(column, value)

    def uuids(self, column: str, *, quiet: bool = False) -> list[str]:
        """A `;`-separated list of SFM ids; malformed ones are problems (unless `quiet`, for a
        cell already checked) and left out."""
        found = []
        for value in self.values(column):
            checked = self._check_uuid(column, value, quiet=quiet)
            if checked:
                found.append(checked)
        return found

    def _check_uuid(self, column: str, value: str, *, quiet: bool = False) -> str | None:
        try:
            parsed = uuid.UUID(value)
        except ValueError:
            parsed = None
        if parsed is None or str(parsed) != value.lower():
            if not quiet:
                self.problem(column, f"{value!r} is not an SFM id (a uuid such as 494a58d2-93e5-4454-9c08-74ac97c184da)")
            return None
        return str(parsed)

    def date(self, column: str) -> ResolvedDate:
        """A date column with its `_year`/`_month`/`_day` parts where the export has them."""
        try:
            resolved = resolve(self.raw(column), self.raw(column + "_year"), self.raw(column + "_month"), self.raw(column + "_day"))
        except DateError as error:
            self.problem(column, str(error))
            return ResolvedDate(None)
        return resolved


@dataclass
class Table:
    """An export file read whole: its name for messages, its header and its rows."""

    name: str
    header: list[str]
    rows: list[Row]

    def has(self, column: str) -> bool:
        return column in self.header


def read_table(path: Path, problems: Problems, *, required: tuple[str, ...], delimiter: str = ",") -> Table | None:
    """Read a CSV (or TSV) export file. A missing file or column, or undecodable text, is a
    problem; the table is still returned when it could be read, so its rows get checked too."""
    name = path.name
    if not path.is_file():
        problems.add(name, None, None, f"file not found: {path}")
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        problems.add(name, None, None, f"not UTF-8 text (byte {error.start}, line {line}): {error.reason}")
        return None
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    try:
        header = [clean(column) for column in next(reader, [])]
        records = list(reader)
    except csv.Error as error:
        problems.add(name, reader.line_num, None, f"malformed {('TSV' if delimiter == chr(9) else 'CSV')}: {error}")
        return None
    missing = [column for column in required if column not in header]
    for column in missing:
        problems.add(name, 1, column, "required column is missing from the header")
    duplicated = sorted({column for column in header if header.count(column) > 1 and column})
    for column in duplicated:
        problems.add(name, 1, column, "column appears more than once in the header")
    rows = []
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank lines at the end of spreadsheets
        if len(record) > len(header):
            problems.add(name, number, None, f"{len(record)} cells but the header has {len(header)} columns")
            continue
        cells = dict(zip(header, record))
        rows.append(Row(name, number, cells, problems))
    return Table(name, header, rows)


def iter_published(table: Table, status_column: str, report: FileReport) -> Iterator[Row]:
    """The rows SFM marks as published (status 3). Other rows are SFM's work in progress: they are
    skipped and reported, as SFM's own importer does. Files without a status column (the slim
    extracts) publish every row. A row identical to an earlier one is skipped too: it adds
    nothing, and saying so explains why it is not counted twice."""
    seen: dict[tuple[tuple[str, str], ...], int] = {}
    for row in table.rows:
        if table.has(status_column):
            status = row.text(status_column)
            if status != "3":
                report.skip(row.number, f"not published: {status_column} is {status or 'empty'}, not 3")
                continue
        signature = tuple(sorted((column, value.strip()) for column, value in row.cells.items()))
        if signature in seen:
            report.skip(row.number, f"identical to row {seen[signature]}")
            continue
        seen[signature] = row.number
        yield row


def date_value(row: Row, column: str, report: FileReport) -> PartialDate | None:
    """A date column's value; a disagreement between its value and its parts is noted."""
    resolved = row.date(column)
    if resolved.disagreement:
        report.note(row.number, f"{column}: {resolved.disagreement}")
    return resolved.value
