"""Networks, paths and program neighbourhoods as files other tools open: GraphML (yEd, Gephi),
GEXF (Gephi) and CSV node and edge lists.

The files are written by networkx's own writers, so their XML follows the formats' schemas (a
GraphML key's id is unique in its file; its attr.name is the attribute's name); this module only
decides which attributes a node and an edge carry. A relation's dates (with the precision each
was given to, year, month or day), type, confidence, status and number of sources become edge
attributes; an unknown value is left out
rather than written as an empty string, which Gephi would read as a value.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from graph.index.names import local_name
from graph.index.subjects import SubjectIndex
from graph.tracing.network import Network
from graph.tracing.paths import Paths
from graph.tracing.programs import ProgramDetail
from graph.tracing.refs import EdgeView, NodeRef
from graph.vetting.report import safe_cell

if TYPE_CHECKING:
    import networkx as nx

NODE_COLUMNS = ("id", "label", "types", "kind")
EDGE_COLUMNS = (
    "id", "source", "target", "source_label", "target_label", "type", "label", "role",
    "start", "end", "start_precision", "end_precision", "ongoing", "confidence", "status", "sources", "directed",
)  # fmt: skip


@dataclass(frozen=True)
class ExportFormat:
    """One file format: its name in `?format=`, its media type and the file name's ending."""

    name: str
    media_type: str
    suffix: str


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("graphml", "application/graphml+xml", ".graphml"),
        ExportFormat("gexf", "application/gexf+xml", ".gexf"),
        ExportFormat("csv", "application/zip", ".csv.zip"),  # both lists, nodes.csv and edges.csv
        ExportFormat("nodes-csv", "text/csv; charset=utf-8", ".nodes.csv"),
        ExportFormat("edges-csv", "text/csv; charset=utf-8", ".edges.csv"),
    )
}


@dataclass(frozen=True)
class Exported:
    """A graph as a list of nodes and relations, ready to be written in any of FORMATS."""

    name: str  # what the file is called, without its ending
    nodes: list[NodeRef]
    edges: list[EdgeView]
    at: date | None = None
    roles: Mapping[str, str] | None = None  # relation IRI -> a program role (trainer, beneficiary)

    def graph(self, *, gexf: bool = False) -> nx.MultiDiGraph:
        """The nodes and relations as a networkx multigraph keyed by relation IRI; undirected
        relations keep their stored order and say `directed=False` (a graph of mixed edges would not
        open in every reader). For GEXF, whose writer takes an edge's `id` and `type` from its
        attributes, the relation class moves to `relation_type`; start and end become its time spell."""
        import networkx as nx  # only when a file is written: the command line starts without it

        graph = nx.MultiDiGraph(name=self.name)
        if self.at is not None:
            graph.graph["at"] = self.at.isoformat()
        for node in self.nodes:
            graph.add_node(node.id, **{k: v for k, v in _present(_node_row(node)).items() if k != "id"})
        labels = {n.id: n.label for n in self.nodes}
        for edge in self.edges:
            row = _edge_row(edge, labels, self.roles)
            attributes = {k: v for k, v in _present(row).items() if k not in {"source", "target", "id"}}
            if gexf:
                attributes["relation_type"] = attributes.pop("type")
                attributes["id"] = edge.id
            graph.add_edge(edge.source, edge.target, key=edge.id, **attributes)
        return graph

    def write(self, fmt: str) -> bytes:
        """The file's bytes in `fmt`, one of FORMATS (KeyError otherwise)."""
        import networkx as nx

        chosen = FORMATS[fmt].name
        if chosen == "graphml":
            # Key ids are networkx's own d0, d1, ...: GraphML makes them unique in a document, and
            # naming them after the attribute gave nodes' and edges' "label" the same id. Readers
            # (networkx, yEd, Gephi) name an attribute by its key's attr.name, which stays "label".
            return _xml(nx.generate_graphml(self.graph(), named_key_ids=False, edge_id_from_attribute=None))
        if chosen == "gexf":
            return _xml(nx.generate_gexf(self.graph(gexf=True)))
        nodes, edges = self.node_rows(), self.edge_rows()
        if chosen == "nodes-csv":
            return _csv(NODE_COLUMNS, nodes)
        if chosen == "edges-csv":
            return _csv(EDGE_COLUMNS, edges)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{self.name}.nodes.csv", _csv(NODE_COLUMNS, nodes))
            archive.writestr(f"{self.name}.edges.csv", _csv(EDGE_COLUMNS, edges))
        return buffer.getvalue()

    def node_rows(self) -> list[dict[str, object]]:
        return [_node_row(n) for n in self.nodes]

    def edge_rows(self) -> list[dict[str, object]]:
        labels = {n.id: n.label for n in self.nodes}
        return [_edge_row(e, labels, self.roles) for e in self.edges]


def from_network(network: Network, name: str = "network", roles: Mapping[str, str] | None = None) -> Exported:
    return Exported(name, list(network.nodes), list(network.edges), network.at, roles)


def from_paths(found: Paths, name: str = "paths") -> Exported:
    """Every node and relation on any of the shortest paths, each relation once."""
    edges: dict[str, EdgeView] = {}
    for path in found.paths:
        for hop in path.hops:
            edges.setdefault(hop.relation.id, hop.relation)
    return Exported(name, list(found.nodes), list(edges.values()), found.at)


def program_roles(detail: ProgramDetail) -> dict[str, str]:
    """Each participation relation's finer program role (trainer, beneficiary), by relation IRI."""
    groups = (detail.implementers, detail.funders, detail.partners, detail.targets, detail.participants)
    return {p.id: p.program_role.label for group in groups for p in group if p.program_role is not None}


def file_stem(index: SubjectIndex, first: str, at: date | None = None, second: str | None = None) -> str:
    """What a download is called: the subject's label (and the other end's, for paths) and the date."""
    parts = [_label(index, first)]
    if second is not None:
        parts += ["to", _label(index, second)]
    if at is not None:
        parts.append(at.isoformat())
    return " ".join(parts)


def _label(index: SubjectIndex, iri: str) -> str:
    subject = index.get(iri)
    return subject.label if subject is not None else local_name(iri)


def _node_row(node: NodeRef) -> dict[str, object]:
    return {"id": node.id, "label": node.label, "types": " ".join(node.types), "kind": node.kind}


def _edge_row(edge: EdgeView, labels: Mapping[str, str], roles: Mapping[str, str] | None) -> dict[str, object]:
    return {
        "id": edge.id,
        "source": edge.source,
        "target": edge.target,
        "source_label": labels.get(edge.source, ""),
        "target_label": labels.get(edge.target, ""),
        "type": edge.type,
        "label": edge.label,
        "role": (roles or {}).get(edge.id),
        "start": edge.start,
        "end": edge.end,
        # what start and end were given to: 2010-01-01 at "year" means 2010, not that day
        "start_precision": edge.start_precision if edge.start else None,
        "end_precision": edge.end_precision if edge.end else None,
        "ongoing": edge.ongoing,
        "confidence": edge.confidence,
        "status": edge.status,
        "sources": edge.sources,
        "directed": edge.directed,
    }


def _present(row: Mapping[str, object]) -> dict[str, object]:
    """The attributes that have a value: GraphML and GEXF have no null, and "" would read as one."""
    return {k: v for k, v in row.items() if v is not None and v != ""}


def _xml(lines: Iterable[str]) -> bytes:
    return "\n".join(lines).encode("utf-8")


def _csv(columns: Sequence[str], rows: Sequence[Mapping[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(row.get(k)) for k in columns})
    return buffer.getvalue().encode("utf-8")
