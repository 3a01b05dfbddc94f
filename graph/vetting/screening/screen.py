"""Screening a list of names: find each one in the graph, then vet the best match.

Vetting offices receive lists (a training roster, a partner's staff list, an NGO consortium) with a
name, a type and a country per row, sometimes a date of birth or a unit identifier. The names come
spelt as the sender spells them: with or without diacritics ("Tállavar" / "Tallavar"), abbreviated
("7 Mtn Bde"), in another order ("Tallavar, Oren"), with a rank in front ("Lt. Col."). So each row
is resolved to *candidate* entities, each with a score and the reasons for it, and only a confident
and unambiguous match is vetted; a row without one says so rather than guessing.

Matching, and why:
- every name, ag:name and ag:alias of every actor is normalized once per data version: Unicode
  decomposed and combining marks dropped (transliteration by stripping diacritics), case folded,
  ordinals reduced ("7th" -> "7"), common abbreviations expanded ("Bde" -> "brigade"), ranks and
  honorifics dropped from persons' names, a parenthesized qualifier dropped ("(Veldoria)"), and
  the tokens sorted, so that rapidfuzz's plain ratio on the keys is a token-sort ratio;
- rapidfuzz does all the string distance (no hand-written distance code): `process.extract` over
  the keys of the row's block (persons or organizations, and the row's country when it resolves);
  a screening scores many rows against a large block with one `process.cdist` (match_all), which
  gives the same candidates several times faster;
- an acronym of an organization's name matches only exactly ("RIPU"), because short strings make
  fuzzy scores meaningless;
- the country narrows the search and a different recorded country costs 15 points; a different
  date of birth costs 25; a unit_id that resolves (IRI, kind/slug or identifier) is a certain match;
- numbers identify units: a candidate whose numbers differ from the row's ("72" vs "71") scores at
  most 70, however close the rest of the name;
- a row is a match when its best candidate scores at least `CONFIDENT` and no other entity is within
  `MARGIN` points of it, ambiguous when another is, and unmatched below `CONFIDENT`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from graph.index.identifiers import UnknownSubject
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.vetting.batch import BATCH as PREFETCH_BATCH
from graph.vetting.batch import prefetch
from graph.vetting.engine import NotVettable, vet
from graph.vetting.facts import Facts
from graph.vetting.model import FindingSet
from graph.vetting.policy import DEFAULT_POLICY, Policy
from graph.vetting.screening.matching import match_all
from graph.vetting.screening.name_index import name_index
from graph.vetting.screening.rows import ScreenInput, ScreenRow


def screen(
    store: GraphStore,
    dataset: Dataset,
    rows: Iterable[ScreenInput],
    *,
    version_digest: str,
    on: date | None = None,
    policy: Policy = DEFAULT_POLICY,
    show_restricted: bool = True,
    budget: float | None = None,
) -> list[ScreenRow]:
    """Match every row and vet each confident match (once per subject, sharing one fact cache)."""
    index = name_index(store, dataset, version_digest)
    facts = Facts(store, dataset, show_restricted=show_restricted, budget=budget)
    out = match_all(index, list(rows), store, dataset)
    matched = [result.best.iri for result in out if result.status == "match" and result.best is not None]
    vetted: dict[str, FindingSet | None] = {}
    for start in range(0, len(matched), PREFETCH_BATCH):
        # Read what the next subjects' vettings need together: a few queries instead of ten each.
        chunk = [iri for iri in dict.fromkeys(matched[start : start + PREFETCH_BATCH]) if iri not in vetted]
        prefetch(facts, chunk, policy)
        for iri in chunk:
            try:
                vetted[iri] = vet(store, dataset, iri, on=on, policy=policy, facts=facts)
            except (UnknownSubject, NotVettable):
                vetted[iri] = None
    for result in out:
        if result.status == "match" and result.best is not None:
            result.vetting = vetted[result.best.iri]
    return out


def iter_vetted(results: Iterable[ScreenRow]) -> Iterator[FindingSet]:
    """Each distinct vetting of a screening, for the audit trail."""
    seen: set[str] = set()
    for result in results:
        if result.vetting is not None and result.vetting.subject not in seen:
            seen.add(result.vetting.subject)
            yield result.vetting
