"""Assembling graph views from what the graph layer answers: ego networks and paths
(graph.tracing), and the results of library or posted queries.

The graph questions are answered elsewhere; this module only decides which nodes and edges a view
shows, and api.web.views.graph_view how they look.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from api.web.views import safety
from api.web.views.graph_view import DEFAULT_NODE_LIMIT, Assembler, GraphView
from graph.index.names import local_name
from graph.index.subjects import SubjectIndex
from graph.tracing.network import Network
from graph.tracing.paths import Paths
from graph.tracing.refs import NodeRef, node_ref


def from_network(
    network: Network,
    index: SubjectIndex,
    *,
    kind: str = "actor",
    outcomes: Mapping[str, str] | None = None,
    edge_notes: Mapping[str, str] | None = None,
) -> GraphView:
    """An ego network (graph.tracing.network) as a view; nodes carry their distance from the centre.
    `edge_notes` adds a word to some edges' labels (a program role: "Partnership (trainer)")."""
    build = Assembler(index, outcomes)
    hops = _hops(network)
    center_ref = next((n for n in network.nodes if n.id == network.center), None)
    for ref in network.nodes:
        build.node(ref, hop=hops.get(ref.id))
    notes = edge_notes or {}
    for edge in network.edges:
        build.edge(edge, notes.get(edge.id))
    title = center_ref.label if center_ref else local_name(network.center)
    notice = None
    if network.truncated:
        notice = (
            f"This network has more than {network.max_nodes} nodes; the {network.max_nodes} nearest are shown. "
            "Narrow it down: a smaller depth, a date, or fewer relation types."
        )
    view = GraphView(
        title=title,
        kind=kind,
        nodes=[],
        edges=[],
        center=safety.text(network.center, limit=2000),
        depth=network.depth,
        at=network.at.isoformat() if network.at else None,
        truncated=network.truncated,
        node_limit=network.max_nodes,
        notice=notice,
        pinned=[safety.text(network.center, limit=2000)],
    )
    return build.finish(view)


def _hops(network: Network) -> dict[str, int]:
    """Each node's distance from the centre over the network's edges (breadth first)."""
    around: dict[str, list[str]] = {}
    for edge in network.edges:
        around.setdefault(edge.source, []).append(edge.target)
        around.setdefault(edge.target, []).append(edge.source)
    hops = {network.center: 0}
    ring = [network.center]
    while ring:
        nxt = []
        for node in ring:
            for other in around.get(node, ()):
                if other not in hops:
                    hops[other] = hops[node] + 1
                    nxt.append(other)
        ring = nxt
    return hops


def from_paths(found: Paths, index: SubjectIndex) -> GraphView:
    """The shortest paths between two subjects, every path's nodes and relations in one view."""
    build = Assembler(index)
    refs = {ref.id: ref for ref in found.nodes}
    for ref in found.nodes:
        build.node(ref)
    for path in found.paths:
        for hop in path.hops:
            for end in (hop.relation.source, hop.relation.target):
                if end not in refs:
                    refs[end] = node_ref(index, end)
                    build.node(refs[end])
            build.edge(hop.relation)
    source = refs.get(found.source)
    target = refs.get(found.target)
    title = f"{source.label if source else found.source} → {target.label if target else found.target}"
    if found.length is None:
        notice = f"No path of at most {found.max_hops} relations links these two."
    elif found.truncated:
        notice = f"More than {len(found.paths)} shortest paths exist; the first {len(found.paths)} are shown."
    else:
        notice = None
    view = GraphView(
        title=title,
        kind="paths",
        nodes=[],
        edges=[],
        at=found.at.isoformat() if found.at else None,
        truncated=found.truncated,
        notice=notice,
        pinned=[safety.text(found.source, limit=2000), safety.text(found.target, limit=2000)],
    )
    return build.finish(view)


@dataclass(frozen=True)
class Triple:
    """A statement of a CONSTRUCT result: IRIs as strings; `literal` says the object is a value."""

    subject: str
    predicate: str
    object: str
    literal: bool


def from_triples(title: str, triples: Sequence[Triple], index: SubjectIndex, *, node_limit: int = DEFAULT_NODE_LIMIT) -> GraphView:
    """A CONSTRUCT result as a graph: IRIs are nodes, links between IRIs are edges labelled with
    the predicate; literals stay out of the drawing (they would swamp it) and the node's label
    comes from the subject index or an rdfs:label in the result."""
    labels = {t.subject: t.object for t in triples if t.literal and t.predicate.endswith(("#label", "/name"))}
    build = Assembler(index)
    seen: set[str] = set()
    truncated = False

    def add(iri: str) -> str | None:
        nonlocal truncated
        if iri not in seen and len(seen) >= node_limit:
            truncated = True
            return None
        seen.add(iri)
        ref = node_ref(index, iri)
        if ref.label == local_name(iri) and iri in labels:
            ref = NodeRef(iri, labels[iri], ref.types, ref.kind)
        return build.node(ref)

    for triple in triples:
        if triple.literal or triple.predicate.endswith("#type"):
            continue
        source, target = add(triple.subject), add(triple.object)
        if source and target:
            build.plain_edge(source, target, index.terms.label(triple.predicate), f"{triple.subject} {triple.predicate} {triple.object}")
    for triple in triples:  # subjects that only carry literals still deserve a node
        if triple.literal:
            add(triple.subject)
    notice = f"The result has more than {node_limit} nodes; the first {node_limit} are shown. Narrow the query down." if truncated else None
    view = GraphView(title=title, kind="query", nodes=[], edges=[], truncated=truncated, node_limit=node_limit, notice=notice)
    view = build.finish(view)
    view.pinned = [n["id"] for n in view.nodes]
    return view


def from_rows(
    title: str,
    variables: Sequence[str],
    rows: Iterable[Mapping[str, str | None]],
    iri_variables: set[str],
    index: SubjectIndex,
    *,
    node_limit: int = DEFAULT_NODE_LIMIT,
) -> GraphView:
    """A SELECT result as a graph: in each row, every IRI cell is a node, and consecutive IRI
    cells (in the order of the SELECT clause) are linked by an edge named after their two
    variables. A query that selects ?unit ?commander ?incident thus draws unit–commander–incident
    chains, which is how the library's queries are written."""
    build = Assembler(index)
    seen: set[str] = set()
    truncated = False
    columns = [v for v in variables if v in iri_variables]
    for row in rows:
        chain: list[tuple[str, str]] = []
        for var in columns:
            iri = row.get(var)
            if not iri:
                continue
            if iri not in seen and len(seen) >= node_limit:
                truncated = True
                continue
            seen.add(iri)
            chain.append((var, build.node(node_ref(index, iri))))
        for (var_a, a), (var_b, b) in itertools.pairwise(chain):
            if a != b:
                build.plain_edge(a, b, f"{var_a} → {var_b}", f"{a} {var_a} {var_b} {b}")
    notice = f"The result has more than {node_limit} nodes; the first {node_limit} are shown. Narrow the query down." if truncated else None
    view = GraphView(title=title, kind="query", nodes=[], edges=[], truncated=truncated, node_limit=node_limit, notice=notice)
    view = build.finish(view)
    view.pinned = [n["id"] for n in view.nodes]
    return view
