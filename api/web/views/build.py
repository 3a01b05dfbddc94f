"""Assembling graph views: nodes and edges, escaped and styled, ready for the page's vis-network.

The graph questions are answered elsewhere (graph.tracing.network and graph.tracing.paths for ego networks and paths, the query
library for query views); this module only decides how their answers look. Nodes and edges are
collected through pyvis's `Network`, so the dictionaries have the shape vis-network expects, but
pyvis's own HTML template is never used: it loads vis-network from a CDN and writes node titles
into the page as HTML. Our template (templates/graph_view.html) loads the local copy instead.

Every string is escaped with api.web.views.safety.text before it is handed to pyvis; ids too (an IRI
may contain `&` or `'`). Dates are checked to be YYYY-MM-DD so the browser's date filter compares
like with like.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyvis.network import Network as PyvisNetwork

from api.web.views import safety, styling
from graph.index.names import local_name
from graph.index.subjects import SubjectIndex
from graph.tracing.network import Network
from graph.tracing.paths import Paths
from graph.tracing.refs import EdgeView, NodeRef, node_ref
from ontology.namespaces import AG

# Above this many nodes a view is cut and the page asks to narrow it down (depth, date, types).
DEFAULT_NODE_LIMIT = 500
# The most a caller may ask for with ?limit=: a 2,000-node view is interactive within about a
# second or two in Chromium (bench/views.py measures it); beyond that the canvas is unreadable.
MAX_NODE_LIMIT = 3000
LABEL_CHARS = 40

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def clean_date(value: str | None) -> str | None:
    """The YYYY-MM-DD part of a date or dateTime, or None when the value is not a date."""
    if not value:
        return None
    match = _DATE.match(value)
    return match.group(0) if match else None


def period(start: str | None, end: str | None) -> str:
    """A human period: "2014-03-01 – 2016-08-31", "since 2014-03-01", "until 2016", or ""."""
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"since {start}"
    if end:
        return f"until {end}"
    return ""


def short_label(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


@dataclass
class GraphView:
    """Everything a graph page needs; `data()` is what goes into the page as JSON."""

    title: str
    kind: str  # actor, program, paths, query
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    center: str | None = None
    depth: int | None = None
    at: str | None = None
    truncated: bool = False
    node_limit: int = DEFAULT_NODE_LIMIT
    notice: str | None = None
    pinned: list[str] = field(default_factory=list)  # shown even without a visible edge
    legend: list[dict[str, str]] = field(default_factory=list)
    relation_types: list[dict[str, Any]] = field(default_factory=list)
    filter_mode: str = "client"  # "client": the page filters by date and type; "server": it refetches
    types: list[str] | None = None  # relation classes (short names, with subclasses) shown at first
    vetting_url: str | None = None  # where the page fetches vetting outcomes to colour partners
    subtitle: str | None = None

    def data(self) -> dict[str, Any]:
        dates = sorted({d for e in self.edges for d in (e.get("start"), e.get("end")) if d})
        return {
            "title": safety.text(self.title),
            "kind": self.kind,
            "center": self.center,
            "depth": self.depth,
            "at": self.at,
            "truncated": self.truncated,
            "nodeLimit": self.node_limit,
            "notice": safety.text(self.notice) if self.notice else None,
            "pinned": self.pinned,
            "nodes": self.nodes,
            "edges": self.edges,
            "legend": self.legend,
            "relationTypes": self.relation_types,
            "dateRange": [dates[0], dates[-1]] if dates else None,
            "filterMode": self.filter_mode,
            "vettingUrl": self.vetting_url,
            "types": safety.texts(self.types) if self.types is not None else None,
        }


class _Assembler:
    """Collects escaped, styled nodes and edges through pyvis, once each."""

    def __init__(self, index: SubjectIndex, outcomes: Mapping[str, str] | None = None) -> None:
        self.index = index
        self.terms = index.terms
        self.outcomes = dict(outcomes or {})
        self.net = PyvisNetwork(directed=True, cdn_resources="local")
        self._node_ids: set[str] = set()
        self._edge_ids: set[str] = set()
        self._categories: dict[str, styling.Category] = {}
        self._types: Counter[tuple[str, str]] = Counter()

    def node(self, ref: NodeRef, *, hop: int | None = None) -> str:
        node_id = safety.text(ref.id, limit=2000)
        if node_id in self._node_ids:
            return node_id
        self._node_ids.add(node_id)
        subject = self.index.get(ref.id)
        cat = styling.category(self.terms, ref.types, ref.kind)
        self._categories[cat.key] = cat
        type_labels = [self.terms.label(t if "://" in t else AG + t) for t in ref.types]
        outcome = self.outcomes.get(ref.id)
        aliases = list(subject.aliases) if subject is not None else []
        hover = [ref.label, ", ".join(type_labels) or cat.label]
        if aliases:
            hover.append("also: " + ", ".join(aliases[:5]))
        if outcome:
            hover.append(styling.OUTCOME_LABELS.get(outcome, outcome))
        color: str | dict[str, Any] = cat.color
        if self.outcomes:
            fill = styling.OUTCOME_COLORS.get(outcome or "", styling.NO_OUTCOME_COLOR)
            color = {"background": fill, "border": cat.color, "highlight": {"background": fill, "border": "#111"}}
        # Kept small: a 2,000-node view embeds all of this in its page. Names, types and aliases
        # are in the hover title; the rest comes with the details panel on a click.
        options: dict[str, Any] = {
            "title": safety.text("\n".join(hover), limit=1000),
            "kind": ref.kind,
            "category": cat.key,
            "href": safety.page_href(ref.kind, ref.id),
        }
        if hop is not None:
            options["hop"] = hop
        if outcome:
            options["outcome"] = safety.text(outcome)
        if cat.shape == "box":
            options["font"] = {"color": "#ffffff"}
        self.net.add_node(node_id, label=safety.text(short_label(ref.label)), shape=cat.shape, color=color, **options)
        return node_id

    def edge(self, view: EdgeView, note: str | None = None) -> None:
        edge_id = safety.text(view.id, limit=2000)
        if edge_id in self._edge_ids:
            return
        self._edge_ids.add(edge_id)
        start, end = clean_date(view.start), clean_date(view.end)
        when = period(start, end)
        name = f"{view.label} ({note})" if note else view.label
        detail = [name, when]
        if view.confidence:
            detail.append(f"confidence: {view.confidence}")
        if view.status:
            detail.append(f"status: {view.status}")
        detail.append(f"{view.sources} source{'s' if view.sources != 1 else ''}")
        self._types[(view.type, view.label)] += 1
        dashed = styling.is_dashed(view.confidence, view.status)
        self.net.add_edge(
            safety.text(view.source, limit=2000),
            safety.text(view.target, limit=2000),
            id=edge_id,
            label=safety.text(name + ("\n" + when if when else "")),
            title=safety.text("\n".join(d for d in detail if d)),
            type=safety.text(view.type),
            start=start,
            end=end,
            confidence=safety.text(view.confidence) if view.confidence else None,
            status=safety.text(view.status) if view.status else None,
            sources=view.sources,
            dashes=dashed,
            arrows="to" if view.directed else "",
            color=styling.edge_color(view.type, self.terms),
        )

    def plain_edge(self, source: str, target: str, label: str, key: str) -> None:
        """An edge that is not a relation node (a triple of a CONSTRUCT, a row of a SELECT)."""
        edge_id = "e" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        if edge_id in self._edge_ids:
            return
        self._edge_ids.add(edge_id)
        self._types[(label, label)] += 1
        self.net.add_edge(
            source,
            target,
            id=edge_id,
            label=safety.text(label),
            title=safety.text(label),
            type=safety.text(label),
            start=None,
            end=None,
            dashes=False,
            arrows="to",
            color=styling.EDGE_COLOR,
        )

    def finish(self, view: GraphView) -> GraphView:
        nodes, edges, *_ = self.net.get_network_data()
        view.nodes, view.edges = nodes, edges
        view.legend = [
            {"key": c.key, "label": c.label, "color": c.color, "shape": c.shape}
            for c in styling.ALL_CATEGORIES
            if c.key in self._categories
        ]
        if self.outcomes:
            view.legend += [{"key": f"outcome-{k}", "label": styling.OUTCOME_LABELS[k], "color": v, "shape": "dot"} for k, v in styling.OUTCOME_COLORS.items()]
        view.relation_types = [
            {"type": safety.text(t), "label": safety.text(label), "count": n}
            for (t, label), n in sorted(self._types.items(), key=lambda item: item[0][1].casefold())
        ]
        return view


def from_network(
    network: Network,
    index: SubjectIndex,
    *,
    kind: str = "actor",
    outcomes: Mapping[str, str] | None = None,
    edge_notes: Mapping[str, str] | None = None,
) -> GraphView:
    """An ego network (graph.tracing.network.network) as a view; nodes carry their distance from the centre.
    `edge_notes` adds a word to some edges' labels (a program role: "Partnership (trainer)")."""
    build = _Assembler(index, outcomes)
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
    build = _Assembler(index)
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
    build = _Assembler(index)
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
    build = _Assembler(index)
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
        for (var_a, a), (var_b, b) in zip(chain, chain[1:]):
            if a != b:
                build.plain_edge(a, b, f"{var_a} → {var_b}", f"{a} {var_a} {var_b} {b}")
    notice = f"The result has more than {node_limit} nodes; the first {node_limit} are shown. Narrow the query down." if truncated else None
    view = GraphView(title=title, kind="query", nodes=[], edges=[], truncated=truncated, node_limit=node_limit, notice=notice)
    view = build.finish(view)
    view.pinned = [n["id"] for n in view.nodes]
    return view
