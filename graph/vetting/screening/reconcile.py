"""Reconciliation: the names of a spreadsheet column resolved to ActorGraph actors, as the W3C
Reconciliation Service API (v0.2) asks them, for OpenRefine and its kin.

A reconciliation query is a screening row by another name: a name, perhaps a type (an ActorGraph
class), a country and a date of birth. So it goes through the screening matcher
(graph.vetting.screening.matching) and gets the same scores (0-100), reasons and verdict: a
candidate is `match: true` only when the screening would call the row a confident, unambiguous
match. The type then narrows the candidates to that class and its subclasses, and the verdict is
taken again over what is left, so a confident match of another class never passes as one.

Only the graphs of the caller's dataset are searched: restricted names reach only callers who may
read restricted graphs, as with every other read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.errors import InvalidValueError
from graph.index.cache import index_for
from graph.index.names import NAMESPACE_PREFIXES, local_name
from graph.index.subjects import SubjectIndex
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.vetting.screening.matching import MAX_CANDIDATES, match_all, verdict
from graph.vetting.screening.name_index import name_index
from graph.vetting.screening.rows import Candidate, ScreenInput
from ontology.namespaces import AG, ID

# The properties a query may carry (`pid`), and the screening field each feeds.
PROPERTIES = {"country": "country", "date_of_birth": "date_of_birth", "birthDate": "date_of_birth"}
MAX_QUERIES = 500  # a batch larger than OpenRefine's default (10) by far, small enough to answer in time
MAX_LIMIT = 100


class ReconcileError(InvalidValueError, ValueError):
    """A query batch that does not follow the API; the message names the query key and its field."""


@dataclass(frozen=True)
class ReconcileQuery:
    """One query of a batch, read and checked."""

    query: str
    type: str | None = None
    limit: int = MAX_CANDIDATES
    country: str = ""
    date_of_birth: str = ""


@dataclass
class ReconcileCandidate:
    """One candidate entity: its id in the API (the IRI without ActorGraph's data namespace), its
    name, score, whether it is a confident match, its ActorGraph classes and the score's reasons."""

    id: str
    name: str
    score: float
    match: bool
    types: list[dict[str, str]]
    description: str
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "score": round(self.score, 1), "match": self.match, "type": self.types,
            "description": self.description, "features": [{"id": "screening_score", "value": round(self.score, 1)}],
        }  # fmt: skip


def entity_id(iri: str) -> str:
    """The API id of an entity: its kind/slug (`unit/sfm-…`, `fictional/unit/bn-72`), which every
    ActorGraph route and page accepts and which fits in a URL path; other IRIs stay whole."""
    if iri.startswith(ID):
        return iri.removeprefix(ID)
    for prefix, base in NAMESPACE_PREFIXES.items():
        if iri.startswith(base):
            return prefix + iri.removeprefix(base)
    return iri


def _property_value(key: str, index: int, value: Any) -> str:
    """A property value as OpenRefine sends it: text, a number, an entity ({id, name}), or a list
    of those (the first is used)."""
    if isinstance(value, list):
        if not value:
            raise ReconcileError(f"query {key!r}, properties[{index}].v: an empty list")
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name") or value.get("id")
    if not isinstance(value, str | int | float):  # booleans are ints: the API allows them
        raise ReconcileError(f"query {key!r}, properties[{index}].v: give text, a number or an entity with an id")
    return str(value).strip()


