"""Small builders shared by the contract tests."""

from __future__ import annotations

import pytest

from graph.store import GraphStore, rdf, versioning

G1 = rdf.NamedNode("https://w3id.org/actorgraph/graph/contract-one")
G2 = rdf.NamedNode("https://w3id.org/actorgraph/graph/contract-two")
P = rdf.NamedNode("urn:contract:p")
Q = rdf.NamedNode("urn:contract:q")


def node(name: str) -> rdf.NamedNode:
    return rdf.NamedNode(f"urn:contract:{name}")


def quad(subject: str, value: str, graph: rdf.NamedNode, predicate: rdf.NamedNode = P) -> rdf.Quad:
    return rdf.Quad(node(subject), predicate, rdf.Literal(value), graph)


def data_graphs(store: GraphStore) -> list[rdf.NamedNode]:
    """The named graphs, without the meta graph where every write leaves the store version."""
    return [graph for graph in store.named_graphs() if graph != versioning.META]


def data_size(store: GraphStore) -> int:
    """The number of quads but the store version's (graph.store.versioning)."""
    return versioning.quads_besides_version(store)


# What a backend genuinely cannot do, by backend: each such test is a strict xfail there, so it
# fails the day the engine learns it (README, "Deploying for a team").
CANNOT = {
    "virtuoso": {
        "from-overrides": "Virtuoso lets FROM / FROM NAMED in the text override the protocol's default-graph-uri and named-graph-uri",
        "empty-graphs": "Virtuoso lists only graphs that hold a quad: a graph created empty is not in GRAPH ?g, and ASK { GRAPH <g> { } } is true for any IRI",
        "default-graph": "Virtuoso has no default graph of its own: its default graph is the union of all graphs, so every quad lives in a named graph",
    },
}


def cannot(request: pytest.FixtureRequest, backend: str, what: str) -> None:
    """Mark the running test a strict xfail on a backend that cannot do `what` (CANNOT)."""
    reason = CANNOT.get(backend, {}).get(what)
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
