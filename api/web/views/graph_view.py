"""A graph view as the page receives it: nodes and edges, escaped and styled, with the legend,
the controls and the limits, and the assembler that collects them once each.

Nodes and edges are collected through pyvis's `Network`, so the dictionaries have the shape
vis-network expects, but pyvis's own HTML template is never used: it loads vis-network from a CDN
and writes node titles into the page as HTML. Our template (templates/graph_view.html) loads the
local copy instead. Every string is escaped with api.web.views.safety.text before it is handed to
pyvis; ids too (an IRI may contain `&` or `'`). Dates are checked to be YYYY-MM-DD so the
browser's date filter compares like with like.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pyvis.network import Network as PyvisNetwork

from api.dates import clean_date
from api.web.views import prose, safety, styling
from graph.index.subjects import SubjectIndex
from graph.tracing.refs import EdgeView, NodeRef
from ontology.namespaces import AG

# Above this many nodes a view is cut and the page asks to narrow it down (depth, date, types).
DEFAULT_NODE_LIMIT = 500
# The most a caller may ask for with ?limit=: beyond a few thousand nodes the canvas is unreadable
# (bench/views.py measures how long a large view takes to become interactive).
MAX_NODE_LIMIT = 3000
LABEL_CHARS = 40
LABEL_TAIL = 14  # the most of a long label's end kept after the cut


def short_label(label: str) -> str:
    """A label of at most LABEL_CHARS characters, cut in the middle at word boundaries. Long names
    in one view often differ only at the end (battalions of one division, a network's numbered
    chapters), so the end is kept: cut at the end, six partners can all read the same."""
    if len(label) <= LABEL_CHARS:
        return label
    tail = label[-LABEL_TAIL:]
    if " " in tail[:-1]:
        tail = tail[tail.index(" ") + 1 :]
    cut = LABEL_CHARS - len(tail) - 1
    head = label[:cut]
    space = head.rfind(" ")
    if label[cut] != " " and space >= cut - 10:  # inside a word: drop the word when it started near
        head = head[:space]
    return f"{head.rstrip()}…{tail}"


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


class Assembler:
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
        hover = [ref.label, ", ".join(type_labels) or cat.label, prose.ORIGINS[prose.origin(ref.id)].label]
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
        # The hover text says the dates as precisely as recorded (a start given as "2010" reads
        # "2010", never "1 January 2010"); the canvas label the years only, which is shorter and
        # covers less of the drawing.
        when = prose.period(start, end, view.ongoing, start_precision=view.start_precision, end_precision=view.end_precision)
        years = prose.period(start, end, view.ongoing, "year")
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
            # On the canvas the years only: short, and never more precise than the data.
            label=safety.text(name + ("\n" + years if years else "")),
            title=safety.text("\n".join(d for d in detail if d)),
            type=safety.text(view.type),
            start=start,
            end=end,
            # what `start` and `end` were given to (year, month, day): 2010-01-01 at year is "2010"
            start_precision=view.start_precision,
            end_precision=view.end_precision,
            ongoing=view.ongoing,
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
