"""Matching a row against the name index: candidates with scores and reasons, and the verdict
(match, ambiguous, none); also the homonyms a vetting report sets aside."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from graph.index.identifiers import AmbiguousSubject, UnknownSubject, resolve
from graph.index.matching import intersect
from graph.index.names import fold, local_name
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.vetting.screening import particulars
from graph.vetting.screening.fuzzy import Hits, extract, extract_many
from graph.vetting.screening.keys import WORD, key
from graph.vetting.screening.name_index import Entry, NameIndex
from graph.vetting.screening.rows import Candidate, ScreenInput, ScreenRow

_CLOSENESS = (
    "exactly as written",
    "equal once diacritics and case are ignored",
    "equal once punctuation, diacritics and case are ignored",
    "the same words in another order",
    "equal once abbreviations, ordinals, ranks and qualifiers are normalized",
)

CONFIDENT = 88.0
MARGIN = 3.0
CUTOFF = 60.0
MAX_CANDIDATES = 5
SET_ASIDE_CUTOFF = 70.0  # a vetting report lists other actors whose names score this or more
NUMBER_MISMATCH_CAP = 70.0
WORDS_WITHIN = 90.0  # a person's name whose words all appear in a longer name on record
MIN_WITHIN_LETTERS = 8  # ... when they are not too short to tell people apart ('Ri Ho')
WEAK_ALIAS_CAP = 80.0  # a list's low-quality alias ("Abu Hamza") names many people
LARGE_BLOCK = 2_000  # keys from which a block's fuzzy pass is batched over the rows (graph.vetting.screening.fuzzy)



@dataclass(frozen=True)
class _QueryForms:
    """A row's name in each normalized form _closeness compares, worked out once per row."""

    written: str
    folded: str
    words: list[str]
    sorted_words: list[str]
    key: str

    @classmethod
    def of(cls, query: str, *, person: bool) -> _QueryForms:
        folded = fold(query)
        words = WORD.findall(folded)
        return cls(query, folded, words, sorted(words), key(query, person=person))


def _closeness(name: str, query: _QueryForms, entry_key: str) -> int:
    """How close to the written form two names meet: 0 exactly as written ... 5 only fuzzily."""
    if query.written == name:
        return 0
    folded = fold(name)
    if query.folded == folded:
        return 1
    words = WORD.findall(folded)
    if query.words == words:
        return 2
    if query.sorted_words == sorted(words):
        return 3
    if query.key == entry_key:
        return 4
    return 5


def _closest_form(entry: Entry, query: _QueryForms) -> tuple[int, str, str]:
    """The written form of the entry closest to the query: (closeness, field, name)."""
    return min((_closeness(name, query, entry.key), field, name) for field, name in entry.forms)


def _name_reason(fieldname: str, name: str, score: float, closeness: int) -> str:
    """Why the name scored what it did: what had to be normalized for the two to meet."""
    how = f" ({_CLOSENESS[closeness]})" if closeness < len(_CLOSENESS) else ""
    return f"name {score:.0f}/100 against {fieldname} '{name}'{how}"


def _numbers(text_key: str) -> set[str]:
    return {t for t in text_key.split() if t.isdigit()}


Block = tuple[str, str | None]


def _words_within(query_words: list[str], entry_key: str) -> bool:
    """Every word of a person's name of two or more words is among the words of a name with at most
    two more: 'Ahmad Qadir' in 'Ahmad Khalid Qadir'. Sheets drop middle names that lists keep."""
    words, entry_words = Counter(query_words), Counter(entry_key.split())
    extra = entry_words.total() - words.total()
    return words.total() >= 2 and sum(map(len, query_words)) >= MIN_WITHIN_LETTERS and 0 < extra <= 2 and words < entry_words


def _only_weak(entry: Entry) -> bool:
    return all(fieldname == "weak alias" for fieldname, _ in entry.forms)


def _search_plan(index: NameIndex, row: ScreenInput) -> tuple[str, str | None, list[list[Block]]]:
    """The row's query key, its country (a state IRI) and, for each kind it may be, the blocks it
    may be searched in, in order (within the country first, when the country resolves)."""
    kind = row.kind
    country = index.resolve_country(row.country) if row.country else None
    query_key = key(row.name, person=kind == "person")
    kinds = [kind] if kind else ["person", "organization"]
    return query_key, country, [[(k, country), (k, None)] if country else [(k, None)] for k in kinds]


