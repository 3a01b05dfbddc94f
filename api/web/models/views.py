"""What the graph pages fetch as JSON: a node's network (the page's own data) and its details panel.

Every string is escaped already (api.web.views.safety); nodes, edges and legend entries carry the
styling vis-network reads, so their keys are left open.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.web.models.base import Contract


class ViewData(Contract):
    title: str
    kind: str = Field(description="actor, program, paths or query")
    center: str | None
    depth: int | None
    at: str | None
    truncated: bool
    nodeLimit: int
    notice: str | None
    pinned: list[str] = Field(description="node ids shown even without a visible edge")
    nodes: list[dict[str, Any]] = Field(description="vis-network nodes")
    edges: list[dict[str, Any]] = Field(description="vis-network edges")
    legend: list[dict[str, str]]
    relationTypes: list[dict[str, Any]]
    dateRange: list[str] | None = Field(description="the first and last date on an edge")
    filterMode: str = Field(description="client: the page filters; server: it fetches again")
    vettingUrl: str | None
    types: list[str] | None


class PanelSource(Contract):
    title: str
    publisher: str | None
    year: str | None
    url: str | None = Field(description="only an http(s) link")


class PanelNode(Contract):
    id: str
    label: str
    kind: str
    href: str | None


class PanelRelation(Contract):
    type: str
    label: str
    role: str
    direction: str
    other: PanelNode
    otherRole: str
    start: str | None
    end: str | None
    start_precision: str = Field("day", description="year or month when the source gave `start` only to that (2010 is stored as 2010-01-01); day otherwise")
    end_precision: str = Field("day", description="year or month when the source gave `end` only to that; day otherwise")
    ongoing: bool = Field(False, description="true only when the data marks the relation ongoing")
    period: str = Field(description="the dates in words, as precisely as recorded")
    confidence: str | None
    status: str | None
    sources: list[PanelSource]


class PanelGroup(Contract):
    type: str
    label: str
    relations: list[PanelRelation]


class PanelOrigin(Contract):
    key: str = Field(description="real, fictional or synthetic, from the namespace of the node's IRI")
    label: str = Field(description="the badge's words")
    title: str = Field(description="its hover text")


class NodeDetails(Contract):
    id: str
    label: str
    kind: str
    types: list[str]
    names: list[str]
    aliases: list[str]
    country: str | None
    location: str | None
    period: str = Field(description="the node's own dates (an incident's, a program's) in words, as precisely as recorded")
    start: str | None = None
    end: str | None = None
    start_precision: str = Field("day", description="year or month when the source gave `start` only to that (2010 is stored as 2010-01-01); day otherwise")
    end_precision: str = Field("day", description="year or month when the source gave `end` only to that; day otherwise")
    origin: PanelOrigin = Field(description="whether the node is real or invented, which the panel shows as a badge")
    href: str | None
    view: str | None
    groups: list[PanelGroup]
