"""The rows of a screening: the list a vetting office uploads (CSV) and the rows it gets back, with
candidates and vetting, as CSV again."""

from __future__ import annotations

import _csv
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph.vetting.model import FindingSet
from graph.vetting.report import safe_cell

MAX_ROWS = 10_000
REQUIRED_COLUMNS = ("name", "type", "country")
OPTIONAL_COLUMNS = ("date_of_birth", "unit_id")
TYPE_WORDS = {
    "person": "person", "individual": "person", "people": "person", "natural person": "person",
    "organization": "organization", "organisation": "organization", "org": "organization", "unit": "organization",
    "group": "organization", "entity": "organization", "militia": "organization", "company": "organization",
    "agency": "organization", "ministry": "organization", "state": "organization", "institution": "organization",
}


class ScreeningError(ValueError):
    """The uploaded list is malformed; the message names the row (1 = header) and the field."""


@dataclass(frozen=True)
class ScreenInput:
    row: int  # line in the file, the header being 1
    name: str
    type: str
    country: str
    date_of_birth: str = ""
    unit_id: str = ""

    @property
    def kind(self) -> str | None:
        return TYPE_WORDS.get(self.type.strip().lower()) if self.type.strip() else None


@dataclass
class Candidate:
    iri: str
    label: str
    score: float
    matched: str
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"iri": self.iri, "label": self.label, "score": round(self.score, 1), "matched": self.matched, "reasons": self.reasons}


@dataclass
class ScreenRow:
    input: ScreenInput
    status: str  # match | ambiguous | none
    message: str
    candidates: list[Candidate] = field(default_factory=list)
    vetting: FindingSet | None = None

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def as_dict(self) -> dict[str, Any]:
        best = self.best if self.status == "match" else None
        vetting = self.vetting
        return {
            "row": self.input.row,
            "name": self.input.name,
            "type": self.input.type,
            "country": self.input.country,
            "date_of_birth": self.input.date_of_birth,
            "unit_id": self.input.unit_id,
            "match": self.status,
            "message": self.message,
            "subject": best.iri if best else None,
            "subject_label": best.label if best else None,
            "score": round(best.score, 1) if best else (round(self.best.score, 1) if self.best else None),
            "outcome": vetting.outcome if vetting else None,
            "reason": vetting.reason if vetting else self.message,
            "findings": len(vetting.findings) if vetting else 0,
            "candidates": [c.as_dict() for c in self.candidates],
        }


def _records(reader: _csv.Reader) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on. The reader is strict, so a quote that is never
    closed is an error rather than a field that swallows the rest of the file; the error names the
    line where the quoted field began, which is where the mistake is."""
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if str(error) == "unexpected end of data":
                raise ScreeningError(f"row {start}: a quoted field opened in this row is never closed") from None
            raise ScreeningError(f"row {reader.line_num}: {error}") from None
        for i, value in enumerate(values):
            if "\x00" in value:
                raise ScreeningError(f"row {start}, column {i + 1}: a NUL byte; the file is binary or damaged, not CSV text")
        yield start, values


def parse_csv(data: bytes | str) -> list[ScreenInput]:
    """The rows of an uploaded CSV (UTF-8, with or without BOM). Columns name, type and country are
    required, date_of_birth and unit_id optional; errors name the row and the field."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ScreeningError(f"the file is not UTF-8 text (byte {error.start})") from None
    else:
        text = data.lstrip("\ufeff")
    records = _records(csv.reader(io.StringIO(text, newline=""), strict=True))
    first = next(records, None)
    if first is None:
        raise ScreeningError("the file is empty: it needs a header row with name, type, country")
    header = first[1]
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ScreeningError(f"row 1 (header): missing column(s) {', '.join(missing)}; found {', '.join(columns) or 'none'}")
    position = {c: columns.index(c) for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in columns}
    rows: list[ScreenInput] = []
    for number, values in records:
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ScreeningError(f"row {number}: more than {MAX_ROWS:,} rows; split the file")

        cells = {column: values[i].strip() for column, i in position.items() if i < len(values)}
        item = ScreenInput(number, *(cells.get(column, "") for column in ("name", "type", "country", "date_of_birth", "unit_id")))
        if not item.name:
            raise ScreeningError(f"row {number}, field 'name': empty")
        if item.type and item.kind is None:
            raise ScreeningError(
                f"row {number}, field 'type': {item.type!r} is not a known type (person, organization, unit, group, ...)"
            )
        if item.date_of_birth and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", item.date_of_birth):
            raise ScreeningError(f"row {number}, field 'date_of_birth': {item.date_of_birth!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
        rows.append(item)
    return rows


CSV_COLUMNS = ("row", "name", "type", "country", "date_of_birth", "unit_id", "match", "message", "subject", "subject_label",
               "score", "outcome", "reason", "findings", "candidates")


def to_csv(results: Iterable[ScreenRow]) -> str:
    """The screening results as CSV, one row per input row, candidates in one cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        item = result.as_dict()
        item["candidates"] = "; ".join(f"{c['label']} <{c['iri']}> {c['score']}: {', '.join(c['reasons'])}" for c in item["candidates"])
        writer.writerow([safe_cell(item[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()
