"""Reading the UCDP actor list (CSV, codebook v22.1 columns) into records, every bad value named
by its row and column before anything is decided.

Rows are spreadsheet rows: the header is row 1. Names the codebook writes as "n/a" are no names;
NameOrigFull gives the original-script name and its transliteration as "Луганская ... / Luganskaya
...", and both are kept as aliases.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.ingest.importers.problems import ImportProblems, Problems
from graph.ingest.importers.sfm.report import ImportReport

REQUIRED = ("ActorId", "NameData", "Org", "Version")
ALIAS_COLUMNS = ("NameOrig", "NameOrigFull", "NameOrigFullEng", "NewName", "NewNameFullMotherTongue", "NewNameFullEng")
# Link kinds: the flag column, the column of the other actors' ids, and what the link is.
LINKS = (
    ("Splinter", "ActorIdPrev", "splinter"),
    ("SplitTemp", "ActorIdSplitTemp", "temporary split"),
    ("Alliance", "ActorIdAlliance", "alliance"),
)
ORG_CODES = frozenset({1, 2, 3, 4})
_SPACES = re.compile(r"\s+")


class UcdpImportError(ImportProblems):
    """The actor list has bad values; nothing was written."""

    what = "the UCDP actor list"


@dataclass
class UcdpActor:
    row: int
    actor_id: int
    name: str
    org: int
    aliases: list[str] = field(default_factory=list)
    location: str = ""
    links: list[tuple[str, int]] = field(default_factory=list)  # (kind, other actor id)


@dataclass
class ActorList:
    file: str
    version: str
    actors: dict[int, UcdpActor] = field(default_factory=dict)


def clean(value: str | None) -> str:
    return _SPACES.sub(" ", value or "").strip()


def _ids(text: str) -> list[int] | None:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return [int(p) for p in parts] if all(p.isdigit() for p in parts) else None


def read_actor_list(path: Path, report: ImportReport) -> ActorList:
    """Read and check the whole file; raise UcdpImportError naming every bad value."""
    problems, file = Problems(), str(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise UcdpImportError.single(file, "", f"cannot read the file: {error.strerror or error}") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise UcdpImportError.single(file, ", ".join(missing), "missing column(s): not a UCDP actor list (codebook v22.1 columns)")
        result = ActorList(file, "")
        counts = report.file(path.name)
        versions: set[str] = set()
        for row, cells in enumerate(reader, start=2):
            counts.rows_read += 1
            actor = _actor(row, cells, file, problems)
            versions.add(clean(cells.get("Version")))
            if actor is None:
                continue
            if actor.actor_id in result.actors:
                problems.add(file, f"row {row}", "ActorId", f"{actor.actor_id} is also the id of row {result.actors[actor.actor_id].row}")
                continue
            result.actors[actor.actor_id] = actor
            counts.imported(row)
    if len(versions) != 1 or not next(iter(versions)):
        problems.add(file, None, "Version", f"every row must give one version; found {sorted(versions)}")
    problems.raise_if_any(UcdpImportError)
    result.version = next(iter(versions))
    return result


def _actor(row: int, cells: dict[str, str], file: str, problems: Problems) -> UcdpActor | None:
    where, before = f"row {row}", len(problems.items)
    actor_id, name, org = clean(cells.get("ActorId")), clean(cells.get("NameData")), clean(cells.get("Org"))
    if not actor_id.isdigit():
        problems.add(file, where, "ActorId", f"not a whole number: {actor_id!r}")
    if not name:
        problems.add(file, where, "NameData", "empty: every actor has a name")
    if not org.isdigit() or int(org) not in ORG_CODES:
        problems.add(
            file,
            where,
            "Org",
            f"{org!r} is not a UCDP organization type (1 rebel group, 2 party supporters, 3 ethnic or communal group, 4 government)",
        )
    links: list[tuple[str, int]] = []
    for flag, column, kind in LINKS:
        if clean(cells.get(flag)) != "1":
            continue
        others = _ids(clean(cells.get(column)))
        if not others:
            problems.add(file, where, column, f"{flag} is 1 but the ids are {clean(cells.get(column))!r}, not a list of whole numbers")
            continue
        links += [(kind, other) for other in others]
    if len(problems.items) != before:
        return None
    aliases: list[str] = []
    for column in ALIAS_COLUMNS:
        value = clean(cells.get(column))
        if not value or value.lower() == "n/a":
            continue
        for part in [value, *[p.strip() for p in value.split(" / ")]] if " / " in value else [value]:
            if part and part != name and part not in aliases:
                aliases.append(part)
    return UcdpActor(row, int(actor_id), name, int(org), aliases, clean(cells.get("Location")), links)
