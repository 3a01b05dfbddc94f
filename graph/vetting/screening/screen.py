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

import _csv
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from threading import Lock
from typing import Any

from rapidfuzz import fuzz, process

from graph.errors import InvalidValueError
from graph.index.identifiers import AmbiguousSubject, UnknownSubject, resolve
from graph.query.sparql import Dataset, run_query
from graph.store import GraphStore
from graph.vetting.batch import BATCH as PREFETCH_BATCH
from graph.vetting.batch import prefetch
from graph.vetting.engine import NotVettable, vet
from graph.vetting.facts import Facts, local_name
from graph.vetting.model import FindingSet
from graph.vetting.policy import DEFAULT_POLICY, Policy
from graph.vetting.screening.fuzzy import Hits, extract, extract_many
from queries import catalog

CONFIDENT = 88.0
MARGIN = 3.0
CUTOFF = 60.0
MAX_CANDIDATES = 5
SET_ASIDE_CUTOFF = 70.0  # a vetting report lists other actors whose names score this or more
NUMBER_MISMATCH_CAP = 70.0
MAX_ROWS = 10_000
LARGE_BLOCK = 2_000  # keys from which a block's fuzzy pass is batched over the rows (screening_fuzzy)
REQUIRED_COLUMNS = ("name", "type", "country")
OPTIONAL_COLUMNS = ("date_of_birth", "unit_id")

ABBREVIATIONS = {
    "bn": "battalion", "btn": "battalion", "bde": "brigade", "div": "division", "coy": "company", "regt": "regiment",
    "mtn": "mountain", "inf": "infantry", "cmd": "command", "hq": "headquarters", "min": "ministry", "natl": "national",
    "nat": "national", "intl": "international", "govt": "government", "gov": "government", "dept": "department",
    "assn": "association", "assoc": "association", "org": "organization", "organisation": "organization",
    "orgs": "organizations", "int": "integrated", "sta": "station", "pol": "police", "&": "and",
}
# Ranks and honorifics: dropped from persons' names, where they come and go between sources.
TITLES = frozenset({
    "gen", "general", "lt", "lieutenant", "col", "colonel", "maj", "major", "capt", "captain", "brig", "brigadier",
    "supt", "superintendent", "sgt", "sergeant", "cpl", "corporal", "pte", "private", "cmdr", "commander", "comandante",
    "chief", "dr", "mr", "mrs", "ms", "sir", "hon", "justice", "judge", "paramount", "president", "minister", "field",
    "marshal", "insp", "inspector",
})
TYPE_WORDS = {
    "person": "person", "individual": "person", "people": "person", "natural person": "person",
    "organization": "organization", "organisation": "organization", "org": "organization", "unit": "organization",
    "group": "organization", "entity": "organization", "militia": "organization", "company": "organization",
    "agency": "organization", "ministry": "organization", "state": "organization", "institution": "organization",
}
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_PARENS = re.compile(r"\([^)]*\)")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W_]+|&")


class ScreeningError(InvalidValueError, ValueError):
    """The uploaded list is malformed; the message names the row (1 = header) and the field."""


# -- normalization -------------------------------------------------------------------------


def fold(text: str) -> str:
    """Diacritics stripped (NFKD, combining marks dropped) and case folded: 'Tállavar' -> 'tallavar'."""
    if text.isascii():
        return text.casefold()  # most names: nothing to decompose (and 10x faster)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokens(text: str, *, person: bool = False, keep_qualifier: bool = False) -> list[str]:
    """Normalized tokens: folded, ordinals reduced, abbreviations expanded, titles dropped for persons."""
    folded = fold(text if keep_qualifier or "(" not in text else _PARENS.sub(" ", text))
    if _DIGIT.search(folded):
        folded = _ORDINAL.sub(r"\1", folded)
    out = [ABBREVIATIONS.get(t, t) for t in _WORD.findall(folded)]
    if person:
        kept = [t for t in out if t not in TITLES]
        out = kept or out
    return out


def key(text: str, *, person: bool = False) -> str:
    """The comparison key: sorted normalized tokens, so plain ratio is order-insensitive."""
    return " ".join(sorted(tokens(text, person=person)))


