"""What the graph holds: counts by class, by named graph, and of relation nodes by type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.ingest import registry
from graph.store import GraphStore, rdf
from ontology.namespaces import AG, INFERRED_GRAPH, META_GRAPH, ONTOLOGY_GRAPH
from queries import catalog


@dataclass(frozen=True)
class Count:
    iri: str
    label: str
    count: int


@dataclass(frozen=True)
class GraphCount:
    name: str
    iri: str
    triples: int
    restricted: bool
    system: bool


@dataclass(frozen=True)
class Statistics:
    totals: list[Count]
    classes: list[Count]
    relations: list[Count]
    graphs: list[GraphCount]

    def as_dict(self) -> dict[str, object]:
        return {
            "totals": {c.label: c.count for c in self.totals},
            "classes": [c.__dict__ for c in self.classes],
            "relations": [c.__dict__ for c in self.relations],
            "graphs": [g.__dict__ for g in self.graphs],
        }


def _counts(store: GraphStore, query: str, graphs: list[rdf.NamedNode], key: str) -> list[Count]:
    rows = store.select(catalog.text(query), default_graph=graphs)
    result = []
    for row in rows:
        iri = row[key].value
        label = row["label"].value if row["label"] is not None else iri.removeprefix(AG)
        result.append(Count(iri, label, int(row["count"].value)))
    return result


def statistics(store: GraphStore, visible: Sequence[rdf.NamedNode] | None = None) -> Statistics:
    """Counts over the graphs a caller may see (`visible`, e.g. a Dataset's graphs), or over every
    registered graph for the command line. Graphs outside `visible` are neither counted nor
    listed, so a reader learns nothing about restricted graphs, not even their names."""
    ontology = rdf.NamedNode(ONTOLOGY_GRAPH)
    infos = registry.registered_graphs(store)
    if visible is not None:
        allowed = set(visible)
        infos = [i for i in infos if i.graph in allowed]
    data_graphs = [i.graph for i in infos if i.graph != ontology]
    scope = [*data_graphs, ontology]
    graphs = [
        GraphCount(i.name, i.graph.value, store.graph_size(i.graph), i.restricted, i.graph == ontology)
        for i in infos
    ]
    if visible is None:
        for system in (INFERRED_GRAPH, META_GRAPH):
            if not any(g.iri == system for g in graphs):
                node = rdf.NamedNode(system)
                graphs.append(GraphCount(registry.graph_name(node), system, store.graph_size(node), False, True))
    return Statistics(
        totals=_counts(store, "stats/totals", scope, "kind"),
        classes=_counts(store, "stats/by_class", scope, "class"),
        relations=_counts(store, "stats/relations_by_type", scope, "class"),
        graphs=graphs,
    )
