"""Reading the consolidated list's XML (the layout of the UN's sc-sanctions.xsd) into entries.

Every element is read, and every bad value is recorded with its element and field before anything
is decided, so that one run names all of them. Empty placeholder elements (the list writes
`<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>` for "none") are not values.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from graph.guards import xml_guard
from graph.ingest.importers.problems import Problems
from graph.ingest.importers.sfm.report import FileReport, ImportReport
from graph.ingest.importers.unsc.records import Alias, BirthDate, ConsolidatedList, Entry, element_name

Element = ET.Element
_SPACES = re.compile(r"\s+")
# How the list grades an alias, and what ActorGraph makes of it.
QUALITIES = {"": "good", "good": "good", "a.k.a.": "good", "low": "low", "f.k.a.": "former"}
KINDS = (("individual", "INDIVIDUALS", "INDIVIDUAL"), ("entity", "ENTITIES", "ENTITY"))
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
LONGEST_YEAR_RANGE = 30


def clean(value: str | None) -> str:
    """Text with surrounding and repeated whitespace removed (the list pads names: " RI ")."""
    return _SPACES.sub(" ", value or "").strip()


def child_text(element: Element, tag: str) -> str:
    return clean(element.findtext(tag))


def values(element: Element, tag: str) -> list[str]:
    """The VALUE texts of every `tag` child (NATIONALITY, DESIGNATION, TITLE), de-duplicated."""
    found = [clean(v.text) for child in element.findall(tag) for v in child.findall("VALUE")]
    return list(dict.fromkeys(v for v in found if v))


def joined(element: Element, tags: tuple[str, ...], note: str = "NOTE") -> str:
    """Parts joined with commas, the note in parentheses: one readable line per address."""
    parts = ", ".join(t for t in (child_text(element, tag) for tag in tags) if t)
    remark = child_text(element, note)
    return f"{parts} ({remark})" if parts and remark else parts or remark


def parse_day(text: str) -> date:
    """A day as the list writes it, sometimes with a zone offset (2015-04-14-04:00)."""
    return date.fromisoformat(text[:10]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}([+-]\d{2}:\d{2}|Z)?", text) else date.fromisoformat(text)


def parse_generated(text: str) -> datetime:
    return datetime.fromisoformat(text)


class ListReader:
    """Reads one list file into a ConsolidatedList, collecting problems and the report."""

    def __init__(self, path: Path, problems: Problems, report: ImportReport) -> None:
        self.path, self.file, self.problems, self.report = path, str(path), problems, report
        self.seen: dict[str, str] = {}

    def read(self) -> ConsolidatedList | None:
        root = self._root()
        if root is None:
            return None
        generated_text = clean(root.get("dateGenerated"))
        try:
            generated = parse_generated(generated_text)
        except ValueError:
            self.problems.add(self.file, "CONSOLIDATED_LIST", "dateGenerated", f"not a date and time: {generated_text!r}")
            return None
        result = ConsolidatedList(self.file, generated)
        for kind, group, tag in KINDS:
            report = self.report.file(f"{self.path.name} {tag}")
            for position, element in enumerate(root.findall(f"{group}/{tag}"), start=1):
                report.rows_read += 1
                entry = self._entry(kind, position, element, report)
                if entry is not None:
                    result.entries.append(entry)
                    report.imported(position)
        return result

    def _root(self) -> Element | None:
        try:
            data = self.path.read_bytes()
        except OSError as error:
            self.problems.add(self.file, None, None, f"cannot read the file: {error.strerror or error}")
            return None
        try:
            xml_guard.check_stream(io.BytesIO(data))
            root = ET.fromstring(data)
        except xml_guard.XmlRefused as error:
            self.problems.add(self.file, None, None, f"not acceptable XML: {error}")
            return None
        except ET.ParseError as error:
            line, column = error.position
            self.problems.add(self.file, f"line {line}, column {column + 1}", None, f"not well-formed XML: {error}")
            return None
        if root.tag != "CONSOLIDATED_LIST":
            self.problems.add(self.file, root.tag, None, "not a UN consolidated list: the root element must be CONSOLIDATED_LIST")
            return None
        return root

    def _entry(self, kind: str, position: int, element: Element, report: FileReport) -> Entry | None:
        reference = child_text(element, "REFERENCE_NUMBER")
        where = element_name(kind, position, reference)
        before = len(self.problems.items)

        def problem(name: str, message: str) -> None:
            self.problems.add(self.file, where, name, message)

        if not reference:
            problem("REFERENCE_NUMBER", "missing: every entry has a permanent reference number")
        elif reference in self.seen:
            problem("REFERENCE_NUMBER", f"{reference} is also the reference of {self.seen[reference]}")
        else:
            self.seen[reference] = where
        parts = NAME_PARTS if kind == "individual" else NAME_PARTS[:1]
        name = " ".join(p for p in (child_text(element, tag) for tag in parts) if p)
        if not name:
            problem("FIRST_NAME", "missing: the entry has no name")
        regime = child_text(element, "UN_LIST_TYPE")
        if not regime:
            problem("UN_LIST_TYPE", "missing: the sanctions regime is not given")
        listed_text = child_text(element, "LISTED_ON")
        listed_on = None
        try:
            listed_on = parse_day(listed_text)
        except ValueError:
            problem("LISTED_ON", f"not a date (YYYY-MM-DD): {listed_text!r}")
        entry = Entry(kind, position, reference, name, regime, listed_on or date.min, data_id=child_text(element, "DATAID") or None)
        entry.original_script = [v for v in [child_text(element, "NAME_ORIGINAL_SCRIPT")] if v]
        entry.comments = child_text(element, "COMMENTS1") or None
        entry.nationalities = values(element, "NATIONALITY")
        entry.designations = values(element, "DESIGNATION")
        entry.titles = values(element, "TITLE")
        prefix = kind.upper()
        entry.aliases = self._aliases(element.findall(f"{prefix}_ALIAS"), problem)
        entry.addresses = _unique(
            joined(a, ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")) for a in element.findall(f"{prefix}_ADDRESS")
        )
        entry.places_of_birth = _unique(
            joined(p, ("CITY", "STATE_PROVINCE", "COUNTRY")) for p in element.findall(f"{prefix}_PLACE_OF_BIRTH")
        )
        entry.documents = _unique(_document(d) for d in element.findall(f"{prefix}_DOCUMENT"))
        for birth in element.findall(f"{prefix}_DATE_OF_BIRTH"):
            read = _birth_date(birth, problem)
            if read is not None:
                entry.birth_dates.append(read)
            elif child_text(birth, "NOTE"):
                report.note(position, "a date of birth given only as a note (such as an age) is not imported as a date")
        return entry if len(self.problems.items) == before else None

    @staticmethod
    def _aliases(elements: list[Element], problem: Callable[[str, str], None]) -> list[Alias]:
        aliases: dict[str, Alias] = {}
        for alias in elements:
            name, quality = child_text(alias, "ALIAS_NAME"), child_text(alias, "QUALITY")
            if not name:
                continue
            graded = QUALITIES.get(quality.lower())
            if graded is None:
                problem("QUALITY", f"unknown alias quality {quality!r} for {name!r} (expected Good, Low, a.k.a. or f.k.a.)")
                continue
            aliases.setdefault(name, Alias(name, graded))
        return list(aliases.values())


def _unique(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(t for t in texts if t))


def _document(element: Element) -> str:
    kinds = " / ".join(t for t in (child_text(element, "TYPE_OF_DOCUMENT"), child_text(element, "TYPE_OF_DOCUMENT2")) if t)
    head = " ".join(t for t in (kinds, child_text(element, "NUMBER")) if t)
    country = child_text(element, "ISSUING_COUNTRY") or child_text(element, "COUNTRY_OF_ISSUE")
    details = [
        f"issued by {country}" if country else "",
        f"issued in {child_text(element, 'CITY_OF_ISSUE')}" if child_text(element, "CITY_OF_ISSUE") else "",
        f"issued on {child_text(element, 'DATE_OF_ISSUE')}" if child_text(element, "DATE_OF_ISSUE") else "",
        child_text(element, "NOTE"),
    ]
    return "; ".join(t for t in (head, *details) if t)


def _year(text: str, name: str, problem: Callable[[str, str], None]) -> int | None:
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    problem(name, f"not a year: {text!r}")
    return None


def _birth_date(element: Element, problem: Callable[[str, str], None]) -> BirthDate | None:
    """EXACT (a day or a year), APPROXIMATELY (a year), BETWEEN (a range of years), as given."""
    kind = child_text(element, "TYPE_OF_DATE").upper()
    day, year = child_text(element, "DATE"), child_text(element, "YEAR")
    low, high = child_text(element, "FROM_YEAR"), child_text(element, "TO_YEAR")
    if kind not in {"", "EXACT", "APPROXIMATELY", "BETWEEN"}:
        problem("TYPE_OF_DATE", f"unknown kind of date {kind!r} (expected EXACT, APPROXIMATELY or BETWEEN)")
        return None
    if kind == "BETWEEN" or (low and high):
        first, last = _year(low, "FROM_YEAR", problem), _year(high, "TO_YEAR", problem)
        if first is None or last is None:
            return None
        if not 0 <= last - first <= LONGEST_YEAR_RANGE:
            problem("TO_YEAR", f"the range {first}-{last} is reversed or longer than {LONGEST_YEAR_RANGE} years")
            return None
        return BirthDate(approximate_years=tuple(range(first, last + 1)))
    exact: str | None = None
    if day:
        try:
            exact = parse_day(day).isoformat()
        except ValueError:
            problem("DATE", f"not a date (YYYY-MM-DD): {day!r}")
            return None
    elif year:
        found = _year(year, "YEAR", problem)
        if found is None:
            return None
        exact = f"{found:04d}"
    if exact is None:
        return None
    if kind == "APPROXIMATELY":
        return BirthDate(approximate_years=(int(exact[:4]),))
    return BirthDate(exact=exact)