def match(index: NameIndex, row: ScreenInput, store: GraphStore | None = None, dataset: Dataset | None = None,
          searched: dict[tuple[str, Block], Hits] | None = None) -> ScreenRow:
    """Candidates for one row, with a score and the reasons for it, and the verdict. `searched`
    holds the fuzzy passes match_all did for many rows at once; with it, a large block not in it
    raises _Unsearched instead of being searched for this row alone."""
    kind = row.kind
    person = kind == "person"
    query_key, country, plan = _search_plan(index, row)
    wanted_numbers = _numbers(query_key)
    query_words = query_key.split()
    found: dict[str, Candidate] = {}
    best_entry: dict[str, tuple[float, Entry]] = {}
    for blocks in plan:
        for block in blocks:
            keys, entries = index.blocks.get(block, ([], []))
            if not keys:
                continue
            hits = searched.get((query_key, block)) if searched is not None else None
            if hits is None:
                if searched is not None and len(keys) >= LARGE_BLOCK:
                    raise _Unsearched(query_key, block)  # match_all searches it with other rows
                hits = extract(query_key, keys, MAX_CANDIDATES * 4, CUTOFF)
            for score, position in hits:
                entry = entries[position]
                numbers = _numbers(entry.key) if wanted_numbers else set()
                if numbers and numbers != wanted_numbers:
                    # 72nd and 71st battalion are one character apart and entirely different units
                    # (less a fraction by the name's own score, so capped neighbours keep their order)
                    score = min(score, NUMBER_MISMATCH_CAP - (100.0 - score) / 100.0)
                if _only_weak(entry):
                    score = min(score, WEAK_ALIAS_CAP)
                if score > best_entry.get(entry.actor, (-1.0, entry))[0]:
                    best_entry[entry.actor] = (float(score), entry)
            if block[1] is not None and any(score >= CONFIDENT for score, _ in best_entry.values()):
                break  # confident within the country: no need to search every country
    if person:
        for position in intersect([index.person_words.get(word, set()) for word in set(query_words)]) if len(query_words) >= 2 else ():
            entry = index.entries[position]
            if _words_within(query_words, entry.key):
                score = min(WORDS_WITHIN, WEAK_ALIAS_CAP) if _only_weak(entry) else WORDS_WITHIN
                if score > best_entry.get(entry.actor, (-1.0, entry))[0]:
                    best_entry[entry.actor] = (score, entry)
    # Reasons are worked out for the finalists only: they cost more than the search itself.
    finalists = sorted(best_entry.items(), key=lambda item: -item[1][0])[: MAX_CANDIDATES * 2]
    forms = _QueryForms.of(row.name, person=person)
    for iri, (score, entry) in finalists:
        closeness, fieldname, written = _closest_form(entry, forms)
        reasons = [_name_reason(fieldname, written, score, closeness)]
        if person and _words_within(query_words, entry.key):
            missing = len(entry.key.split()) - len(query_words)
            reasons.append(f"every word of the name is in '{written}', which has {missing} more (a dropped middle name): {WORDS_WITHIN:.0f}")
        if _only_weak(entry):
            reasons.append(f"only a low-quality alias matches: at most {WEAK_ALIAS_CAP:.0f}, never a confident match alone")
        numbers = _numbers(entry.key)
        if wanted_numbers and numbers and numbers != wanted_numbers:
            reasons.append(f"numbers differ ({', '.join(sorted(wanted_numbers))} vs {', '.join(sorted(numbers))}): at most {NUMBER_MISMATCH_CAP:.0f}")
        found[iri] = Candidate(iri, index.actors[iri].label or written, score, written, reasons)
    if kind != "person":
        short = fold(row.name.strip()).replace(".", "")
        for iri in index.acronyms.get(short, set()):
            actor = index.actors[iri]
            if iri not in found or found[iri].score < 95:
                found[iri] = Candidate(iri, actor.label, 95.0, row.name, [f"'{row.name}' is the acronym of {actor.label}"])
    if row.unit_id and store is not None and dataset is not None:
        unit: str | None
        try:
            unit = resolve(store, dataset, row.unit_id).value
        except (UnknownSubject, AmbiguousSubject, ValueError) as error:
            unit = None
            unit_note = f"unit_id {row.unit_id!r} not used: {error}"
        else:
            unit_note = ""
        if unit and unit in index.actors:
            actor = index.actors[unit]
            reasons = [f"unit_id {row.unit_id!r} resolves to this actor"]
            if unit in found:
                reasons += found[unit].reasons
            found[unit] = Candidate(unit, actor.label, 100.0, row.unit_id, reasons)
        for candidate in found.values():
            if unit_note:
                candidate.reasons.append(unit_note)
    _adjust(index, row, country, found)
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.label))[:MAX_CANDIDATES]
    return verdict(row, ranked, country is not None or not row.country)


