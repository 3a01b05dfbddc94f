"""Reading the PA-X agreements file (CSV, one agreement a row, PA-X's column names), every bad
value named by file, row and column before anything is written. Rows are spreadsheet rows (the
header is row 1).

Provision columns are those whose name starts with Ssr, Ddr, Jus or Tj (security sector, DDR,
justice sector, transitional justice). PA-X codes each as 0 (absent) or as a depth of 1 to 3;
topics coded only as present or absent are 0 or 1.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from graph.ingest.importers.problems import ImportProblems, Problems
from graph.ingest.importers.sfm.dates import DateError, PartialDate, parse_date
from graph.ingest.importers.sfm.report import ImportReport

REQUIRED = ("AgtId", "Agt", "Dat", "Con", "Reg", "PPName", "Stage", "Status", "Part", "Loc1ISO", "Loc2ISO")
PROVISION_PREFIXES = ("Ssr", "Ddr", "Jus", "Tj")
STAGES = frozenset({"Pre", "Cea", "SubPar", "SubComp", "Imp", "Ren", "Oth"})
DEPTHS = {"0": 0, "1": 1, "2": 2, "3": 3}
_SPACES = re.compile(r"\s+")


class PaxImportError(ImportProblems):
    """The agreements file has bad values; nothing was written."""

    what = "the PA-X agreements"


@dataclass
class Agreement:
    row: int
    agreement_id: int
    name: str
    signed: PartialDate
    conflict: str  # PA-X's country or entity, such as "Bosnia and Herzegovina/Yugoslavia (former)"
    region: str
    process: str
    stage: str  # a code of STAGES, or "" when not given
    status: str
    parties: str  # the Part column as written
    countries: list[str] = field(default_factory=list)  # ISO alpha-2 codes of Loc1ISO, Loc2ISO
    provisions: dict[str, int] = field(default_factory=dict)  # column -> depth 1..3


def clean(value: str | None) -> str:
    return _SPACES.sub(" ", value or "").strip()


def provision_columns(header: list[str]) -> list[str]:
    return [c for c in header if c.startswith(PROVISION_PREFIXES)]


def alpha_2(code: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of an alpha-3 code, such as SLE -> SL."""
    country = pycountry.countries.get(alpha_3=code.upper())
    return country.alpha_2 if country else None


def read_agreements(path: Path, report: ImportReport) -> list[Agreement]:
    """Read and check the whole file; raise PaxImportError naming every bad value."""
    problems, file = Problems(), str(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise PaxImportError.single(file, "", f"cannot read the file: {error.strerror or error}") from None
    out: list[Agreement] = []
    with handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise PaxImportError.single(file, ", ".join(missing), "missing column(s): not a PA-X agreements file")
        columns = provision_columns(header)
        if not columns:
            raise PaxImportError.single(file, "Ssr*, Ddr*, Jus*, Tj*", "no provision columns: not a PA-X agreements file")
        counts = report.file(path.name)
        seen: dict[int, int] = {}
        for number, cells in enumerate(reader, start=2):
            counts.rows_read += 1
            agreement = _agreement(file, number, cells, columns, problems)
            if agreement is None:
                continue
            if agreement.agreement_id in seen:
                problems.add(
                    file, f"row {number}", "AgtId", f"{agreement.agreement_id} is also the id of row {seen[agreement.agreement_id]}"
                )
                continue
            seen[agreement.agreement_id] = number
            out.append(agreement)
            counts.imported(number)
    problems.raise_if_any(PaxImportError)
    return out


def _agreement(file: str, number: int, cells: dict[str, str], columns: list[str], problems: Problems) -> Agreement | None:
    where, before = f"row {number}", len(problems.items)
    agreement_id, name, stage = clean(cells.get("AgtId")), clean(cells.get("Agt")), clean(cells.get("Stage"))
    if not agreement_id.isdigit():
        problems.add(file, where, "AgtId", f"not a whole number: {agreement_id!r}")
    if not name:
        problems.add(file, where, "Agt", "empty: every agreement has a name")
    signed: PartialDate | None = None
    try:
        signed = parse_date(clean(cells.get("Dat")))
        if signed is None:
            problems.add(file, where, "Dat", "empty: every agreement has a date")
    except DateError as error:
        problems.add(file, where, "Dat", str(error))
    if stage and stage not in STAGES:
        problems.add(file, where, "Stage", f"{stage!r} is not a PA-X stage ({', '.join(sorted(STAGES))})")
    countries: list[str] = []
    for column in ("Loc1ISO", "Loc2ISO"):
        code = clean(cells.get(column))
        if not code:
            continue
        found = alpha_2(code)
        if found is None:
            problems.add(file, where, column, f"{code!r} is not an ISO 3166-1 alpha-3 country code")
        elif found not in countries:
            countries.append(found)
    provisions: dict[str, int] = {}
    for column in columns:
        value = clean(cells.get(column))
        if value not in DEPTHS:
            problems.add(file, where, column, f"{value!r} is not a PA-X provision value (0, or a depth of 1 to 3)")
        elif DEPTHS[value]:
            provisions[column] = DEPTHS[value]
    if len(problems.items) != before or signed is None:
        return None
    return Agreement(number, int(agreement_id), name, signed, clean(cells.get("Con")), clean(cells.get("Reg")), clean(cells.get("PPName")),
                     stage, clean(cells.get("Status")), (cells.get("Part") or "").strip(), countries, provisions)  # fmt: skip
