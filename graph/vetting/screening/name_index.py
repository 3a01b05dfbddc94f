"""The screening name index: every name, ag:name and ag:alias of every actor as a comparison key,
built once per data version and dataset, with the blocks (persons or organizations, per country) a
row is searched in."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from graph.index.cache import cached
from graph.index.names import fold
from graph.query.sparql import Dataset, dataset_for, run_query
from graph.store import GraphStore
from graph.vetting import audit
from graph.vetting.screening.keys import acronym, key, spellings
from queries import catalog


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
    birth_dates: list[str] = field(default_factory=list)  # exact: YYYY-MM-DD or YYYY
    birth_years: set[int] = field(default_factory=set)  # approximate, or each year of a range
    nationalities: list[str] = field(default_factory=list)  # as the source names the country
    is_state: bool = False

    @property
    def birth_date(self) -> str | None:
        """The first exact date of birth on record."""
        return self.birth_dates[0] if self.birth_dates else None


@dataclass
class NameIndex:
    """Normalized names of every actor, blocked by kind and country for fast search."""

    actors: dict[str, Actor] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    blocks: dict[tuple[str, str | None], tuple[list[str], list[Entry]]] = field(default_factory=dict)
    acronyms: dict[str, set[str]] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)  # folded name, alias or code -> state IRI
    person_words: dict[str, set[int]] = field(default_factory=dict)  # word of a person's key -> entries

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
                actor.birth_dates.append(value[:10])
            elif fieldname == "birthYear" and value[:4].isdigit():
                actor.birth_years.add(int(value[:4]))
            elif fieldname == "nationality":
                actor.nationalities.append(value)
            elif fieldname == "code":
                index.countries[fold(value)] = iri
            else:
                if fieldname == "label" and not actor.label:
                    actor.label = value
                names.append((iri, fieldname, value))
        by_key: dict[tuple[str, str], Entry] = {}
        written: set[tuple[str, str]] = set()
        # Sorted: which field a repeated name is kept under must not follow the store's row order.
        for iri, fieldname, value in sorted(names):
            if (iri, value) in written:
                continue  # ag:name usually repeats rdfs:label: one key computation is enough
            written.add((iri, value))
            actor = index.actors[iri]
            person = actor.kind == "person"
            keys = spellings(value, person=person)
            if not keys:
                continue
            for k in keys:
                entry = by_key.get((iri, k))
                if entry is not None:
                    if (fieldname, value) not in entry.forms:
                        entry.forms.append((fieldname, value))
                    continue
                entry = by_key[(iri, k)] = Entry(iri, k, [(fieldname, value)])
                index.entries.append(entry)
            k = keys[0]
            if not person:
                short = acronym(value)
                if short and len(short) >= 2:
                    index.acronyms.setdefault(short, set()).add(iri)
                if fieldname == "alias" and " " not in value.strip() and value.strip().isupper():
                    index.acronyms.setdefault(fold(value.strip()), set()).add(iri)
            if actor.is_state:
                index.countries.setdefault(fold(value), iri)
                index.countries.setdefault(k, iri)
        for position, entry in enumerate(index.entries):
            actor = index.actors[entry.actor]
            if actor.kind == "person":
                for word in set(entry.key.split()):
                    index.person_words.setdefault(word, set()).add(position)
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


def name_index(store: GraphStore, dataset: Dataset, version_digest: str) -> NameIndex:
    """The name index of this dataset at this data version (the import records in force), built on
    first use and cached with the other indexes of the store; a new one replaces the last."""
    state = (tuple(g.value for g in dataset.graphs), version_digest)
    return cached(store, "screening-names", state, lambda: NameIndex.build(store, dataset), keep=1)  # large: one at a time


def warm(store: GraphStore) -> None:
    """Build the name index of the analysts' dataset at the current data version, so that the first
    vetting (analysts and above) or screening after a write does not pay for it. Only that dataset:
    the cache keeps one name index at a time, and a second would push the first out."""
    dataset = dataset_for(store, include_restricted=True)
    name_index(store, dataset, audit.data_version(store, dataset).digest)
