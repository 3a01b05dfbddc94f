"""Which UCDP actors may already be in the graph: each actor's name (and its aliases) screened
against the actors of every other graph, by name, alias and country, with the screening matcher.

The answer is for review: a match or an ambiguity is reported with its candidates, scores and
reasons, and nothing is merged. A UCDP actor located in one country is screened with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.ingest.importers.ucdp.mapping import actor_iri
from graph.ingest.importers.ucdp.read import ActorList
from graph.query.sparql import Dataset
from graph.store import GraphStore, rdf
from graph.vetting.screening.matching import match_all
from graph.vetting.screening.name_index import NameIndex
from graph.vetting.screening.rows import ScreenInput


@dataclass
class Crossing:
    """One UCDP actor that may be an actor already in the graph."""

    ucdp_id: int
    name: str
    screened: str  # the name or alias of the UCDP actor that found the candidates
    status: str  # match | ambiguous
    message: str
    candidates: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"ucdp_id": self.ucdp_id, "iri": actor_iri(self.ucdp_id).value, "name": self.name, "screened": self.screened, "status": self.status,
                "message": self.message, "candidates": self.candidates}  # fmt: skip


def crosswalk(store: GraphStore, graphs: list[rdf.NamedNode], actors: ActorList) -> list[Crossing]:
    """Screen every actor's names against `graphs` (the graph being imported left out)."""
    index = NameIndex.build(store, Dataset(tuple(graphs)))
    rows: list[ScreenInput] = []
    owners: list[tuple[int, str]] = []
    for actor in actors.actors.values():
        country = actor.location if actor.location and "," not in actor.location else ""
        for name in [actor.name, *actor.aliases]:
            rows.append(ScreenInput(actor.row, name, "organization", country))
            owners.append((actor.actor_id, name))
    best: dict[int, Crossing] = {}
    for (owner, screened), result in zip(owners, match_all(index, rows), strict=True):
        if result.status == "none":
            continue
        found = Crossing(owner, actors.actors[owner].name, screened, result.status, result.message,
                         [{"iri": c.iri, "label": c.label, "score": round(c.score, 1), "reasons": c.reasons} for c in result.candidates[:3]])  # fmt: skip
        kept = best.get(owner)
        if kept is None or (kept.status == "ambiguous" and found.status == "match"):
            best[owner] = found
    return [best[key] for key in sorted(best)]
