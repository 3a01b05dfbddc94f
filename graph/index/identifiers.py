"""Naming subjects: wherever a user names an actor, program or incident, an IRI, a short
`kind/slug` form (optionally after `fictional/`, `synthetic/` or `id/`), or an identifier carried as
dcterms:identifier (such as a Security Force Monitor uuid) all work."""

from __future__ import annotations

import pyoxigraph as ox

from graph.index.names import candidate_iris
from graph.query.sparql import Dataset
from graph.store import GraphStore
from queries import catalog

# A placeholder bound when only the identifier branch should match.
_NOTHING = ox.NamedNode("urn:actorgraph:no-such-subject")


class UnknownSubject(LookupError):
    """No subject with that IRI or identifier exists in the graphs the caller may see."""

    def __init__(self, name: str) -> None:
        super().__init__(f"no subject named {name!r} (tried it as an IRI, as kind/slug, and as an identifier)")
        self.name = name


class AmbiguousSubject(LookupError):
    """Several subjects carry that identifier."""


def _candidates(name: str) -> list[ox.NamedNode]:
    nodes = []
    for iri in candidate_iris(name):
        try:
            nodes.append(ox.NamedNode(iri))
        except ValueError:
            pass
    return nodes


def resolve(store: GraphStore, dataset: Dataset, name: str) -> ox.NamedNode:
    """The IRI of the subject called `name`, seen through `dataset`."""
    name = name.strip()
    graphs = list(dataset.graphs)
    query = catalog.text("lookup/subject")
    for candidate in _candidates(name):
        rows = list(store.query(query, substitutions={"iri": candidate, "identifier": ox.Literal("\u0000")}, default_graph=graphs))
        if any(row["subject"] == candidate for row in rows):
            return candidate
    rows = list(store.query(query, substitutions={"iri": _NOTHING, "identifier": ox.Literal(name)}, default_graph=graphs))
    subjects = {row["subject"] for row in rows if row["subject"] is not None and row["subject"] != _NOTHING}
    if len(subjects) > 1:
        raise AmbiguousSubject(f"identifier {name!r} names several subjects: {', '.join(s.value for s in subjects)}")
    if subjects:
        return next(iter(subjects))
    raise UnknownSubject(name)
