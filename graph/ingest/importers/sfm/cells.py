"""The cells of an SFM export read with their checks: sources and confidence of each field, dates not
later than the export, periods, names, countries. Every problem is recorded with its file, row and
column; the table readers (graph.ingest.importers.sfm.parse) build on these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.ingest.importers.sfm import vocab
from graph.ingest.importers.sfm.countries import UnknownCountry, country_code
from graph.ingest.importers.sfm.dates import PartialDate
from graph.ingest.importers.sfm.records import (
    Located,
    Period,
    Reference,
    SfmData,
    Support,
)
from graph.ingest.importers.sfm.report import FileReport, ImportReport
from graph.ingest.importers.sfm.rows import Problems, Row, Table, date_value


@dataclass
class ReaderOptions:
    """How strict to be about what an export may leave out."""

    # Dates after this day are errors: SFM's own importer refuses dates in the future.
    latest: date
    # Slim extracts (Mali) list child units only; a parent outside the file becomes a unit known
    # by the name the referring row gives. Full exports must describe every unit they refer to.
    allow_unit_stubs: bool = False
    # Support for every value when the file has no source columns (the slim extracts): the id of
    # a source node describing the file itself.
    default_support: frozenset[str] = frozenset()


class CellReader:
    """Reads checked cells into `data`, reporting into `report` and `problems`."""

    def __init__(self, options: ReaderOptions, report: ImportReport, problems: Problems) -> None:
        self.options = options
        self.report = report
        self.problems = problems
        self.data = SfmData()

    def _file(self, table: Table) -> FileReport:
        file_report = self.report.file(table.name)
        file_report.rows_read = len(table.rows)
        return file_report

    def _support(self, row: Row, *columns: str) -> Support:
        """Source ids cited in `columns`, or the file-level support for files without source
        columns. The ids were checked and registered by `_check_cells`."""
        support: Support = set()
        for column in columns:
            support.update(row.uuids(column, quiet=True))
        if not support:
            support |= self.options.default_support
        return support

    def _check_cells(self, row: Row) -> None:
        """Every `:source` and `:confidence` cell of a row, mapped or not, must be well formed,
        and every source it cites must exist (checked once all files are read)."""
        for column, value in row.cells.items():
            if not value.strip():
                continue
            if column.endswith(":confidence"):
                try:
                    vocab.confidence(value)
                except vocab.UnknownValue as error:
                    row.problem(column, str(error))
            elif column.endswith(":source"):
                for source in row.uuids(column):
                    self.data.references.append(Reference("source", source, Located(row.file, row.number, column)))

    def _confidence(self, row: Row, column: str, report: FileReport) -> str:
        try:
            found = vocab.confidence(row.raw(column))
        except vocab.UnknownValue:
            return vocab.DEFAULT_CONFIDENCE  # reported by _check_cells
        if found is None:
            report.note(row.number, f"{column} is empty or absent: recorded as low confidence, as SFM's importer does")
            return vocab.DEFAULT_CONFIDENCE
        return found

    def _flag(self, row: Row, column: str) -> bool | None:
        try:
            return vocab.yes_no(row.raw(column))
        except vocab.UnknownValue as error:
            row.problem(column, str(error))
            return None

    def _not_later_than_export(self, row: Row, column: str, value: PartialDate | None) -> None:
        if value is not None and value.first_day() > self.options.latest:
            row.problem(column, f"{value} is after {self.options.latest.isoformat()}, the date of the export")

    def _date(self, row: Row, column: str, report: FileReport) -> PartialDate | None:
        value = date_value(row, column, report)
        self._not_later_than_export(row, column, value)
        return value

    def _period(self, row: Row, report: FileReport, *, first: str, start_flag: str, last: str, end_flag: str, open_ended: bool) -> Period:
        """A relation's period. `open_ended` relations (unit relations) have a Y/N/E flag on the
        last cited date; postings have a Y/N "is this the actual end?" flag instead."""
        start = self._date(row, first, report)
        end = self._date(row, last, report)
        period = Period(start=start, end=end, start_exact=self._flag(row, start_flag))
        if open_ended:
            try:
                period.end_kind = vocab.open_ended(row.raw(end_flag))
            except vocab.UnknownValue as error:
                row.problem(end_flag, str(error))
        else:
            exact = self._flag(row, end_flag)
            if exact is not None:
                period.end_kind = vocab.OpenEnded.EXACT_END if exact else vocab.OpenEnded.ENDED_UNKNOWN
        if period.end_kind is vocab.OpenEnded.EXACT_END and end is None:
            row.problem(end_flag, f"says the last cited date is the actual end, but {last} is empty")
        if start is not None and end is not None and start.first_day() > end.last_day():
            row.problem(last, f"{end} is before the first cited date {start} ({first})")
        period.start_confidence = self._optional_confidence(row, first + ":confidence")
        period.end_confidence = self._optional_confidence(row, last + ":confidence")
        return period

    def _optional_confidence(self, row: Row, column: str) -> str | None:
        try:
            return vocab.confidence(row.raw(column))
        except vocab.UnknownValue:
            return None

    def _name(self, row: Row, column: str) -> str | None:
        name = row.text(column)
        if not name:
            row.problem(column, "missing required value (a name)")
            return None
        return name

    def _countries(self, row: Row, column: str, support: Support) -> dict[str, Support]:
        found: dict[str, Support] = {}
        for value in row.values(column):
            try:
                found[country_code(value)] = set(support)
            except UnknownCountry as error:
                row.problem(column, str(error))
        return found

    def _entity(self, records: dict[str, Any], record_type: type, uuid: str, name: str, row: Row, name_column: str) -> object:
        """The record for `uuid`, created on first sight; a different name on a later row is a
        problem (SFM's importer refuses it too: one id, one name)."""
        record = records.get(uuid)
        if record is None:
            record = record_type(uuid=uuid, name=name, name_support=set(), first_row=row.number)
            records[uuid] = record
        elif record.name != name:
            row.problem(name_column, f"id {uuid} is named {record.name!r} in row {record.first_row} but {name!r} here")
        return record

    # ----------------------------------------------------------------------------------------
    # sources.csv
    # ----------------------------------------------------------------------------------------