def acronym(text: str) -> str | None:
    """'Rapid Intervention Police Unit (Veldoria)' -> 'ripu'; None for one-word names."""
    words = [w for w in _WORD.findall(fold(_PARENS.sub(" ", text))) if w not in ("of", "the", "and", "for", "de", "du", "des", "la", "le", "&")]
    if len(words) < 2:
        return None
    return "".join(w[0] for w in words)


# -- the index -----------------------------------------------------------------------------


@dataclass
class Entry:
    """One comparison key of an actor, with every written form (label, name, alias) that gives it."""

    actor: str
    key: str
    forms: list[tuple[str, str]]  # (field, name as written in the graph)


@dataclass
class Actor:
    iri: str
    kind: str  # person | organization
    label: str = ""
    country: str | None = None
    birth_date: str | None = None
    is_state: bool = False


@dataclass
class NameIndex:
    """Normalized names of every actor, blocked by kind and country for fast search."""

    actors: dict[str, Actor] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    blocks: dict[tuple[str, str | None], tuple[list[str], list[Entry]]] = field(default_factory=dict)
    acronyms: dict[str, set[str]] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)  # folded name, alias or code -> state IRI

    @classmethod
    def build(cls, store: GraphStore, dataset: Dataset) -> NameIndex:
        index = cls()
        for actor_term, class_term, kind_term in run_query(store, catalog.text("vetting/actors"), dataset):  # type: ignore[union-attr]
            iri, is_person = actor_term.value, kind_term.value.endswith("#Person")
            actor = index.actors.get(iri)
            if actor is None:
                actor = index.actors[iri] = Actor(iri, "person" if is_person else "organization")
            elif is_person:
                actor.kind = "person"
            if class_term.value.endswith("#State"):
                actor.is_state = True
        names: list[tuple[str, str, str]] = []
        for actor_term, field_term, value_term in run_query(store, catalog.text("vetting/names"), dataset):  # type: ignore[union-attr]
            iri = actor_term.value
            actor = index.actors.get(iri)
            if actor is None:
                continue
            fieldname, value = field_term.value, value_term.value
            if fieldname == "country":
                actor.country = value
            elif fieldname == "birthDate":
                actor.birth_date = value[:10]
            elif fieldname == "code":
                index.countries[fold(value)] = iri
            else:
                if fieldname == "label" and not actor.label:
                    actor.label = value
                names.append((iri, fieldname, value))
        by_key: dict[tuple[str, str], Entry] = {}
        written: set[tuple[str, str]] = set()
        for iri, fieldname, value in names:
            if (iri, value) in written:
                continue  # ag:name usually repeats rdfs:label: one key computation is enough
            written.add((iri, value))
            actor = index.actors[iri]
            person = actor.kind == "person"
            k = key(value, person=person)
            if not k:
                continue
            entry = by_key.get((iri, k))
            if entry is not None:
                if (fieldname, value) not in entry.forms:
                    entry.forms.append((fieldname, value))
                continue
            entry = by_key[(iri, k)] = Entry(iri, k, [(fieldname, value)])
            index.entries.append(entry)
            if not person:
                short = acronym(value)
                if short and len(short) >= 2:
                    index.acronyms.setdefault(short, set()).add(iri)
                if fieldname == "alias" and " " not in value.strip() and value.strip().isupper():
                    index.acronyms.setdefault(fold(value.strip()), set()).add(iri)
            if actor.is_state:
                index.countries.setdefault(fold(value), iri)
                index.countries.setdefault(k, iri)
        for entry in index.entries:
            actor = index.actors[entry.actor]
            for block in ((actor.kind, actor.country), (actor.kind, None)):
                keys, entries = index.blocks.setdefault(block, ([], []))
                keys.append(entry.key)
                entries.append(entry)
        return index

    def resolve_country(self, text: str) -> str | None:
        """A state IRI for a country name, alias or ISO code, exact first, then fuzzy among states."""
        if not text.strip():
            return None
        folded = fold(text.strip())
        if folded in self.countries:
            return self.countries[folded]
        k = key(text)
        if k in self.countries:
            return self.countries[k]
        best = process.extractOne(k, list(self.countries.keys()), scorer=fuzz.ratio, score_cutoff=85)
        return self.countries[best[0]] if best else None


# Built once per data version (the import records in force) and dataset; a rebuild replaces it.
_CACHE: dict[tuple[int, tuple[str, ...], str], NameIndex] = {}
_CACHE_LOCK = Lock()


