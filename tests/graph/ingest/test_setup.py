"""Initializing a store, and keeping links derived from restricted data out of public graphs."""

from __future__ import annotations

import pyoxigraph as ox

from graph.ingest import derivation, loader, registry, setup
from graph.store import EmbeddedStore
from ontology.namespaces import AG, INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH
from tests.conftest import FIXTURES

SUB_ORGANIZATION_OF = ox.NamedNode(AG + "subOrganizationOf")


def links(store: EmbeddedStore, graph: str) -> set[tuple[str, str]]:
    return {
        (q.subject.value.rsplit("/", 1)[-1], q.object.value.rsplit("/", 1)[-1])
        for q in store.quads(ox.NamedNode(graph))
        if q.predicate == SUB_ORGANIZATION_OF
    }


def data_sizes(store: EmbeddedStore) -> dict[str, int]:
    return {i.name: store.graph_size(i.graph) for i in registry.registered_graphs(store)}


def test_init_is_idempotent_and_force_reloads(store: EmbeddedStore) -> None:
    first = setup.init_store(store, demo=True)
    assert not first.skipped and len(first.loads) == 3
    size, sizes = store.size(), data_sizes(store)
    second = setup.init_store(store, demo=True)
    assert second.skipped and store.size() == size
    third = setup.init_store(store, demo=True, force=True)
    # The data is the same; only the meta graph grows, keeping the earlier import records as history.
    assert not third.skipped and data_sizes(store) == sizes
    assert len(registry.registered_graphs(store)) == len(sizes)


def test_links_from_restricted_graphs_stay_restricted(ontology_store: EmbeddedStore) -> None:
    loader.load_file(ontology_store, FIXTURES / "valid_relation.ttl", graph="secret", restricted=True)
    derivation.reason(ontology_store)

    expected = ("unit-first-brigade", "unit-north-division")
    assert expected not in links(ontology_store, INFERRED_GRAPH)
    assert expected in links(ontology_store, INFERRED_RESTRICTED_GRAPH)
    infos = {i.name: i for i in registry.registered_graphs(ontology_store)}
    assert infos["inferred-restricted"].restricted is True
    assert infos["inferred"].restricted is False

    # Once the graph is public, the link is public and the restricted inferred graph goes away.
    registry.set_restricted(ontology_store, ox.NamedNode(infos["secret"].graph.value), False)
    derivation.reason(ontology_store)
    assert expected in links(ontology_store, INFERRED_GRAPH)
    assert not registry.is_registered(ontology_store, ox.NamedNode(INFERRED_RESTRICTED_GRAPH))
