"""Naming what to trace: a subject given as IRI, kind/slug or identifier, and of the kind asked for."""

from __future__ import annotations

from graph.index import identifiers
from graph.index.subjects import SubjectIndex
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing.errors import BadParameter, NotFound


def resolve(store: GraphStore, dataset: Dataset, name: str, *, what: str = "subject") -> str:
    """The IRI of the subject called `name`: an IRI, a kind/slug (optionally after fictional/ or
    synthetic/), or a dcterms:identifier."""
    try:
        return identifiers.resolve(store, dataset, name).value
    except identifiers.UnknownSubject:
        raise NotFound(f"no {what} named {name!r} (tried it as an IRI, as kind/slug and as an identifier)") from None
    except identifiers.AmbiguousSubject as error:
        raise BadParameter("id", str(error)) from None


def resolve_kind(
    store: GraphStore, dataset: Dataset, index: SubjectIndex, name: str, kinds: tuple[str, ...] = ("actor",)
) -> str:
    """Like `resolve`, and the subject must be of one of `kinds` (actor, program, incident)."""
    what = " or ".join(kinds) if len(kinds) < 3 else ", ".join(kinds[:-1]) + " or " + kinds[-1]
    iri = resolve(store, dataset, name, what=what)
    subject = index.get(iri)
    if subject is None or subject.kind not in kinds:
        if subject is not None and subject.kind != "other":
            raise NotFound(f"{name!r} names {iri}, which is a {subject.kind}, not {_article(what)} {what}")
        raise NotFound(f"{name!r} names {iri}, which is not {_article(what)} {what}")
    return iri


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