def index_for(store: GraphStore, dataset: Dataset, version_digest: str) -> NameIndex:
    """The cached index for this store, dataset and data version, built on first use."""
    cache_key = (id(store), tuple(g.value for g in dataset.graphs), version_digest)
    with _CACHE_LOCK:
        index = _CACHE.get(cache_key)
        if index is None:
            index = NameIndex.build(store, dataset)
            for old in [k for k in _CACHE if k[0] == id(store)]:
                del _CACHE[old]
            _CACHE[cache_key] = index
    return index


# -- rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreenInput:
    row: int  # line in the file, the header being 1
    name: str
    type: str
    country: str
    date_of_birth: str = ""
    unit_id: str = ""

    @property
    def kind(self) -> str | None:
        return TYPE_WORDS.get(self.type.strip().lower()) if self.type.strip() else None


@dataclass
class Candidate:
    iri: str
    label: str
    score: float
    matched: str
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"iri": self.iri, "label": self.label, "score": round(self.score, 1), "matched": self.matched, "reasons": self.reasons}


@dataclass
class ScreenRow:
    input: ScreenInput
    status: str  # match | ambiguous | none
    message: str
    candidates: list[Candidate] = field(default_factory=list)
    vetting: FindingSet | None = None

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def as_dict(self) -> dict[str, Any]:
        best = self.best if self.status == "match" else None
        vetting = self.vetting
        return {
            "row": self.input.row,
            "name": self.input.name,
            "type": self.input.type,
            "country": self.input.country,
            "date_of_birth": self.input.date_of_birth,
            "unit_id": self.input.unit_id,
            "match": self.status,
            "message": self.message,
            "subject": best.iri if best else None,
            "subject_label": best.label if best else None,
            "score": round(best.score, 1) if best else (round(self.best.score, 1) if self.best else None),
            "outcome": vetting.outcome if vetting else None,
            "reason": vetting.reason if vetting else self.message,
            "findings": len(vetting.findings) if vetting else 0,
            "candidates": [c.as_dict() for c in self.candidates],
        }


