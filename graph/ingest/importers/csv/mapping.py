"""A user's checked CSV rows as triples, once every reference is resolved: a row names another by
its id in these files, or an actor or source already in the graph by its full IRI. A reference to
neither is a problem named by file, row and column.

Ids become IRIs in the data namespace (actors as org/ or person/, and relation/, incident/,
source/), prefixed with the graph's name so that two imports do not collide; an id that is a full
IRI is kept as it is, which lets the templates' example rows stay in the fictional namespace.
Each incident's perpetrator is an ag:Perpetration node with the row's status and confidence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from graph.ingest.importers.csv.read import Row
from graph.ingest.importers.csv.vocab import RELATIONS, Vocabulary
from graph.ingest.importers.problems import Problems
from graph.ingest.importers.sfm.countries import state_iri
from graph.ingest.importers.sfm.dates import PartialDate
from graph.ingest.importers.sfm.vocab import slug
from graph.ingest.importers.terms import DERIVED, LABEL, TYPE, ag, text, typed
from graph.store import rdf
from ontology.namespaces import AG, DCTERMS, SCHEMA, data_iri

SEGMENTS = {"sources": "source", "relations": "relation", "incidents": "incident"}
Known = Callable[[str, str], bool]  # (IRI, "actor" | "source") -> is it one, in the other graphs?


def mint(row: Row, prefix: str) -> str:
    given = row.cells["id"]
    if given.startswith(("http://", "https://")):
        return given
    segment = SEGMENTS.get(row.kind) or ("person" if row.values.get("type") == [AG + "Person"] else "org")
    return data_iri(segment, f"{prefix}-{slug(given)}")


def _dates(node: rdf.NamedNode, row: Row) -> list[rdf.Triple]:
    out: list[rdf.Triple] = []
    start, end = row.dates.get("start"), row.dates.get("end")
    if start:
        out += [
            rdf.Triple(node, ag("startDate"), typed(start.first_day().isoformat(), "date")),
            rdf.Triple(node, ag("startPrecision"), ag(start.precision.value)),
        ]
    if end:
        out += [
            rdf.Triple(node, ag("endDate"), typed(end.last_day().isoformat(), "date")),
            rdf.Triple(node, ag("endPrecision"), ag(end.precision.value)),
        ]
    return out


def _issued(day: PartialDate) -> rdf.Literal:
    return typed(str(day), {"DayPrecision": "date", "MonthPrecision": "gYearMonth", "YearPrecision": "gYear"}[day.precision.value])


def build(rows: list[Row], prefix: str, vocabulary: Vocabulary, known: Known, problems: Problems) -> tuple[set[rdf.Triple], dict[str, int]]:
    """Resolve every reference and build the triples; problems are added, not raised."""
    ids: dict[str, dict[str, str]] = {"actors": {}, "sources": {}, "relations": {}, "incidents": {}}
    first: dict[tuple[str, str], Row] = {}
    for row in rows:
        if not row.cells.get("id"):
            continue
        key = (row.kind, row.cells["id"])
        if key in first:
            problems.add(row.file, row.where(), "id", f"{row.cells['id']!r} is also the id of {first[key].where()} of {first[key].file}")
            continue
        first[key] = row
        ids[row.kind][row.cells["id"]] = mint(row, prefix)

    def refer(row: Row, column: str, kind: str) -> list[rdf.NamedNode]:
        out = []
        for ref in row.many(column):
            iri = ids[f"{kind}s"].get(ref) or (ref if ref.startswith(("http://", "https://")) and known(ref, kind) else None)
            if iri is None:
                problems.add(row.file, row.where(), column, f"{ref!r} is no {kind} of these files (by id) nor of the graph (by IRI)")
            else:
                out.append(rdf.NamedNode(iri))
        return out

    triples: set[rdf.Triple] = set()
    counts = {"sources": 0, "actors": 0, "relations": 0, "incidents": 0, "perpetrations": 0}
    for row in rows:
        if not row.ok or first.get((row.kind, row.cells["id"])) is not row:
            continue
        node, cells = rdf.NamedNode(ids[row.kind][row.cells["id"]]), row.cells
        sources = refer(row, "source", "source") if row.kind != "sources" else []
        out = [rdf.Triple(node, DERIVED, s) for s in sources]
        if cells.get("note"):
            out.append(rdf.Triple(node, ag("note"), text(cells["note"])))
        for code in row.values.get("country", []):
            out.append(rdf.Triple(node, ag("country"), rdf.NamedNode(state_iri(code))))
        if row.kind == "sources":
            out += [rdf.Triple(node, TYPE, ag("Source")), rdf.Triple(node, rdf.NamedNode(DCTERMS + "title"), text(cells["title"])),
                    rdf.Triple(node, rdf.NamedNode(DCTERMS + "publisher"), text(cells["publisher"]))]  # fmt: skip
            if cells.get("url"):
                out.append(rdf.Triple(node, rdf.NamedNode(SCHEMA + "url"), text(cells["url"])))
            if "date" in row.dates:
                out.append(rdf.Triple(node, rdf.NamedNode(DCTERMS + "issued"), _issued(row.dates["date"])))
        elif row.kind == "actors":
            out += [
                rdf.Triple(node, TYPE, rdf.NamedNode(row.values["type"][0])),
                rdf.Triple(node, LABEL, text(cells["name"])),
                rdf.Triple(node, ag("name"), text(cells["name"])),
            ]
            out += [rdf.Triple(node, ag("alias"), text(alias)) for alias in row.many("aliases")]
        elif row.kind == "relations":
            out += [
                rdf.Triple(node, TYPE, ag(cells["type"])),
                rdf.Triple(node, ag("confidence"), rdf.NamedNode(row.values["confidence"][0])),
            ]
            for column, role in zip(("subject", "object"), RELATIONS[cells["type"]], strict=True):
                ends = refer(row, column, "actor")
                if len(ends) > 1:
                    problems.add(row.file, row.where(), column, "one actor only: a relation row links two actors")
                out += [rdf.Triple(node, rdf.NamedNode(role), end) for end in ends[:1]]
            out += _dates(node, row)
            if cells.get("ongoing"):
                out.append(rdf.Triple(node, ag("ongoing"), typed(str(cells["ongoing"].lower() in ("true", "yes")).lower(), "boolean")))
        else:
            out += [
                rdf.Triple(node, TYPE, ag("Incident")),
                rdf.Triple(node, LABEL, text(cells["name"])),
                rdf.Triple(node, ag("name"), text(cells["name"])),
            ]
            out += [rdf.Triple(node, ag("violationType"), rdf.NamedNode(v)) for v in row.values["violation_types"]] + _dates(node, row)
            if cells.get("location"):
                out.append(rdf.Triple(node, ag("location"), text(cells["location"])))
            base = node.value.replace("/incident/", "/relation/", 1)
            for actor in refer(row, "perpetrators", "actor"):
                perp = rdf.NamedNode(f"{base}-perpetration-{hashlib.sha256(actor.value.encode()).hexdigest()[:12]}")
                out += [rdf.Triple(perp, TYPE, ag("Perpetration")), rdf.Triple(perp, ag("perpetrator"), actor), rdf.Triple(perp, ag("incident"), node),
                        rdf.Triple(perp, ag("status"), rdf.NamedNode(row.values["status"][0])),
                        rdf.Triple(perp, ag("confidence"), rdf.NamedNode(row.values["confidence"][0]))]  # fmt: skip
                out += [rdf.Triple(perp, DERIVED, s) for s in sources]
                counts["perpetrations"] += 1
        triples.update(out)
        counts[row.kind] += 1
    return triples, counts
