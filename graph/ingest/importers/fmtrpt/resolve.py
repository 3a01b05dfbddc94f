"""Which unit of the graph each student unit name is, by the screening matcher, within the
unit's country: a confident match recorded in that country is used; an ambiguous name, a match
elsewhere or no match becomes a new unit. New
units whose names are spellings of one another ("DEFENCE HEADQUARTERS ABUJA", "DEFENSE
HEADQUARTERS ABUJA") in one country are one unit, whose other names are its aliases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from graph.ingest.importers.sfm.countries import COUNTRY_NAMES, state_iri
from graph.query.sparql import Dataset
from graph.store import GraphStore, rdf
from graph.vetting.screening.keys import key
from graph.vetting.screening.matching import match_all
from graph.vetting.screening.name_index import NameIndex
from graph.vetting.screening.rows import ScreenInput

SAME_UNIT = 92.0  # key ratio at which two new names in one country are one unit


@dataclass
class Resolution:
    """What each (country, student unit name) became, and the report of it."""

    existing: dict[tuple[str, str], str] = field(default_factory=dict)  # -> IRI of a unit in the graph
    new: dict[tuple[str, str], str] = field(default_factory=dict)  # -> the new unit's first name
    names: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # new unit -> all its names
    ambiguous: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # -> candidates' labels
    elsewhere: dict[tuple[str, str], str] = field(default_factory=dict)  # matched a unit not of that country

    def lines(self) -> list[str]:
        units = len(set(self.existing.values()))
        summary = (f"student units: {len(self.existing)} names matched {units} units in the graph, "
                   f"{len(self.ambiguous)} ambiguous (made new units), {len(self.names)} new units for {len(self.new)} names")  # fmt: skip
        out = [summary]
        for (code, name), iri in sorted(self.existing.items()):
            out.append(f"    matched {code} {name!r} -> {iri}")
        for (code, name), candidates in sorted(self.ambiguous.items()):
            out.append(f"    ambiguous {code} {name!r}: {', '.join(candidates)}")
        for (code, name), label in sorted(self.elsewhere.items()):
            out.append(f"    not used {code} {name!r}: matches {label!r}, which is not recorded in that country")
        return out


def resolve_units(store: GraphStore, graphs: list[rdf.NamedNode], names: list[tuple[str, str]]) -> Resolution:
    index = NameIndex.build(store, Dataset(tuple(graphs)))
    wanted = sorted(set(names))
    rows = [ScreenInput(i + 2, name, "unit", COUNTRY_NAMES[code]) for i, (code, name) in enumerate(wanted)]
    found = Resolution()
    unresolved: list[tuple[str, str]] = []
    for (code, name), result in zip(wanted, match_all(index, rows), strict=True):
        if result.status == "match" and result.best is not None:
            if index.actors[result.best.iri].country == state_iri(code):
                found.existing[(code, name)] = result.best.iri
                continue
            # A unit of another country, or of none recorded, is not this country's unit.
            found.elsewhere[(code, name)] = result.best.label
        if result.status == "ambiguous":
            found.ambiguous[(code, name)] = [f"{c.label} ({c.score:.0f})" for c in result.candidates[:3]]
        unresolved.append((code, name))
    by_country: dict[str, list[tuple[str, str]]] = {}
    for code, name in unresolved:
        keys = by_country.setdefault(code, [])
        own = key(name)
        best = process.extractOne(own, [k for k, _ in keys], scorer=fuzz.ratio, score_cutoff=SAME_UNIT) if keys else None
        first = keys[best[2]][1] if best else name
        if not best:
            keys.append((own, name))
        found.new[(code, name)] = first
        found.names.setdefault((code, first), []).append(name)
    return found
