"""What a write reports as JSON: SPARQL Update and the Graph Store Protocol, and data set imports."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.web.models.base import Contract


class GraphChange(Contract):
    graph: str = Field(description="IRI of the graph")
    name: str = Field(description="its short name (the part after .../graph/ for ours)")
    change: str = Field(description="created, modified, emptied or dropped")
    triples: int


class WriteReport(Contract):
    changes: list[GraphChange]
    reasoned: bool = Field(description="true when the derived links were recomputed")


class FileReport(Contract):
    file: str
    rows_read: int
    rows_imported: int
    rows_skipped: int
    skipped: dict[str, str] = Field(description="row number -> why it was skipped")
    notes: dict[str, int] = Field(description="note -> how many rows it applies to")


class GraphWrite(Contract):
    name: str
    triples: int
    restricted: bool
    action: str = Field(description="created, replaced, unchanged, removed or none")


class ImportReport(Contract):
    """The account of an import; `units` (fmtrpt), `crosswalk` (ucdp) and `derived` appear only where they apply."""

    files: list[FileReport]
    counts: dict[str, int] = Field(description="things imported, by kind")
    restricted_counts: dict[str, int] = Field(description="of which only restricted sources support")
    graphs: list[GraphWrite]
    derived: int | None = Field(None, description="derived links recomputed afterwards")
    units: dict[str, dict[str, Any]] | None = Field(None, description="fmtrpt: units matched, ambiguous, elsewhere and new")
    crosswalk: list[dict[str, Any]] | None = Field(None, description="ucdp: each actor with its candidates in the graph")