def _adjust(index: NameIndex, row: ScreenInput, country: str | None, found: dict[str, Candidate]) -> None:
    for candidate in found.values():
        actor = index.actors[candidate.iri]
        if row.country:
            if actor.country is not None and country is not None:
                if actor.country == country:
                    candidate.reasons.append(f"country matches ({index.actors[country].label if country in index.actors else row.country})")
                else:
                    other = index.actors[actor.country].label if actor.country in index.actors else local_name(actor.country)
                    candidate.score -= 15
                    candidate.reasons.append(f"country differs (recorded: {other}): -15")
            elif particulars.nationality(candidate, actor, row.country, country, index.resolve_country):
                pass  # compared with the nationalities on record
            elif country is None:
                candidate.reasons.append(f"country {row.country!r} is not a state in the graph: not used")
            else:
                candidate.reasons.append("country not recorded for this actor: not used")
        if row.type:
            candidate.reasons.append(f"type {actor.kind} matches '{row.type}'")
        if row.date_of_birth:
            particulars.birth(candidate, actor, row.date_of_birth)
        candidate.score = max(0.0, min(100.0, candidate.score))


def verdict(row: ScreenInput, ranked: list[Candidate], country_ok: bool) -> ScreenRow:
    """Match, ambiguous or none for ranked candidates (best first); also used on a narrowed list."""
    if not ranked:
        return ScreenRow(row, "none", f"no confident match: no actor's name scores {CUTOFF:.0f} or more")
    best = ranked[0]
    if best.score < CONFIDENT:
        return ScreenRow(row, "none", f"no confident match: the best candidate, {best.label}, scores {best.score:.0f} (a match needs {CONFIDENT:.0f})", ranked)
    rivals = [c for c in ranked[1:] if c.score > best.score - MARGIN]
    if rivals:
        names = ", ".join(f"{c.label} ({c.score:.0f})" for c in [best, *rivals])
        return ScreenRow(row, "ambiguous", f"no confident match: {len(rivals) + 1} candidates score within {MARGIN:.0f} points: {names}", ranked)
    return ScreenRow(row, "match", f"matched {best.label} (score {best.score:.0f})", ranked)


class _Unsearched(Exception):
    """match() reached a large block whose fuzzy pass for the row is not done yet."""

    def __init__(self, query_key: str, block: Block) -> None:
        super().__init__(query_key, block)
        self.query_key, self.block = query_key, block


def match_all(index: NameIndex, rows: Sequence[ScreenInput], store: GraphStore | None = None,
              dataset: Dataset | None = None) -> list[ScreenRow]:
    """match() of every row, with the fuzzy passes over large blocks (all persons or all
    organizations, in any country) done a batch of rows at a time (graph.vetting.screening.fuzzy).

    Each round matches the rows still open until each needs a large block it has not been searched
    in; those searches run together, and the round repeats. A row confident within its country never
    needs the large block, as in match() alone; a row of unknown type takes at most three rounds."""
    out: dict[int, ScreenRow] = {}
    searched: dict[tuple[str, Block], Hits] = {}
    open_rows = list(enumerate(rows))
    while open_rows:
        wanted: dict[Block, dict[str, None]] = {}
        still_open = []
        for position, row in open_rows:
            try:
                out[position] = match(index, row, store, dataset, searched)
            except _Unsearched as need:
                wanted.setdefault(need.block, {})[need.query_key] = None
                still_open.append((position, row))
        for block, queries in wanted.items():
            keys = index.blocks[block][0]
            for query_key, hits in zip(queries, extract_many(list(queries), keys, MAX_CANDIDATES * 4, CUTOFF)):
                searched[(query_key, block)] = hits
        open_rows = still_open
    return [out[position] for position in range(len(rows))]


# -- homonyms of a vetted subject --------------------------------------------------------------


def set_aside(index: NameIndex, subject: str) -> list[dict[str, str]]:
    """Other actors a vetter might confuse with the subject (homonyms, units with similar names),
    each with why it was set aside: the report shows them so that nobody reads a finding about one
    as a finding about the other, and nobody thinks the other was never considered."""
    actor = index.actors.get(subject)
    if actor is None or not actor.label:
        return []
    # Searched without country or birth date: those are what tells a homonym apart, said below.
    row = ScreenInput(0, actor.label, actor.kind, "")
    out = []
    for candidate in match(index, row).candidates:
        if candidate.iri == subject or candidate.score < SET_ASIDE_CUTOFF:
            continue
        other = index.actors[candidate.iri]
        reasons = [f"a separate record whose name is close to the subject's ({candidate.matched!r}, score {candidate.score:.0f} of 100)"]
        reasons += [r for r in candidate.reasons if r.startswith("numbers differ")]
        if other.kind != actor.kind:
            reasons.append(f"a {other.kind}, not a {actor.kind}")
        if other.country and actor.country and other.country != actor.country:
            theirs = index.actors[other.country].label if other.country in index.actors else local_name(other.country)
            reasons.append(f"another country ({theirs})")
        if other.birth_date and actor.birth_date and other.birth_date != actor.birth_date:
            reasons.append(f"another date of birth ({other.birth_date})")
        if len(reasons) == 1:
            reasons.append("no recorded country or date of birth tells them apart: a separate record, vetted on its own")
        out.append({"iri": candidate.iri, "label": other.label or candidate.label, "reason": "; ".join(reasons)})
    return out
