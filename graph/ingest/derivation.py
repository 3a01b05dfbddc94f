"""The derived links: computing them into the inferred graphs, carrying them over a change the rules
do not read, and telling when they no longer match the data (start-up recovery asks that of every
store it opens, so this module stays clear of the loader and the parsers)."""

from __future__ import annotations

from graph.ingest import inference, registry
from graph.store import GraphStore, failpoints, rdf
from ontology.namespaces import INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH, SYSTEM_GRAPHS


def _register_inferred(store: GraphStore, graph: rdf.NamedNode, *, restricted: bool, data_version: str) -> None:
    now = registry.now()
    record = registry.ImportRecord(
        graph=graph,
        files=(),
        triples=store.graph_size(graph),
        validated=False,
        started=now,
        ended=now,
        importer="rules",
        restricted=restricted,
        data_version=data_version,
    )
    registry.register(store, record)


def reason(store: GraphStore) -> dict[str, int]:
    """Materialize the derived links and register the inferred graphs so queries can read them.

    Links that follow from public data go to the public `inferred` graph. When restricted graphs
    exist, links from all data go to `inferred-restricted`, itself restricted, so a reader never
    sees a link whose evidence they may not see.

    Each inferred graph is registered last, with the data version its links were computed from:
    that record is the commit point, so a run cut short leaves an older version, which
    `derived_links_stale` reports and start-up recovery recomputes."""
    version = registry.versions(store).current
    infos = [i for i in registry.registered_graphs(store) if i.graph.value not in SYSTEM_GRAPHS and i.importer != "rules"]
    public = [i.graph for i in infos if not i.restricted]
    report = inference.materialize(store, source_graphs=public)
    _register_inferred(store, rdf.NamedNode(INFERRED_GRAPH), restricted=False, data_version=version)
    failpoints.reached("reason:public-done")
    restricted_target = rdf.NamedNode(INFERRED_RESTRICTED_GRAPH)
    if any(i.restricted for i in infos):
        inference.materialize(store, source_graphs=[i.graph for i in infos], target=restricted_target)
        _register_inferred(store, restricted_target, restricted=True, data_version=version)
    else:
        if registry.is_registered(store, restricted_target):
            registry.unregister(store, restricted_target)
        store.drop_graph(restricted_target)  # also what an interrupted run left unregistered
    return dict(report.counts)


def carry_derived_links(store: GraphStore, previous_version: str) -> bool:
    """Record the derived links as computed from the current data version without recomputing
    them, for a change that touched nothing the rules read. Only when they were up to date for
    `previous_version` and the inferred graphs needed stay the same; False otherwise (then reason)."""
    versions = registry.versions(store)
    public, restricted = INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH
    if versions.derived_from.get(public) != previous_version:
        return False
    had_restricted = versions.derived_from.get(restricted) == previous_version
    if versions.restricted_data != had_restricted:
        return False  # an inferred-restricted graph must be made, or dropped
    _register_inferred(store, rdf.NamedNode(public), restricted=False, data_version=versions.current)
    if had_restricted:
        _register_inferred(store, rdf.NamedNode(restricted), restricted=True, data_version=versions.current)
    return True


def derived_links_stale(store: GraphStore) -> list[str]:
    """Why the derived links do not match the data, or [] when they do: an inferred graph that is
    missing, was computed from another data version, or should not exist any more."""
    versions = registry.versions(store)
    public, restricted = INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH
    problems = []
    if public not in versions.derived_from:
        if versions.data_graphs:
            problems.append("the inferred graph is not registered")
    elif versions.derived_from[public] != versions.current:
        problems.append("the inferred graph was computed from another data version")
    if versions.restricted_data:
        if versions.derived_from.get(restricted) != versions.current:
            problems.append("the inferred-restricted graph is missing or was computed from another data version")
    elif restricted in versions.derived_from or store.has_graph(rdf.NamedNode(restricted)):
        problems.append("the inferred-restricted graph remains while no graph is restricted")
    return problems
