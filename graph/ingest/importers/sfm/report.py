"""What an SFM import did, file by file: rows read, imported and skipped (with the reason), values
adjusted on the way in, and what landed in which graph.

A researcher handing over an export needs to see that nothing was silently dropped, so every row
is accounted for: imported, or skipped with a reason. Adjustments (a missing confidence recorded as
low, a URL cell that is not a URL) are counted per kind rather than listed row by row, with the
first few row numbers as examples.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class FileReport:
    """The account of one export file."""

    file: str
    rows_read: int = 0
    imported_rows: set[int] = field(default_factory=set)
    skipped: dict[int, str] = field(default_factory=dict)
    notes: Counter[str] = field(default_factory=Counter)
    note_rows: dict[str, list[int]] = field(default_factory=dict)

    @property
    def rows_imported(self) -> int:
        return len(self.imported_rows - set(self.skipped))

    @property
    def rows_skipped(self) -> int:
        return len(self.skipped)

    def imported(self, row: int) -> None:
        self.imported_rows.add(row)

    def skip(self, row: int, reason: str) -> None:
        """A row read but not imported; the first reason given for a row is kept."""
        self.skipped.setdefault(row, reason)

    def note(self, row: int, message: str) -> None:
        """A value imported with an adjustment worth knowing about."""
        self.notes[message] += 1
        rows = self.note_rows.setdefault(message, [])
        if len(rows) < 5 and row not in rows:
            rows.append(row)

    def skip_reasons(self) -> Counter[str]:
        return Counter(self.skipped.values())

    def lines(self) -> list[str]:
        """The report as text, for the command line."""
        out = [f"{self.file}: {self.rows_read} rows read, {self.rows_imported} imported, {self.rows_skipped} skipped"]
        for reason, count in sorted(self.skip_reasons().items()):
            rows = sorted(r for r, why in self.skipped.items() if why == reason)
            examples = ", ".join(str(r) for r in rows[:5]) + (", ..." if len(rows) > 5 else "")
            out.append(f"    skipped {count} (rows {examples}): {reason}")
        for message, count in sorted(self.notes.items()):
            rows = [r for r in self.note_rows[message] if r]  # row 0: a note on the file as a whole
            examples = ", ".join(str(r) for r in rows)
            more = ", ..." if count > len(rows) else ""
            out.append(f"    note, {count}x (rows {examples}{more}): {message}" if rows else f"    note: {message}")
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "rows_read": self.rows_read,
            "rows_imported": self.rows_imported,
            "rows_skipped": self.rows_skipped,
            "skipped": {str(row): reason for row, reason in sorted(self.skipped.items())},
            "notes": dict(self.notes),
        }


@dataclass
class GraphWrite:
    """What happened to one named graph."""

    name: str
    triples: int
    restricted: bool
    action: str  # "created", "replaced", "unchanged", "removed" or "none"


@dataclass
class ImportReport:
    """The account of a whole import: per file, per kind of thing, per graph."""

    files: dict[str, FileReport] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    restricted_counts: Counter[str] = field(default_factory=Counter)
    graphs: list[GraphWrite] = field(default_factory=list)

    def file(self, name: str) -> FileReport:
        return self.files.setdefault(name, FileReport(name))

    @property
    def changed(self) -> bool:
        return any(g.action not in {"unchanged", "none"} for g in self.graphs)

    def lines(self) -> list[str]:
        out: list[str] = []
        for report in self.files.values():
            out.extend(report.lines())
        public = ", ".join(f"{count} {kind}" for kind, count in sorted(self.counts.items()) if count)
        out.append(f"imported: {public or 'nothing'}")
        if sum(self.restricted_counts.values()):
            hidden = ", ".join(f"{count} {kind}" for kind, count in sorted(self.restricted_counts.items()) if count)
            out.append(f"of which only restricted sources support: {hidden}")
        for graph in self.graphs:
            flag = " (restricted)" if graph.restricted else ""
            out.append(f"graph {graph.name}{flag}: {graph.action}, {graph.triples:,} triples")
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "files": [report.as_dict() for report in self.files.values()],
            "counts": dict(self.counts),
            "restricted_counts": dict(self.restricted_counts),
            "graphs": [graph.__dict__ for graph in self.graphs],
        }