def _one_query(key: str, raw: Any) -> ReconcileQuery:
    if not isinstance(raw, Mapping):
        raise ReconcileError(f"query {key!r}: must be an object with a 'query' field")
    text = raw.get("query", "")  # the API lets a query give only properties: with no name, nothing matches
    if not isinstance(text, str):
        raise ReconcileError(f"query {key!r}, field 'query': must be text (a name)")
    if len(text) > 500:
        raise ReconcileError(f"query {key!r}, field 'query': longer than 500 characters")
    type_ = raw.get("type")
    if isinstance(type_, list) and len(type_) <= 1:  # the API allows a list; ActorGraph's classes nest, so one is enough
        type_ = type_[0] if type_ else None
    if type_ is not None and not isinstance(type_, str):
        raise ReconcileError(f"query {key!r}, field 'type': give one ActorGraph class (such as MilitaryUnit)")
    limit = raw.get("limit", MAX_CANDIDATES)
    if isinstance(limit, float) and limit.is_integer():
        limit = int(limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ReconcileError(f"query {key!r}, field 'limit': must be a whole number from 1 to {MAX_LIMIT}")
    fields: dict[str, str] = {}
    properties = raw.get("properties", [])
    if not isinstance(properties, list):
        raise ReconcileError(f"query {key!r}, field 'properties': must be a list of {{pid, v}} objects")
    for index, prop in enumerate(properties):
        if not isinstance(prop, Mapping) or "pid" not in prop or "v" not in prop:
            raise ReconcileError(f"query {key!r}, properties[{index}]: must be an object with 'pid' and 'v'")
        pid = prop["pid"]
        if pid not in PROPERTIES:
            raise ReconcileError(f"query {key!r}, properties[{index}].pid: {pid!r} is not a property; known: {', '.join(PROPERTIES)}")
        fields[PROPERTIES[pid]] = _property_value(key, index, prop["v"])
    return ReconcileQuery(text.strip(), type_ or None, limit, fields.get("country", ""), fields.get("date_of_birth", ""))


def parse_batch(payload: Any) -> dict[str, ReconcileQuery]:
    """A query batch (`{"q0": {"query": ...}, ...}`), checked; raises ReconcileError naming the query."""
    if not isinstance(payload, Mapping) or not payload:
        raise ReconcileError("queries: must be a JSON object of queries keyed by id, such as {\"q0\": {\"query\": \"7 Mtn Bde\"}}")
    if len(payload) > MAX_QUERIES:
        raise ReconcileError(f"queries: {len(payload)} queries in one batch; at most {MAX_QUERIES}")
    return {str(key): _one_query(str(key), raw) for key, raw in payload.items()}


def _check_type(subjects: SubjectIndex, key: str, type_: str) -> tuple[str, str | None]:
    """The class IRI of a query's type, and the screening block it implies (person, organization
    or either)."""
    terms = subjects.terms
    cls = terms.resolve_class(type_)
    if cls is None or not terms.is_a(cls, AG + "Actor"):
        raise ReconcileError(f"query {key!r}, field 'type': {type_!r} is not an ActorGraph actor class (such as MilitaryUnit or Person)")
    if terms.is_a(cls, AG + "Person"):
        return cls, "person"
    return cls, "organization" if terms.is_a(cls, AG + "Organization") else None


def _of_class(subjects: SubjectIndex, candidate: Candidate, cls: str) -> bool:
    subject = subjects.get(candidate.iri)
    return subject is not None and any(subjects.terms.is_a(t, cls) for t in subject.types)


def _types(subjects: SubjectIndex, iri: str) -> list[dict[str, str]]:
    subject = subjects.get(iri)
    classes = subjects.terms.most_specific(subject.types, within=AG + "Actor") if subject else []
    return [{"id": local_name(cls), "name": subjects.terms.label(cls)} for cls in classes]


def _description(subjects: SubjectIndex, iri: str, types: list[dict[str, str]], reasons: list[str]) -> str:
    subject = subjects.get(iri)
    what = ", ".join(t["name"] for t in types) or "actor"
    where = subjects.label(subject.country) if subject and subject.country else ""
    return f"{what}{' in ' + where if where else ''}. Score: " + "; ".join(reasons)


def reconcile(store: GraphStore, dataset: Dataset, queries: Mapping[str, ReconcileQuery], *, version_digest: str) -> dict[str, list[ReconcileCandidate]]:
    """Candidates for every query of a batch, best first, within the caller's dataset."""
    subjects = index_for(store, dataset)
    classes = {key: _check_type(subjects, key, q.type) if q.type else (None, None) for key, q in queries.items()}
    named = {key: q for key, q in queries.items() if q.query}
    rows = [ScreenInput(0, q.query, classes[key][1] or "", q.country, q.date_of_birth) for key, q in named.items()]
    names = name_index(store, dataset, version_digest)
    out: dict[str, list[ReconcileCandidate]] = {key: [] for key in queries}
    for (key, query), row, result in zip(named.items(), rows, match_all(names, rows, store, dataset)):
        cls = classes[key][0]
        kept = [c for c in result.candidates if cls is None or _of_class(subjects, c, cls)]
        confident = verdict(row, kept, True).status == "match" if kept else False
        found = []
        for position, candidate in enumerate(kept[: query.limit]):
            types = _types(subjects, candidate.iri)
            found.append(ReconcileCandidate(
                id=entity_id(candidate.iri), name=candidate.label, score=candidate.score, match=confident and position == 0,
                types=types, description=_description(subjects, candidate.iri, types, candidate.reasons), reasons=candidate.reasons,
            ))  # fmt: skip
        out[key] = found
    return out
