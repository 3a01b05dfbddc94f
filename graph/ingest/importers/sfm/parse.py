"""Reading an SFM export into checked records: units, persons and their postings, incidents, sources.

Every problem is collected with its file, row and column; the caller raises them all at once and
writes nothing. Rows SFM has not published (status other than 3), exact repeats of an earlier row,
and rows that carry nothing ActorGraph models are skipped and reported, never silently dropped.

Conventions of the export this relies on (SFM's handbook and its own importer):
- each field has a `:source` column (`;`-separated source ids) and a `:confidence` column;
- multi-valued fields (other names, classifications, violation types, perpetrators) are
  `;`-separated, while free text (violation descriptions) may contain `;` and is never split;
- ids are uuids; source ids are access-point ids of sources.csv.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from graph.index.names import fold
from graph.ingest.importers.sfm import vocab
from graph.ingest.importers.sfm.cells import CellReader
from graph.ingest.importers.sfm.records import (
    IncidentRecord,
    Located,
    PersonRecord,
    Reference,
    RelationRecord,
    SourceRecord,
    UnitRecord,
)
from graph.ingest.importers.sfm.report import FileReport
from graph.ingest.importers.sfm.rows import Row, Table, iter_published

HTTP_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
UNKNOWN_PUBLISHER = "unknown publisher (not given in the SFM export)"


class ExportReader(CellReader):
    """Reads the tables of one export into `data`, reporting into `report` and `problems`."""

    def read_sources(self, table: Table) -> None:
        report = self._file(table)
        for row in iter_published(table, "source:status:admin", report):
            self._check_cells(row)
            access_point = row.uuid("source:access_point_id:admin", required=True)
            title = self._name(row, "source:title")
            issued = self._date(row, "source:published_timestamp", report)
            created = self._date(row, "source:created_timestamp", report)
            uploaded = self._date(row, "source:uploaded_timestamp", report)
            for column in ("source:accessed_timestamp", "source:archive_timestamp"):
                self._date(row, column, report)
            try:
                restricted = vocab.restricted(row.raw("source:restricted:admin"))
            except vocab.UnknownValue as error:
                row.problem("source:restricted:admin", str(error))
                restricted = True  # never let a malformed flag make a source public
            if access_point is None or title is None:
                continue
            if access_point in self.data.sources:
                row.problem(
                    "source:access_point_id:admin",
                    f"source id {access_point} appears again (first in row {self.data.sources[access_point].row})",
                )
                continue
            source = SourceRecord(
                uuid=access_point,
                row=row.number,
                title=title,
                publisher="",
                issued=issued,
                created=created,
                uploaded=uploaded,
                restricted=restricted,
            )
            source.author = row.text("source:author")
            source.publisher = row.text("source:publication_name") or source.author
            if not source.publisher:
                source.publisher = UNKNOWN_PUBLISHER
                report.note(row.number, "no source:publication_name or source:author: publisher recorded as unknown")
            source.url = self._url(row, "source:url", report, source)
            source.archive_url = self._url(row, "source:archive_url", report, source)
            kind, trigger = row.text("source:access_point_type"), row.text("source:access_point_trigger")
            if kind or trigger:
                source.notes.append(f"SFM access point: {kind or 'part'} {trigger}".strip())
            country = row.text("source:publication_country")
            if country:
                source.notes.append(f"publication country: {country}")
            self.data.sources[access_point] = source
            report.imported(row.number)

    def _url(self, row: Row, column: str, report: FileReport, source: SourceRecord) -> str | None:
        """An http(s) URL, or None. SFM cells sometimes hold text instead ("Accessed via Lexis",
        "No archive available"): that text is kept as a note on the source."""
        value = row.text(column)
        if not value:
            return None
        if HTTP_URL.match(value):
            return value
        source.notes.append(f"{column.split(':')[1]}: {value}")
        report.note(row.number, f"{column} is not an http(s) URL: kept as a note")
        return None

    # ----------------------------------------------------------------------------------------
    # units.csv (and the slim TSV extracts)
    # ----------------------------------------------------------------------------------------

    def read_units(self, table: Table) -> None:
        report = self._file(table)
        for row in table.rows:
            if table.has("unit:status:admin") and row.text("unit:status:admin") != "3":
                hidden_id = row.text("unit:id:admin").lower()
                if hidden_id:
                    self.data.unpublished["unit"].add(hidden_id)
        for row in iter_published(table, "unit:status:admin", report):
            self._check_cells(row)
            unit_id = row.uuid("unit:id:admin", required=True)
            name = self._name(row, "unit:name")
            # Dates of the unit itself are checked though ActorGraph has no term for an actor's
            # existence period (see the importer's notes).
            self._period(
                row,
                report,
                first="unit:first_cited_date",
                start_flag="unit:first_cited_date_start",
                last="unit:last_cited_date",
                end_flag="unit:last_cited_date_open",
                open_ended=True,
            )
            self._date(row, "unit:location_first_cited_date", report)
            self._date(row, "unit:location_last_cited_date", report)
            if unit_id is None or name is None:
                continue
            unit = self._entity(self.data.units, UnitRecord, unit_id, name, row, "unit:name")
            assert isinstance(unit, UnitRecord)
            unit.name_support |= self._support(row, "unit:name:source")
            for alias in row.values("unit:other_names"):
                if alias != unit.name:
                    unit.add(unit.aliases, alias, self._support(row, "unit:other_names:source"))
            for value in row.values("unit:classification"):
                unit.add(unit.classifications, value, self._support(row, "unit:classification:source"))
            for code, support in self._countries(row, "unit:country", self._support(row, "unit:country:source")).items():
                unit.add(unit.countries, code, support)
            location = vocab.place_name(row.text("unit:location"))
            if location:
                unit.add(unit.locations, location, self._support(row, "unit:location:source"))
            base = row.text("unit:base_name")
            if base:
                unit.add(unit.locations, base, self._support(row, "unit:base_name:source"))
            self._unit_relation(row, unit, report)
            report.imported(row.number)

    def _unit_relation(self, row: Row, unit: UnitRecord, report: FileReport) -> None:
        relation_type = fold(row.text("unit:relation_type"))
        related_name = row.text("unit:related_unit")
        related = row.uuid("unit:related_unit_id:admin", required=bool(relation_type or related_name))
        if not relation_type and related is None:
            return
        if relation_type not in {"child", "parent", "member"}:
            row.problem(
                "unit:relation_type",
                f"{row.text('unit:relation_type')!r} is not a relation type; expected child, parent or member"
                if relation_type
                else "missing required value: a related unit is given but no relation type",
            )
            return
        period = self._period(
            row,
            report,
            first="unit:related_unit_first_cited_date",
            start_flag="unit:related_unit_first_cited_date_start",
            last="unit:related_unit_last_cited_date",
            end_flag="unit:related_unit_open",
            open_ended=True,
        )
        if related is None:
            return
        if related == unit.uuid:
            row.problem("unit:related_unit_id:admin", "a unit cannot be related to itself")
            return
        self.data.references.append(Reference("unit", related, Located(row.file, row.number, "unit:related_unit_id:admin"), related_name))
        support = self._support(
            row,
            "unit:related_unit:source",
            "unit:related_unit_first_cited_date:source",
            "unit:related_unit_last_cited_date:source",
            "unit:related_unit_class:source",
        )
        confidence = self._confidence(row, "unit:related_unit:confidence", report)
        if not support:
            report.note(row.number, "relation not imported: it cites no source (unit:related_unit:source is empty)")
            return
        if relation_type == "member":
            kind, subject, obj = "Membership", unit.uuid, related
        elif relation_type == "child":
            kind, subject, obj = "Subordination", unit.uuid, related
        else:
            kind, subject, obj = "Subordination", related, unit.uuid
        relation_class = row.text("unit:related_unit_class") or None
        self.data.add_relation(
            RelationRecord(
                kind=kind,
                subject=subject,
                object=obj,
                subject_kind="unit",
                period=period,
                confidence=confidence,
                support=support,
                where=Located(row.file, row.number, "unit:related_unit_id:admin"),
                relation_class=relation_class,
            )
        )

    # ----------------------------------------------------------------------------------------
    # persons.csv, persons_extra.csv
    # ----------------------------------------------------------------------------------------

    def read_persons(self, table: Table) -> None:
        report = self._file(table)
        for row in table.rows:
            if table.has("person:status:admin") and row.text("person:status:admin") != "3":
                hidden_id = row.text("person:id:admin").lower()
                if hidden_id:
                    self.data.unpublished["person"].add(hidden_id)
        for row in iter_published(table, "person:status:admin", report):
            self._check_cells(row)
            person_id = row.uuid("person:id:admin", required=True)
            name = self._name(row, "person:name")
            posting = self._posting(row, person_id, report)
            if person_id is None or name is None:
                continue
            person = self._entity(self.data.persons, PersonRecord, person_id, name, row, "person:name")
            assert isinstance(person, PersonRecord)
            person.name_support |= self._support(row, "person:name:source")
            for alias in row.values("person:other_names"):
                if alias != person.name:
                    person.add(person.aliases, alias, self._support(row, "person:other_names:source"))
            for code, support in self._countries(row, "person:country", self._support(row, "person:country:source")).items():
                person.add(person.countries, code, support)
            if posting is not None:
                before = len(self.data.relations)
                self.data.add_relation(posting)
                if len(self.data.relations) == before:
                    report.note(row.number, "posting repeats one on an earlier row: merged into it")
            report.imported(row.number)

    def _posting(self, row: Row, person_id: str | None, report: FileReport) -> RelationRecord | None:
        unit_name = row.text("person:posting_unit_name")
        unit_id = row.uuid("person:posting_unit_id:admin", required=bool(unit_name))
        period = self._period(
            row,
            report,
            first="person:posting_first_cited_date",
            start_flag="person:posting_first_cited_date_start",
            last="person:posting_last_cited_date",
            end_flag="person:posting_last_cited_date_end",
            open_ended=False,
        )
        if unit_id is None or person_id is None:
            return None
        self.data.references.append(Reference("unit", unit_id, Located(row.file, row.number, "person:posting_unit_id:admin"), unit_name))
        support = self._support(
            row,
            "person:posting_unit:source",
            "person:posting_role:source",
            "person:posting_title:source",
            "person:posting_rank:source",
            "person:posting_first_cited_date:source",
            "person:posting_last_cited_date:source",
            "person:posting_first_cited_date_start_context:source",
            "person:posting_last_cited_date_end_context:source",
        )
        confidence = self._confidence(row, "person:posting_unit:confidence", report)
        if not support:
            report.note(row.number, "posting not imported: it cites no source (person:posting_unit:source is empty)")
            return None
        role = row.text("person:posting_role") or None
        return RelationRecord(
            kind="Command" if role and vocab.is_commander_role(role) else "Posting",
            subject=person_id,
            object=unit_id,
            subject_kind="person",
            period=period,
            confidence=confidence,
            support=support,
            where=Located(row.file, row.number, "person:posting_unit_id:admin"),
            role=role,
            rank=row.text("person:posting_rank") or None,
            title=row.text("person:posting_title") or None,
            start_context=row.text("person:posting_first_cited_date_start_context") or None,
            end_context=row.text("person:posting_last_cited_date_end_context") or None,
        )

    def read_persons_extra(self, table: Table) -> None:
        """Personal details (gender, date of birth, deceased, social-media accounts, external links,
        media). ActorGraph has no terms for them and keeps no personal data beyond names and
        postings, so each row is checked (its person must exist) and reported as skipped."""
        report = self._file(table)
        for row in table.rows:
            self._check_cells(row)
            person_id = row.uuid("person_extra:id:admin", required=True)
            if person_id is not None:
                self.data.references.append(
                    Reference("person", person_id, Located(row.file, row.number, "person_extra:id:admin"), row.text("person_extra:name"))
                )
            report.skip(row.number, "personal details (gender, date of birth, accounts, media) are not part of the ActorGraph model")

    # ----------------------------------------------------------------------------------------
    # incidents.csv
    # ----------------------------------------------------------------------------------------

    def read_incidents(self, table: Table) -> None:
        report = self._file(table)
        for row in iter_published(table, "incident:status:admin", report):
            self._check_cells(row)
            incident_id = row.uuid("incident:id:admin", required=True)
            start = self._date(row, "incident:start_date", report)
            end = self._date(row, "incident:end_date", report)
            first_published = self._date(row, "incident:pub_date", report)
            self._date(row, "incident:update_date", report)
            if start is not None and end is not None and start.first_day() > end.last_day():
                row.problem("incident:end_date", f"{end} is before the start date {start}")
            types = row.values("incident:violation_type")
            if not types:
                row.problem("incident:violation_type", "missing required value (at least one violation type)")
            support = self._support(row, "incident:all:source")
            if not support:
                row.problem("incident:all:source", "missing required value (at least one source id)")
            units = self._perpetrators(row, "unit")
            persons = self._perpetrators(row, "person")
            if incident_id is None or not types or not support:
                continue
            if incident_id in self.data.incidents:
                row.problem(
                    "incident:id:admin", f"incident {incident_id} appears again (first in row {self.data.incidents[incident_id].row})"
                )
                continue
            incident = IncidentRecord(
                uuid=incident_id,
                row=row.number,
                start=start,
                end=end,
                violation_types=types,
                description=row.text("incident:violation_description"),
                location=vocab.place_name(row.text("incident:location")),
                location_description=row.text("incident:location_description"),
                perpetrator_units=units,
                perpetrator_persons=persons,
                perpetrator_classifications=row.values("incident:perpetrator_classification"),
                support=support,
                first_published=first_published,
            )
            if start is None:
                if end is None:
                    report.skip(row.number, "no start or end date: ActorGraph records an incident at a date")
                    continue
                incident.start = end
                incident.notes.append("SFM gives no start date; the end date is used as the date of the incident")
                report.note(row.number, "incident:start_date is empty: the end date is used")
            self.data.incidents[incident_id] = incident
            report.imported(row.number)

    def _perpetrators(self, row: Row, kind: str) -> list[str]:
        id_column = f"incident:perpetrator_{kind}_id:admin"
        names = row.values(f"incident:perpetrator_{kind}_name")
        ids = row.uuids(id_column)
        if names and not row.values(id_column):
            row.problem(id_column, f"missing required id: perpetrator {kind} names are given ({'; '.join(names)}) but no ids")
        for index, target in enumerate(ids):
            name = names[index] if index < len(names) else ""
            self.data.references.append(Reference(kind, target, Located(row.file, row.number, id_column), name))
        return ids

    # ----------------------------------------------------------------------------------------
    # References, once everything is read
    # ----------------------------------------------------------------------------------------

    def check_references(self) -> None:
        """Every id a row names must be described by the export (sources in sources.csv, units in
        units.csv, persons in persons.csv), except parents in slim extracts (see options)."""
        for reference in self.data.references:
            where = reference.where
            if reference.kind == "source":
                if reference.target not in self.data.sources:
                    self.problems.add(
                        where.file, where.row, where.column, f"broken reference: no source with id {reference.target} in sources.csv"
                    )
                continue
            records: Mapping[str, object] = self.data.units if reference.kind == "unit" else self.data.persons
            if reference.target in records:
                continue
            if reference.kind == "unit" and self.options.allow_unit_stubs and reference.name:
                stub = UnitRecord(
                    uuid=reference.target,
                    name=reference.name,
                    name_support=set(self.options.default_support),
                    first_row=where.row,
                    stub=True,
                )
                self.data.units[reference.target] = stub
                self.report.file(where.file).note(
                    where.row, "related unit is not described in the file: created from the name this row gives"
                )
                continue
            unpublished = reference.target in self.data.unpublished.get(reference.kind, set())
            why = (
                f"{reference.kind} {reference.target} is only on rows SFM has not published (status other than 3)"
                if unpublished
                else f"no {reference.kind} with id {reference.target} in the export"
            )
            self.problems.add(where.file, where.row, where.column, f"broken reference: {why}")
