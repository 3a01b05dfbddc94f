"""Keeping history when a newer list is imported over an older one.

A list says who is listed on the day it was generated, not who was delisted. So an entry of the
graph's earlier lists that the newer list no longer holds is kept, with its actor, and its listing
is ended on the newer list's generation day (delisted by then), citing both lists. It is never
deleted. Listings ended by an earlier import keep their end date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from graph.ingest.importers.terms import DERIVED, TYPE, ag, text, typed
from graph.ingest.importers.unsc.mapping import ISSUED, source_iri
from graph.store import rdf

END_DATE = ag("endDate")


@dataclass
class Carried:
    """What an import keeps from the graph's earlier lists."""

    triples: list[rdf.Triple] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)  # references of listings this import ends
    kept_ended: int = 0  # listings an earlier import had already ended


def latest_list_day(old: Iterable[rdf.Triple]) -> date | None:
    """The generation day of the newest list already in the graph."""
    prefix = source_iri("").value
    days = [
        date.fromisoformat(t.object.value)
        for t in old
        if t.predicate == ISSUED
        and isinstance(t.subject, rdf.NamedNode)
        and t.subject.value.startswith(prefix)
        and isinstance(t.object, rdf.Literal)
    ]
    return max(days, default=None)


def carry_over(old: Iterable[rdf.Triple], new_listings: set[rdf.NamedNode], new_actors: set[rdf.NamedNode], day: date) -> Carried:
    """The earlier entries the newer list (generated on `day`) no longer holds, ended on `day`."""
    by_subject: dict[rdf.NamedNode, list[rdf.Triple]] = defaultdict(list)
    for triple in old:
        if isinstance(triple.subject, rdf.NamedNode):  # the importer mints no blank nodes
            by_subject[triple.subject].append(triple)
    listings = [s for s, ts in by_subject.items() if any(t.predicate == TYPE and t.object == ag("SanctionsListing") for t in ts)]
    new_source = source_iri(day.isoformat())
    carried = Carried()
    keep: set[rdf.NamedNode] = set()
    for listing in sorted(listings, key=lambda s: s.value):
        if listing in new_listings:
            continue
        triples = by_subject[listing]
        keep.add(listing)
        party = next((t.object for t in triples if t.predicate == ag("listedParty")), None)
        if isinstance(party, rdf.NamedNode) and party not in new_actors:
            keep.add(party)
        if any(t.predicate == END_DATE for t in triples):
            carried.kept_ended += 1
            continue
        reference = next(
            (t.object.value for t in triples if t.predicate == ag("listingReference") and isinstance(t.object, rdf.Literal)), listing.value
        )
        carried.ended.append(reference)
        carried.triples += [
            rdf.Triple(listing, END_DATE, typed(day.isoformat(), "date")),
            rdf.Triple(listing, DERIVED, new_source),
            rdf.Triple(listing, ag("note"), text(f"Not on the consolidated list generated on {day.isoformat()}: delisted by that day.")),
        ]
    for subject in keep:
        carried.triples += by_subject[subject]
    cited = {t.object for t in carried.triples if t.predicate == DERIVED and isinstance(t.object, rdf.NamedNode) and t.object != new_source}
    for source in sorted(cited, key=lambda s: s.value):
        carried.triples += by_subject.get(source, [])
    return carried
