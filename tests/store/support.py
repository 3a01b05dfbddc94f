"""Small builders shared by the contract tests."""

from __future__ import annotations

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
