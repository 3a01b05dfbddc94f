"""Which actors of the graph signed each agreement, found by the screening matcher in PA-X's
free-text `Part` column ("For the RUF: Omrie Golley, Chairman ...; For the Government of ...").

The text is cut into names at line breaks, semicolons, colons and commas, with the "For the" and
"(Signed)" wording taken off; each distinct name is screened once against the other graphs. Only
a confident match becomes a signing; ambiguous names and names without a match are reported for
review, never linked, and the text itself stays on the agreement (ag:partiesText).

A signing claims that a real actor signed, so the bar is above the matcher's own: a score of at
least MIN_SCORE, an exact name or alias for names of SHORT letters or fewer (acronyms such as "RUF"
name many things), and an actor recorded in a country only for an agreement about that country
(every "Minister of Foreign Affairs" is not Ghana's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.ingest.importers.pax.read import Agreement
from graph.query.sparql import Dataset
from graph.store import GraphStore, rdf
from graph.vetting.screening.matching import match_all
from graph.vetting.screening.name_index import NameIndex
from graph.vetting.screening.rows import ScreenInput

_CUTS = re.compile(r"[\n\r\t;:,]+")
_LEAD = re.compile(r"^(?:\(?signed\)?\s*(?:by\s+)?|for\s+(?:the\s+)?|and\s+|on behalf of\s+(?:the\s+)?)+", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_TRIM = " .()[]'\"-\u2013\u2022*"
SHORTEST, LONGEST = 3, 120
MIN_SCORE, SHORT = 90.0, 4


def names_in(parties: str) -> list[str]:
    """The candidate names in a Part cell, in order, each once."""
    out: list[str] = []
    for piece in _CUTS.split(parties):
        name = _LEAD.sub("", piece.strip(_TRIM)).strip(_TRIM)
        if SHORTEST <= len(name) <= LONGEST and _LETTERS.search(name) and name not in out:
            out.append(name)
    return out


def confident(name: str, score: float) -> bool:
    letters = len(_LETTERS.findall(name))
    return score >= MIN_SCORE and (letters > SHORT or score >= 100.0)


@dataclass
class Signatories:
    """What each name became: a match (IRI, label, score), an ambiguity (candidates) or nothing."""

    matched: dict[str, tuple[str, str, float]] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    names: dict[int, list[str]] = field(default_factory=dict)  # agreement id -> its names
    countries: dict[str, str] = field(default_factory=dict)  # matched actor IRI -> its state's IRI, where recorded
    elsewhere: dict[str, str] = field(default_factory=dict)  # name -> why a match was not used for some agreement

    def signatories(self, agreement: Agreement, states: set[str]) -> list[tuple[str, str]]:
        """(name, actor IRI) for each name of the agreement that names an actor of the graph."""
        out: list[tuple[str, str]] = []
        for name in self.names.get(agreement.agreement_id, []):
            if name not in self.matched:
                continue
            iri, label, _score = self.matched[name]
            country = self.countries.get(iri)
            if country is not None and country not in states:
                self.elsewhere.setdefault(name, f"matches {label!r}, recorded in another country than agreement {agreement.agreement_id}'s")
                continue
            if all(other != iri for _n, other in out):
                out.append((name, iri))
        return out

    def lines(self) -> list[str]:
        actors = len({iri for iri, _label, _score in self.matched.values()})
        summary = (f"signatories: {len(self.matched)} names matched {actors} actors in the graph, "
                   f"{len(self.ambiguous)} ambiguous, {len(self.unmatched)} without a match (for review, nothing merged)")  # fmt: skip
        out = [summary]
        out += [f"    matched {name!r} -> {label} ({iri}, score {score:.0f})" for name, (iri, label, score) in sorted(self.matched.items())]
        out += [f"    ambiguous {name!r}: {', '.join(candidates)}" for name, candidates in sorted(self.ambiguous.items())]
        out += [f"    not used for every agreement {name!r}: {why}" for name, why in sorted(self.elsewhere.items())]
        return out

    def as_dict(self) -> dict[str, object]:
        return {"matched": {name: {"iri": iri, "label": label, "score": round(score, 1)} for name, (iri, label, score) in sorted(self.matched.items())},
                "ambiguous": dict(sorted(self.ambiguous.items())), "not used for every agreement": dict(sorted(self.elsewhere.items())),
                "unmatched": sorted(self.unmatched)}  # fmt: skip


def find_signatories(store: GraphStore, graphs: list[rdf.NamedNode], agreements: list[Agreement]) -> Signatories:
    found = Signatories()
    wanted: list[str] = []
    for agreement in agreements:
        names = names_in(agreement.parties)
        found.names[agreement.agreement_id] = names
        wanted.extend(names)
    distinct = sorted(set(wanted))
    if not distinct:
        return found
    index = NameIndex.build(store, Dataset(tuple(graphs)))
    rows = [ScreenInput(i + 2, name, "", "") for i, name in enumerate(distinct)]
    for name, result in zip(distinct, match_all(index, rows), strict=True):
        best = result.best
        if result.status == "match" and best is not None and confident(name, best.score):
            found.matched[name] = (best.iri, best.label, best.score)
            country = index.actors[best.iri].country
            if country:
                found.countries[best.iri] = country
        elif result.status != "none" and best is not None:
            found.ambiguous[name] = [f"{c.label} ({c.score:.0f})" for c in result.candidates[:3]]
        else:
            found.unmatched.append(name)
    return found
