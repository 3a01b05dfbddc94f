"""The subject index: finding actors by name fast, and labelling what tracing returns.

Why an index and not SPARQL: a case- and accent-insensitive, ranked, fuzzy name search has to look
at every name. Done in SPARQL (`FILTER(CONTAINS(LCASE(...)))` over ~100k names) it scans the
store on every request and still cannot ignore accents or rank by similarity. Here one query
(`queries/tracing/subjects.rq`) reads the names, types, facets and dates of every actor, program,
incident and source once; searching is then dictionary and bisect look-ups plus one rapidfuzz
pass. `graph.index.cache` builds one per dataset and rebuilds it when a graph changes.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from graph.errors import InvalidValueError
from graph.index.matching import LengthBuckets, intersect
from graph.index.names import candidate_iris, local_name, normalize
from graph.index.terms import Terms
from ontology.namespaces import AG, DCTERMS, RDF, RDFS, SCHEMA

NAME_FIELDS = {RDFS + "label": 0, AG + "name": 1, AG + "alias": 2}
_SINGLE = {
    AG + "country": "country",
    AG + "countryCode": "country_code",
    AG + "level": "level",
    AG + "sector": "sector",
    AG + "location": "location",
    AG + "startDate": "start",
    AG + "endDate": "end",
    DCTERMS + "title": "title",
    DCTERMS + "publisher": "publisher",
    DCTERMS + "issued": "issued",
    SCHEMA + "url": "url",
    AG + "startPrecision": "start_precision",
    AG + "endPrecision": "end_precision",
    AG + "ongoing": "ongoing",
}
_PRECISION = frozenset({AG + "startPrecision", AG + "endPrecision"})
_COARSENESS = {"MonthPrecision": 1, "YearPrecision": 2}  # by the IRI's local name; anything else: the day
_TYPE = RDF + "type"
# The properties queries/tracing/subjects.rq reads, in the order of the numbers it gives them.
FIELDS = (_TYPE, *NAME_FIELDS, *_SINGLE)

MATCH_TIERS = {4: "exact", 3: "prefix", 2: "token", 1: "fuzzy"}
MIN_PREFIX = 3  # a query's last token matches word prefixes from this length on (search as you type)


def _coarseness(precision: str | None) -> int:
    return _COARSENESS.get(local_name(precision), 0) if precision else -1


@dataclass
class Subject:
    """An actor, program, incident or source as the index knows it."""

    iri: str
    label: str = ""
    kind: str = "other"
    types: tuple[str, ...] = ()
    names: list[str] = field(default_factory=list)  # rdfs:label and ag:name values, distinct
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    country_code: str | None = None
    level: str | None = None
    sector: str | None = None
    location: str | None = None
    start: str | None = None
    end: str | None = None
    # As recorded: the ag:startPrecision / ag:endPrecision IRI (None: the day; graph.vetting.dates
    # reads them), and ag:ongoing's lexical form. A start given as "2010" is stored 2010-01-01.
    start_precision: str | None = None
    end_precision: str | None = None
    ongoing: str | None = None
    title: str | None = None
    publisher: str | None = None
    issued: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Hit:
    """One actor found by a search: how it matched and on which of its names."""

    subject: Subject
    match: str
    score: float
    matched_name: str


@dataclass(frozen=True)
class SearchPage:
    total: int
    hits: list[Hit]


class UnknownFilter(InvalidValueError, ValueError):
    """A filter value (type, country, level, sector) names nothing known; says which parameter."""

    def __init__(self, parameter: str, value: str, hint: str) -> None:
        super().__init__(f"{parameter}={value!r}: {hint}")
        self.parameter, self.value, self.hint = parameter, value, hint


class SubjectIndex:
    """Names, types, facets and dates of every actor, program, incident and source of a dataset."""

    def __init__(self, rows: Iterable[tuple[str, str, str]], terms: Terms) -> None:
        self.terms = terms
        subjects: dict[str, Subject] = {}
        types: dict[str, list[str]] = defaultdict(list)
        for iri, prop, value in rows:
            subject = subjects.get(iri)
            if subject is None:
                subject = subjects[iri] = Subject(iri)
            if prop == _TYPE:
                types[iri].append(value)
            elif prop in NAME_FIELDS:
                target = subject.aliases if NAME_FIELDS[prop] == 2 else subject.names
                if value not in target:
                    target.append(value)
                if NAME_FIELDS[prop] == 0 and (not subject.label or value < subject.label):
                    subject.label = value  # rdfs:label is the display name (DESIGN: same as ag:name)
            elif prop in _PRECISION:
                # Two precisions for one date (two imports disagree) keep the coarser, so a date
                # is never said more precisely than some source gave it.
                attr = _SINGLE[prop]
                if _coarseness(value) > _coarseness(getattr(subject, attr)):
                    setattr(subject, attr, value)
            elif prop in _SINGLE:
                attr = _SINGLE[prop]
                current = getattr(subject, attr)
                # Several values (two start dates, two countries) are rare; keep one deterministically
                # (the earliest date; "false" before "true" for ongoing, so no link reads as current
                # when one source says it is not).
                if current is None or value < current:
                    setattr(subject, attr, value)
        kinds: dict[tuple[str, ...], str] = {}  # most subjects share a handful of type sets
        for iri, subject in subjects.items():
            subject.types = tuple(sorted(set(types[iri])))
            kind = kinds.get(subject.types)
            if kind is None:
                kind = kinds[subject.types] = terms.kind(subject.types)
            subject.kind = kind
            subject.names.sort()
            subject.aliases = [alias for alias in subject.aliases if alias not in subject.names]
            if not subject.label:
                subject.label = subject.names[0] if subject.names else (subject.title or local_name(iri))
        self._subjects = subjects
        self._build_actor_indexes()

    # -- construction -------------------------------------------------------------------------

    def _build_actor_indexes(self) -> None:
        normalized: dict[str, str] = {}  # each distinct name normalized once (label == ag:name, mostly)

        def norm(text: str) -> str:
            found = normalized.get(text)
            if found is None:
                found = normalized[text] = normalize(text)
            return found

        actors = [s for s in self._subjects.values() if s.kind == "actor"]
        actors.sort(key=lambda s: (norm(s.label), s.iri))
        self._actors = actors
        # Unique normalized names, each with the actors (and which field) that carry it.
        name_ids: dict[str, int] = {}
        postings: list[list[tuple[int, int, str]]] = []
        for position, subject in enumerate(actors):
            candidates = [(name, 0 if name == subject.label else 1) for name in subject.names]
            candidates += [(alias, 2) for alias in subject.aliases]
            for original, field_rank in candidates:
                key = norm(original)
                if not key:
                    continue
                name_id = name_ids.get(key)
                if name_id is None:
                    name_id = name_ids[key] = len(postings)
                    postings.append([])
                postings[name_id].append((position, field_rank, original))
        self._names = list(name_ids)  # name_id -> normalized name
        self._exact = name_ids
        self._postings = postings
        self._sorted_names = sorted((name, name_id) for name, name_id in name_ids.items())
        self._sorted_keys = [name for name, _ in self._sorted_names]
        tokens: dict[str, set[int]] = defaultdict(set)
        for name, name_id in name_ids.items():
            for token in name.split():
                tokens[token].add(name_id)
        self._tokens = dict(tokens)
        self._vocabulary = sorted(tokens)
        # Fuzzy passes only look at names (and words) of a compatible length; see _by_length.
        self._names_by_length = LengthBuckets(self._names)
        self._words_by_length = LengthBuckets(self._vocabulary)
        # Facets: value -> actor positions, so a filter is a set intersection.
        self._by_type: dict[str, set[int]] = defaultdict(set)
        countries: dict[str, set[int]] = defaultdict(set)
        levels: dict[str, set[int]] = defaultdict(set)
        sectors: dict[str, set[int]] = defaultdict(set)
        for position, subject in enumerate(actors):
            for cls in subject.types:
                self._by_type[cls].add(position)
            if subject.country is not None:
                countries[subject.country].add(position)
            if subject.level is not None:
                levels[subject.level].add(position)
            if subject.sector is not None:
                sectors[subject.sector].add(position)
        self._by_facet = {"country": countries, "level": levels, "sector": sectors}

    # -- look-ups -----------------------------------------------------------------------------

    def get(self, iri: str) -> Subject | None:
        return self._subjects.get(iri)

    def label(self, iri: str) -> str:
        """The display label of a subject, or of an ontology term, or the IRI's local name."""
        subject = self._subjects.get(iri)
        return subject.label if subject is not None else self.terms.label(iri)

    def of_kind(self, kind: str) -> list[Subject]:
        """Every subject of one kind, sorted by label."""
        found = [s for s in self._subjects.values() if s.kind == kind]
        found.sort(key=lambda s: (normalize(s.label), s.iri))
        return found

    @property
    def actor_count(self) -> int:
        return len(self._actors)

    @property
    def name_count(self) -> int:
        return len(self._names)

    # -- filters ------------------------------------------------------------------------------

    def _type_filter(self, value: str) -> set[int]:
        cls = self.terms.resolve_class(value)
        if cls is None:
            raise UnknownFilter("type", value, "no such class; give a class short name such as MilitaryUnit, or its IRI")
        if not self.terms.is_a(cls, AG + "Actor"):
            raise UnknownFilter("type", value, f"{local_name(cls)} is not a kind of actor")
        found: set[int] = set()
        for sub in self.terms.descendants(cls):
            found |= self._by_type.get(sub, set())
        return found

    def _country_filter(self, value: str) -> set[int]:
        countries = self._by_facet["country"]
        wanted = value.strip()
        for iri in candidate_iris(wanted):
            if iri in countries:
                return countries[iri]
        key = normalize(wanted)
        for iri in countries:
            state = self._subjects.get(iri)
            if state is None:
                continue
            keys = {normalize(n) for n in state.names + state.aliases}
            if (state.country_code and state.country_code.casefold() == wanted.casefold()) or key in keys:
                return countries[iri]
        raise UnknownFilter("country", value, "no actor has that country; give a state's IRI, kind/slug, country code or name")

    def _concept_filter(self, facet: str, value: str) -> set[int]:
        values = self._by_facet[facet]
        wanted = value.strip()
        if wanted.startswith("ag:"):
            wanted = AG + wanted[3:]
        key = normalize(wanted)
        suffix = facet.capitalize()  # LocalLevel -> Local, SecuritySector -> Security
        for iri, positions in values.items():
            short = local_name(iri)
            keys = {normalize(short), normalize(self.terms.label(iri))}
            if short.endswith(suffix):
                keys.add(normalize(short[: -len(suffix)]))
            if wanted == iri or key in keys:
                return positions
        known = ", ".join(sorted(normalize(self.terms.label(iri)) for iri in values))
        raise UnknownFilter(facet, value, f"unknown {facet}; known values are: {known}")

    def _allowed(self, type_: str | None, country: str | None, level: str | None, sector: str | None) -> set[int] | None:
        sets = []
        if type_:
            sets.append(self._type_filter(type_))
        if country:
            sets.append(self._country_filter(country))
        if level:
            sets.append(self._concept_filter("level", level))
        if sector:
            sets.append(self._concept_filter("sector", sector))
        if not sets:
            return None
        sets.sort(key=len)
        allowed = set(sets[0])
        for other in sets[1:]:
            allowed &= other
        return allowed

    # -- search -------------------------------------------------------------------------------

    def search(
        self,
        q: str | None,
        *,
        type_: str | None = None,
        country: str | None = None,
        level: str | None = None,
        sector: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        """Actors whose label, name or alias matches `q`, best first: exact name, then names that
        start with the query, then names that contain every query word, then fuzzy matches.
        Without `q`, every actor that passes the filters, by label. Raises UnknownFilter."""
        allowed = self._allowed(type_, country, level, sector)
        query = normalize(q or "")
        if not query:
            positions = range(len(self._actors)) if allowed is None else sorted(allowed)
            total = len(positions)
            page = [self._actors[p] for p in positions[offset : offset + limit]]
            return SearchPage(total, [Hit(s, "all", 0.0, s.label) for s in page])
        best: dict[int, tuple[int, float, int, str]] = {}

        def offer(name_id: int, tier: int, score: float) -> None:
            for position, field_rank, original in self._postings[name_id]:
                if allowed is not None and position not in allowed:
                    continue
                current = best.get(position)
                candidate = (tier, score, -field_rank, original)
                if current is None or candidate[:3] > current[:3]:
                    best[position] = candidate

        for name_id, tier, score in self._matches(query):
            offer(name_id, tier, score)
        ordered = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], -item[1][2], item[0]))
        hits = [
            Hit(self._actors[position], MATCH_TIERS[tier], round(score, 1), original)
            for position, (tier, score, _, original) in ordered[offset : offset + limit]
        ]
        return SearchPage(len(ordered), hits)

    def _matches(self, query: str) -> Iterable[tuple[int, int, float]]:
        """(name_id, tier, score) for every name that matches, in any tier; callers keep the best."""
        exact = self._exact.get(query)
        if exact is not None:
            yield exact, 4, 100.0
        start = bisect.bisect_left(self._sorted_keys, query)
        for name, name_id in self._sorted_names[start:]:
            if not name.startswith(query):
                break
            yield name_id, 3, 100.0 * len(query) / len(name)
        words = query.split()
        token_hits = self._names_with_words(words)
        for name_id in token_hits:
            yield name_id, 2, fuzz.ratio(query, self._names[name_id])
        for name_id, score in self._names_by_length.fuzzy(query):
            yield name_id, 1, score
        for name_id, score in self._fuzzy_words(words):
            yield name_id, 1, score

    def _word_postings(self, word: str, *, prefix: bool) -> set[int]:
        if not prefix or len(word) < MIN_PREFIX:
            return self._tokens.get(word, set())
        found: set[int] = set()
        start = bisect.bisect_left(self._vocabulary, word)
        for token in self._vocabulary[start:]:
            if not token.startswith(word):
                break
            found |= self._tokens[token]
        return found

    def _names_with_words(self, words: Sequence[str]) -> set[int]:
        """Names that contain every query word as a word (the last one may be a word's prefix)."""
        sets = [self._word_postings(word, prefix=i == len(words) - 1) for i, word in enumerate(words)]
        return intersect(sets)

    def _fuzzy_words(self, words: Sequence[str]) -> Iterable[tuple[int, float]]:
        """Names each of whose query words is close to one of the name's words ("Vantesi" finds
        "Aurel Vantessi"). Short words must match exactly: fuzzy two-letter words match anything."""
        per_word: list[dict[int, float]] = []
        for word in words:
            scores: dict[int, float] = {}
            if len(word) < 4:
                for name_id in self._tokens.get(word, ()):
                    scores[name_id] = 100.0
            else:
                for token_id, score in self._words_by_length.fuzzy(word):
                    for name_id in self._tokens[self._vocabulary[token_id]]:
                        if score > scores.get(name_id, 0.0):
                            scores[name_id] = score
            if not scores:
                return
            per_word.append(scores)
        per_word.sort(key=len)
        for name_id in intersect([set(s) for s in per_word]):
            yield name_id, sum(s[name_id] for s in per_word) / len(per_word)