def _records(reader: _csv.Reader) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on. The reader is strict, so a quote that is never
    closed is an error rather than a field that swallows the rest of the file; the error names the
    line where the quoted field began, which is where the mistake is."""
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if str(error) == "unexpected end of data":
                raise ScreeningError(f"row {start}: a quoted field opened in this row is never closed") from None
            raise ScreeningError(f"row {reader.line_num}: {error}") from None
        for i, value in enumerate(values):
            if "\x00" in value:
                raise ScreeningError(f"row {start}, column {i + 1}: a NUL byte; the file is binary or damaged, not CSV text")
        yield start, values


def parse_csv(data: bytes | str) -> list[ScreenInput]:
    """The rows of an uploaded CSV (UTF-8, with or without BOM). Columns name, type and country are
    required, date_of_birth and unit_id optional; errors name the row and the field."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ScreeningError(f"the file is not UTF-8 text (byte {error.start})") from None
    else:
        text = data.lstrip("\ufeff")
    records = _records(csv.reader(io.StringIO(text, newline=""), strict=True))
    first = next(records, None)
    if first is None:
        raise ScreeningError("the file is empty: it needs a header row with name, type, country")
    header = first[1]
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ScreeningError(f"row 1 (header): missing column(s) {', '.join(missing)}; found {', '.join(columns) or 'none'}")
    position = {c: columns.index(c) for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in columns}
    rows: list[ScreenInput] = []
    for number, values in records:
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ScreeningError(f"row {number}: more than {MAX_ROWS:,} rows; split the file")

        def cell(column: str) -> str:
            i = position.get(column)
            return values[i].strip() if i is not None and i < len(values) else ""

        item = ScreenInput(number, cell("name"), cell("type"), cell("country"), cell("date_of_birth"), cell("unit_id"))
        if not item.name:
            raise ScreeningError(f"row {number}, field 'name': empty")
        if item.type and item.kind is None:
            raise ScreeningError(
                f"row {number}, field 'type': {item.type!r} is not a known type (person, organization, unit, group, ...)"
            )
        if item.date_of_birth and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", item.date_of_birth):
            raise ScreeningError(f"row {number}, field 'date_of_birth': {item.date_of_birth!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
        rows.append(item)
    return rows


# -- matching ------------------------------------------------------------------------------


_CLOSENESS = (
    "exactly as written",
    "equal once diacritics and case are ignored",
    "equal once punctuation, diacritics and case are ignored",
    "the same words in another order",
    "equal once abbreviations, ordinals, ranks and qualifiers are normalized",
)


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
        words = _WORD.findall(folded)
        return cls(query, folded, words, sorted(words), key(query, person=person))


def _closeness(name: str, query: _QueryForms, entry_key: str) -> int:
    """How close to the written form two names meet: 0 exactly as written ... 5 only fuzzily."""
    if query.written == name:
        return 0
    folded = fold(name)
    if query.folded == folded:
        return 1
    words = _WORD.findall(folded)
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
                    score = min(score, NUMBER_MISMATCH_CAP)
                if score > best_entry.get(entry.actor, (-1.0, entry))[0]:
                    best_entry[entry.actor] = (float(score), entry)
            if block[1] is not None and any(score >= CONFIDENT for score, _ in best_entry.values()):
                break  # confident within the country: no need to search every country
    # Reasons are worked out for the finalists only: they cost more than the search itself.
    finalists = sorted(best_entry.items(), key=lambda item: -item[1][0])[: MAX_CANDIDATES * 2]
    forms = _QueryForms.of(row.name, person=person)
    for iri, (score, entry) in finalists:
        closeness, fieldname, written = _closest_form(entry, forms)
        reasons = [_name_reason(fieldname, written, score, closeness)]
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
    return _verdict(row, ranked, country is not None or not row.country)


def _adjust(index: NameIndex, row: ScreenInput, country: str | None, found: dict[str, Candidate]) -> None:
    for candidate in found.values():
        actor = index.actors[candidate.iri]
        if row.country:
            if country is None:
                candidate.reasons.append(f"country {row.country!r} is not a state in the graph: not used")
            elif actor.country is None:
                candidate.reasons.append("country not recorded for this actor: not used")
            elif actor.country == country:
                candidate.reasons.append(f"country matches ({index.actors[country].label if country in index.actors else row.country})")
            else:
                other = index.actors[actor.country].label if actor.country in index.actors else local_name(actor.country)
                candidate.score -= 15
                candidate.reasons.append(f"country differs (recorded: {other}): -15")
        if row.type:
            candidate.reasons.append(f"type {actor.kind} matches '{row.type}'")
        if row.date_of_birth:
            if actor.birth_date is None:
                candidate.reasons.append("date of birth not recorded in the graph: not used")
            elif actor.birth_date.startswith(row.date_of_birth) or row.date_of_birth.startswith(actor.birth_date):
                candidate.reasons.append(f"date of birth matches ({actor.birth_date})")
            else:
                candidate.score -= 25
                candidate.reasons.append(f"date of birth differs (recorded: {actor.birth_date}): -25")
        candidate.score = max(0.0, min(100.0, candidate.score))


def _verdict(row: ScreenInput, ranked: list[Candidate], country_ok: bool) -> ScreenRow:
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


# -- screening -----------------------------------------------------------------------------


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
    index = index_for(store, dataset, version_digest)
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


CSV_COLUMNS = ("row", "name", "type", "country", "date_of_birth", "unit_id", "match", "message", "subject", "subject_label",
               "score", "outcome", "reason", "findings", "candidates")


def _safe(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(results: Iterable[ScreenRow]) -> str:
    """The screening results as CSV, one row per input row, candidates in one cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        item = result.as_dict()
        item["candidates"] = "; ".join(f"{c['label']} <{c['iri']}> {c['score']}: {', '.join(c['reasons'])}" for c in item["candidates"])
        writer.writerow([_safe(item[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()


def iter_vetted(results: Iterable[ScreenRow]) -> Iterator[FindingSet]:
    """Each distinct vetting of a screening, for the audit trail."""
    seen: set[str] = set()
    for result in results:
        if result.vetting is not None and result.vetting.subject not in seen:
            seen.add(result.vetting.subject)
            yield result.vetting


__all__ = [
    "Candidate",
    "NameIndex",
    "ScreenInput",
    "ScreenRow",
    "ScreeningError",
    "acronym",
    "fold",
    "index_for",
    "iter_vetted",
    "key",
    "match",
    "parse_csv",
    "screen",
    "to_csv",
]
