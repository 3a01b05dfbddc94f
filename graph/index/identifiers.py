"""Naming subjects: wherever a user names an actor, program or incident, an IRI, a short
`kind/slug` form (optionally after `fictional/`, `synthetic/` or `id/`), or an identifier carried as
dcterms:identifier (such as a Security Force Monitor uuid) all work."""

from __future__ import annotations

from graph.errors import InvalidValueError, NotFoundError
from graph.index.names import candidate_iris
from graph.query.sparql import Dataset
from graph.store import GraphStore, rdf
from queries import catalog

# A placeholder bound when only the identifier branch should match.
_NOTHING = rdf.NamedNode("urn:actorgraph:no-such-subject")


class UnknownSubject(NotFoundError, LookupError):
    """No subject with that IRI or identifier exists in the graphs the caller may see."""

    def __init__(self, name: str) -> None:
        super().__init__(f"no subject named {name!r} (tried it as an IRI, as kind/slug, and as an identifier)")
        self.name = name


class AmbiguousSubject(InvalidValueError, LookupError):
    """Several subjects carry that identifier."""


def _candidates(name: str) -> list[rdf.NamedNode]:
    nodes = []
    for iri in candidate_iris(name):
        try:
            nodes.append(rdf.NamedNode(iri))
        except ValueError:
            pass
    return nodes


def resolve(store: GraphStore, dataset: Dataset, name: str) -> rdf.NamedNode:
    """The IRI of the subject called `name`, seen through `dataset`."""
    name = name.strip()
    graphs = list(dataset.graphs)
    query = catalog.text("lookup/subject")
    for candidate in _candidates(name):
        rows = list(store.select(query, bindings={"iri": candidate, "identifier": rdf.Literal("\u0000")}, default_graph=graphs))
        if any(row["subject"] == candidate for row in rows):
            return candidate
    rows = list(store.select(query, bindings={"iri": _NOTHING, "identifier": rdf.Literal(name)}, default_graph=graphs))
    subjects = {row["subject"] for row in rows if row["subject"] is not None and row["subject"] != _NOTHING}
    if len(subjects) > 1:
        raise AmbiguousSubject(f"identifier {name!r} names several subjects: {', '.join(s.value for s in subjects)}")
    found = next(iter(subjects), None)
    if isinstance(found, rdf.NamedNode):
        return found
    raise UnknownSubject(name)
