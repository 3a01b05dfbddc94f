"""Importing Foreign Military Training Report rows into the graph `fmtrpt`: which US program
trained which foreign unit, when, where and at what cost.

Each US program is an ag:Program; each row an ag:Targeting (a program participation) of the student unit in it
(role ag:TargetRole: the unit being trained), with the course's dates at their precision, place,
cost in US dollars and, in a note, the course, the US unit that gave it, the number of students and
the report's document number. Student units are resolved to units of the graph (`resolve`); the
rest become new units of their country. Identical rows are one training, reported as skipped.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from graph.ingest import loader, registry
from graph.ingest.importers.fmtrpt.read import FmtrptImportError, TrainingRow, read_rows
from graph.ingest.importers.fmtrpt.resolve import Resolution, resolve_units
from graph.ingest.importers.sfm.countries import COUNTRY_NAMES, state_iri
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.sfm.vocab import slug
from graph.ingest.importers.sfm.write import GraphContent, StoreNotReady, write_graphs
from graph.ingest.importers.terms import DERIVED, LABEL, TYPE, ag, text, typed
from graph.store import GraphStore, rdf
from ontology.namespaces import DCTERMS, SCHEMA, data_iri

__all__ = ["DEFAULT_GRAPH", "DEFAULT_URL", "FmtrptImportError", "FmtrptReport", "StoreNotReady", "import_rows"]

DEFAULT_GRAPH = "fmtrpt"
DEFAULT_URL = "https://github.com/security-force-monitor/fmtrpt_data"


class FmtrptReport(ImportReport):
    """The import report, and how the student units were resolved."""

    resolution: Resolution | None = None

    def lines(self) -> list[str]:
        return super().lines() + (self.resolution.lines() if self.resolution else [])

    def as_dict(self) -> dict[str, object]:
        found = self.resolution or Resolution()
        return {**super().as_dict(), "units": {
            "matched": {f"{c} {n}": iri for (c, n), iri in sorted(found.existing.items())},
            "ambiguous": {f"{c} {n}": labels for (c, n), labels in sorted(found.ambiguous.items())},
            "not used (another country)": {f"{c} {n}": label for (c, n), label in sorted(found.elsewhere.items())},
            "new": {f"{c} {first}": names for (c, first), names in sorted(found.names.items())}}}  # fmt: skip


def source_iri(path: Path) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("source", f"fmtrpt-{slug(path.stem)}"))


def _source(path: Path, url: str) -> list[rdf.Triple]:
    node = source_iri(path)
    title = f"US Foreign Military Training Report, as compiled by Security Force Monitor: {path.name}"
    return [rdf.Triple(node, TYPE, ag("Source")), rdf.Triple(node, rdf.NamedNode(DCTERMS + "title"), text(title)),
            rdf.Triple(node, rdf.NamedNode(DCTERMS + "publisher"), text("US Department of State and Department of Defense; compiled by Security Force Monitor")),
            rdf.Triple(node, rdf.NamedNode(SCHEMA + "url"), text(url))]  # fmt: skip


def unit_iri(code: str, name: str) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("unit", f"fmtrpt-{code.lower()}-{slug(name)}"))


def _unit(code: str, name: str, names: list[str], source: rdf.NamedNode) -> list[rdf.Triple]:
    node = unit_iri(code, name)
    out = [rdf.Triple(node, TYPE, ag("SecurityForceUnit")), rdf.Triple(node, LABEL, text(name)), rdf.Triple(node, ag("name"), text(name)),
           rdf.Triple(node, ag("country"), rdf.NamedNode(state_iri(code))), rdf.Triple(node, DERIVED, source)]  # fmt: skip
    return out + [rdf.Triple(node, ag("alias"), text(other)) for other in names if other != name]


def _training(row: TrainingRow, unit: rdf.NamedNode, source: rdf.NamedNode) -> tuple[rdf.NamedNode, list[rdf.Triple]]:
    program = rdf.NamedNode(data_iri("program", f"fmtrpt-{slug(row.program)}"))
    what = "|".join(
        str(v)
        for v in (
            row.country,
            row.program,
            row.course,
            row.us_unit,
            row.student_unit,
            row.start,
            row.end,
            row.location,
            row.quantity,
            row.cost,
            row.document,
        )
    )
    node = rdf.NamedNode(data_iri("relation", f"fmtrpt-{hashlib.sha256(what.encode()).hexdigest()[:24]}"))
    out = [rdf.Triple(program, TYPE, ag("Program")), rdf.Triple(program, LABEL, text(row.program)), rdf.Triple(program, DERIVED, source),
           rdf.Triple(node, TYPE, ag("Targeting")), rdf.Triple(node, ag("program"), program), rdf.Triple(node, ag("participant"), unit),
           rdf.Triple(node, ag("programRole"), ag("TargetRole")), rdf.Triple(node, ag("confidence"), ag("HighConfidence")), rdf.Triple(node, DERIVED, source)]  # fmt: skip
    if row.start:
        out += [
            rdf.Triple(node, ag("startDate"), typed(row.start.first_day().isoformat(), "date")),
            rdf.Triple(node, ag("startPrecision"), ag(row.start.precision.value)),
        ]
    if row.end:
        out += [
            rdf.Triple(node, ag("endDate"), typed(row.end.last_day().isoformat(), "date")),
            rdf.Triple(node, ag("endPrecision"), ag(row.end.precision.value)),
        ]
    if row.location:
        out.append(rdf.Triple(node, ag("location"), text(row.location)))
    if row.cost is not None:
        out.append(rdf.Triple(node, ag("costUsd"), typed(str(row.cost), "decimal")))
    parts = [f"course: {row.course}" if row.course else "", f"given by {row.us_unit}" if row.us_unit else "",
             f"{row.quantity} student(s)" if row.quantity is not None else "", f"report document {row.document}" if row.document else ""]  # fmt: skip
    note = "; ".join(p for p in parts if p)
    if note:
        out.append(rdf.Triple(node, ag("note"), text(note)))
    return node, out


def import_rows(store: GraphStore, paths: list[Path], *, graph: str = DEFAULT_GRAPH, url: str = DEFAULT_URL) -> FmtrptReport:
    """Import training report files into `graph`, resolving student units against the others."""
    paths = [Path(p) for p in paths]
    report = FmtrptReport()
    rows = read_rows(paths, report)
    target = loader.resolve_graph(graph, graph)
    others = [g for g in registry.visible_graphs(store) if g != target]
    resolution = resolve_units(store, others, [(r.country, r.student_unit) for r in rows])
    report.resolution = resolution
    triples: set[rdf.Triple] = set()
    sources = {p.name: source_iri(p) for p in paths}
    for path in paths:
        triples.update(_source(path, url))
    seen: dict[rdf.NamedNode, int] = {}
    for row in rows:
        source = sources[Path(row.file).name]
        existing = resolution.existing.get((row.country, row.student_unit))
        if existing:
            unit = rdf.NamedNode(existing)
        else:
            first = resolution.new[(row.country, row.student_unit)]
            triples.update(_unit(row.country, first, resolution.names[(row.country, first)], source))
            unit = unit_iri(row.country, first)
        node, training = _training(row, unit, source)
        if node in seen:
            report.file(Path(row.file).name).skip(row.row, f"identical to row {seen[node]}")
            continue
        seen[node] = row.row
        triples.update(training)
    states = {o for t in triples if t.predicate == ag("country") for o in [t.object]}
    for code, name in COUNTRY_NAMES.items():
        node = rdf.NamedNode(state_iri(code))
        if node in states:
            triples.update({rdf.Triple(node, TYPE, ag("State")), rdf.Triple(node, LABEL, text(name)), rdf.Triple(node, ag("name"), text(name)),
                            rdf.Triple(node, ag("countryCode"), text(code))})  # fmt: skip
    report.counts.update({"trainings": len(seen), "programs": len({t.subject for t in triples if t.object == ag("Program")}),
                          "new units": len(resolution.names)})  # fmt: skip
    name = f"{', '.join(str(p) for p in paths)} (Foreign Military Training Report)"
    report.graphs = write_graphs(store, [GraphContent(graph, frozenset(triples), restricted=False)], source_name=name, importer="fmtrpt")
    return report
