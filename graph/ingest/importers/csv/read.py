"""Reading a user's CSV files, one kind per file named by its ending (actors.csv, relations.csv,
incidents.csv, sources.csv; kenya-actors.csv is an actors file), and checking every cell that can
be checked alone: required cells, ids, types and concepts against the ontology, dates, countries
and URLs. Each problem is named by file, row (the header is row 1) and column. References between
rows are checked afterwards, when every file has been read (`resolve`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.ingest.importers.csv.vocab import RELATIONS, Vocabulary
from graph.ingest.importers.problems import ImportProblems, Problems
from graph.ingest.importers.sfm.countries import UnknownCountry, country_code
from graph.ingest.importers.sfm.dates import DateError, PartialDate, parse_date
from graph.ingest.importers.sfm.report import ImportReport

COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("id", "title", "publisher", "date", "url"),
    "actors": ("id", "type", "name", "aliases", "country", "source", "note"),
    "relations": ("id", "type", "subject", "object", "start", "end", "ongoing", "confidence", "source", "note"),
    "incidents": (
        "id",
        "name",
        "violation_types",
        "start",
        "end",
        "country",
        "location",
        "perpetrators",
        "status",
        "confidence",
        "source",
        "note",
    ),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "sources": ("id", "title", "publisher"),
    "actors": ("id", "type", "name", "source"),
    "relations": ("id", "type", "subject", "object", "confidence", "source"),
    "incidents": ("id", "name", "violation_types", "start", "source"),
}
KINDS = tuple(COLUMNS)
_ID = re.compile(r"^(?:https?://\S+|[A-Za-z0-9][A-Za-z0-9._-]{0,100})$")
_SPACES = re.compile(r"\s+")


class CsvImportError(ImportProblems):
    """The CSV files have bad values; nothing was written."""

    what = "the CSV files"


@dataclass
class Row:
    kind: str
    file: str
    row: int
    cells: dict[str, str]
    dates: dict[str, PartialDate] = field(default_factory=dict)
    values: dict[str, list[str]] = field(default_factory=dict)  # a checked column -> IRIs or codes
    ok: bool = True  # False: a cell is bad; the row still declares its id, so references to it resolve

    def where(self) -> str:
        return f"row {self.row}"

    def many(self, column: str) -> list[str]:
        return [part.strip() for part in self.cells.get(column, "").split(";") if part.strip()]


def clean(value: str | None) -> str:
    return _SPACES.sub(" ", value or "").strip()


def kind_of(path: Path) -> str | None:
    return next((kind for kind in KINDS if path.name.lower().endswith(f"{kind}.csv")), None)


def files_in(paths: list[Path]) -> list[Path]:
    """The files to read: those given, and those of each folder given whose names end in a kind."""
    out: list[Path] = []
    for path in paths:
        found = sorted(p for p in path.iterdir() if p.is_file() and kind_of(p)) if path.is_dir() else [path]
        out.extend(p for p in found if p not in out)
    return out


def read_files(paths: list[Path], vocabulary: Vocabulary, report: ImportReport, problems: Problems) -> list[Row]:
    """Every row read, each marked ok or not; the problems of those that are not are added."""
    rows: list[Row] = []
    for path in files_in(paths):
        file, kind = str(path), kind_of(path)
        if kind is None:
            problems.add(file, None, None, f"the file name says no kind: it must end in {', '.join(k + '.csv' for k in KINDS)}")
            continue
        try:
            handle = path.open(newline="", encoding="utf-8-sig")
        except OSError as error:
            problems.add(file, None, None, f"cannot read the file: {error.strerror or error}")
            continue
        with handle:
            reader = csv.DictReader(handle)
            header = [clean(name) for name in reader.fieldnames or []]
            missing = [c for c in REQUIRED[kind] if c not in header]
            unknown = [c for c in header if c not in COLUMNS[kind]]
            if missing or unknown:
                what = "; ".join(
                    p
                    for p in (
                        f"missing column(s) {', '.join(missing)}" if missing else "",
                        f"unknown column(s) {', '.join(unknown)}" if unknown else "",
                    )
                    if p
                )
                problems.add(
                    file, "row 1", ", ".join(missing + unknown), f"{what}: a {kind} file has the columns {', '.join(COLUMNS[kind])}"
                )
                continue
            counts = report.file(path.name)
            for number, raw in enumerate(reader, start=2):
                counts.rows_read += 1
                cells = {clean(k): clean(v) for k, v in raw.items() if k}
                if not any(cells.values()):
                    counts.skip(number, "an empty row")
                    continue
                row = Row(kind, file, number, cells)
                row.ok = _check(row, vocabulary, problems)
                rows.append(row)
                if row.ok:
                    counts.imported(number)
    return rows


def _check(row: Row, vocabulary: Vocabulary, problems: Problems) -> bool:
    before, cells = len(problems.items), row.cells

    def bad(column: str, message: str) -> None:
        problems.add(row.file, row.where(), column, message)

    for column in REQUIRED[row.kind]:
        if not cells.get(column):
            bad(column, "empty: this column is required")
    if cells.get("id") and not _ID.match(cells["id"]):
        bad("id", f"{cells['id']!r} is not an id: letters, digits, '.', '_' and '-', or a full http(s) IRI")
    for column in ("date", "start", "end"):
        if cells.get(column):
            try:
                parsed = parse_date(cells[column])
                if parsed is not None:
                    row.dates[column] = parsed
            except DateError as error:
                bad(column, str(error))
    start, end = row.dates.get("start"), row.dates.get("end")
    if start and end and end.last_day() < start.first_day():
        bad("end", f"{end} is before the start {start}")
    if cells.get("country"):
        try:
            row.values["country"] = [country_code(cells["country"])]
        except UnknownCountry as error:
            bad("country", str(error))
    if cells.get("url") and not re.match(r"^https?://\S+$", cells["url"]):
        bad("url", f"{cells['url']!r} is not an http(s) URL")
    if row.kind == "actors" and cells.get("type"):
        found = vocabulary.actor_types.get(cells["type"].lower())
        if found is None:
            bad("type", f"{cells['type']!r} is not an actor type; the types are {vocabulary.allowed('actor')}")
        row.values["type"] = [found] if found else []
    if row.kind == "relations":
        if cells.get("type") and cells["type"] not in RELATIONS:
            bad("type", f"{cells['type']!r} is not a relation type; the types are {', '.join(RELATIONS)}")
        if cells.get("ongoing", "").lower() not in ("", "true", "false", "yes", "no"):
            bad("ongoing", f"{cells['ongoing']!r}: write true or false, or leave it empty")
        elif cells.get("ongoing", "").lower() in ("true", "yes") and end:
            bad("ongoing", "a relation with an end date is not ongoing")
    if row.kind == "incidents" and row.many("perpetrators"):
        for column in ("status", "confidence"):
            if not cells.get(column):
                bad(column, "empty: an incident with perpetrators says how established (status) and how sure (confidence) each is")
    for column, kind in (("violation_types", "violation"), ("confidence", "confidence"), ("status", "status")):
        words = row.many(column) if column == "violation_types" else ([cells[column]] if cells.get(column) else [])
        found_all = [vocabulary.concepts[kind].get(word.lower()) for word in words]
        for word, found in zip(words, found_all, strict=True):
            if found is None:
                bad(column, f"{word!r} is not a {kind} value; the values are {vocabulary.allowed(kind)}")
        row.values[column] = [f for f in found_all if f]
    return len(problems.items) == before
