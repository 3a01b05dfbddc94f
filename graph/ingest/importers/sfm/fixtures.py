"""Reading WhoWasInCommand's CMS fixtures (Django `dumpdata` JSON) so that every value can be blamed
on a file, a record and a field.

The CMS keeps each fact as its own record, pointing at the object it describes:
`{"model": "organization.organizationname", "pk": 10, "fields": {"object_ref": 10, "value": "...",
"confidence": "1", "sources": [...], "accesspoints": [...]}}`. Objects themselves are records
without an `object_ref` (`organization.organization` with its uuid, `source.source`, `location.location`).
Records are numbered from 1 in the order of their file.

The published fixtures repeat some records, in the same file or in another one (a composition can be
dumped with the organizations). An identical repeat adds nothing and is skipped and reported; a
repeat that differs is a problem, since the CMS cannot hold two versions of one record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.ingest.importers.sfm.records import Located
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.sfm.rows import Problems

WORDS = ("record", "field")  # what a row and a column are called in a fixture file
Key = str | int  # a record's primary key: an integer, or a uuid for sources and access points


@dataclass(frozen=True)
class FixtureRecord:
    """One record of a fixture file, with where it was read."""

    file: str
    number: int
    model: str
    pk: Key
    fields: dict[str, Any]

    @property
    def object_ref(self) -> Key | None:
        ref = self.fields.get("object_ref")
        return ref if isinstance(ref, int | str) and not isinstance(ref, bool) else None

    @property
    def value(self) -> Any:
        return self.fields.get("value")

    def label(self, name: str) -> str:
        """The field as messages name it: `value (organization.organizationname 10)`."""
        return f"{name} ({self.model} {self.pk})"

    def where(self, name: str) -> Located:
        return Located(self.file, self.number, self.label(name))


@dataclass
class Fixtures:
    """Every record of a fixture folder: objects by model and key, facts by model and object."""

    objects: dict[str, dict[Key, FixtureRecord]] = field(default_factory=dict)
    facts: dict[str, dict[Key, list[FixtureRecord]]] = field(default_factory=dict)
    records: list[FixtureRecord] = field(default_factory=list)  # each distinct record once, in reading order

    def of(self, model: str) -> dict[Key, FixtureRecord]:
        return self.objects.get(model, {})

    def facts_of(self, model: str, ref: Key) -> list[FixtureRecord]:
        return self.facts.get(model, {}).get(ref, [])

    def fact(self, model: str, ref: Key) -> FixtureRecord | None:
        found = self.facts_of(model, ref)
        return found[0] if found else None


def problem(problems: Problems, record: FixtureRecord, name: str | None, message: str) -> None:
    problems.add(record.file, record.number, record.label(name) if name else None, message, words=WORDS)


def _load(path: Path, problems: Problems) -> list[Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        problems.add(path.name, None, None, f"not UTF-8 text (byte {error.start}): {error.reason}")
        return None
    except json.JSONDecodeError as error:
        problems.add(path.name, None, None, f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}")
        return None
    if not isinstance(data, list):
        problems.add(path.name, None, None, "not a Django fixture: the file must hold a JSON array of records")
        return None
    return data


def _record(name: str, number: int, item: Any, problems: Problems) -> FixtureRecord | None:
    if not isinstance(item, dict):
        problems.add(name, number, None, "not a record: expected an object with model, pk and fields", words=WORDS)
        return None
    model, pk, fields = item.get("model"), item.get("pk"), item.get("fields")
    bad = [
        what
        for what, ok in (
            ("model", isinstance(model, str) and "." in model),
            ("pk", isinstance(pk, int | str) and not isinstance(pk, bool)),
            ("fields", isinstance(fields, dict)),
        )
        if not ok
    ]
    for what in bad:
        problems.add(name, number, what, "missing or malformed (a Django fixture record has model, pk and fields)", words=WORDS)
    if bad:
        return None
    assert isinstance(model, str) and isinstance(fields, dict) and isinstance(pk, int | str)
    record = FixtureRecord(name, number, model, pk, fields)
    if "object_ref" in fields and record.object_ref is None:
        problem(problems, record, "object_ref", "must be the key of the object the fact describes")
        return None
    return record


def read_fixtures(directory: Path, problems: Problems, report: ImportReport) -> Fixtures:
    """Read every `*.json` of the folder, in name order. Problems are collected, not raised."""
    fixtures = Fixtures()
    paths = sorted(directory.glob("*.json"))
    if not paths:
        problems.add(str(directory), None, None, "no fixture files (*.json) in the folder")
    first_seen: dict[tuple[str, Key], FixtureRecord] = {}
    for path in paths:
        data = _load(path, problems)
        file_report = report.file(path.name)
        if data is None:
            continue
        file_report.rows_read = len(data)
        for number, item in enumerate(data, start=1):
            record = _record(path.name, number, item, problems)
            if record is None:
                continue
            key = (record.model, record.pk)
            earlier = first_seen.get(key)
            if earlier is not None:
                if earlier.fields != record.fields:
                    problem(
                        problems,
                        record,
                        None,
                        f"differs from the record with the same model and pk in {earlier.file}, record {earlier.number}",
                    )
                else:
                    file_report.skip(number, "identical to an earlier record (same model and pk)")
                continue
            first_seen[key] = record
            fixtures.records.append(record)
            ref = record.object_ref
            if ref is None:
                fixtures.objects.setdefault(record.model, {})[record.pk] = record
            else:
                fixtures.facts.setdefault(record.model, {}).setdefault(ref, []).append(record)
    _check_objects_exist(fixtures, problems)
    return fixtures


def _check_objects_exist(fixtures: Fixtures, problems: Problems) -> None:
    """A fact about an object the fixtures do not hold (`organization.organizationname` about
    organization 10, with no `organization.organization` 10) is a broken reference."""
    for model, by_ref in fixtures.facts.items():
        app = model.split(".", 1)[0]
        owner = f"{app}.{app}"
        for ref, records in by_ref.items():
            if ref not in fixtures.of(owner):
                for record in records:
                    problem(problems, record, "object_ref", f"broken reference: no {owner} with pk {ref}")
