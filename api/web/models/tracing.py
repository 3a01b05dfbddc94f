"""The JSON shapes of the tracing API (actors, programs, paths), as OpenAPI documents them.

The routers return what graph.tracing computes, validated into these models (`from_attributes`),
so the answer's shape is declared once, here, whatever the graph layer's classes look like.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from api.web.models.base import APIModel


class Node(APIModel):
    """A node of a network or path: an actor, a program or an incident."""

    id: str = Field(description="IRI")
    label: str
    types: list[str] = Field(description="most specific classes, by short name (MilitaryUnit)")
    kind: str = Field(description="actor, program, incident or other")


class Term(APIModel):
    """An ontology term: a class, or a concept of a typology (level, sector, role)."""

    id: str = Field(description="IRI")
    name: str = Field(description="short name, such as MilitaryUnit or LocalLevel")
    label: str


class Source(APIModel):
    id: str
    title: str | None
    publisher: str | None
    year: str | None
    url: str | None


class Edge(APIModel):
    """A relation node as an edge between its two role-players."""

    id: str = Field(description="IRI of the relation node")
    source: str
    target: str
    type: str = Field(description="relation class, by short name (Command, Subordination, ...)")
    label: str
    start: str | None
    end: str | None
    start_precision: str = Field("day", description="year or month when the source gave only that (a start given as 2010 is stored as 2010-01-01); day otherwise")
    end_precision: str = Field("day", description="year or month when the source gave only that (an end given as June 2020 is stored as 2020-06-30); day otherwise")
    ongoing: bool = Field(False, description="true only when the data marks the relation ongoing; an open end is otherwise unknown")
    confidence: str | None = Field(description="low, medium or high")
    status: str | None = Field(description="alleged or established, for perpetrations")
    sources: int = Field(description="number of sources")
    directed: bool = Field(description="false for alliances and rivalries")


class Relation(APIModel):
    """A relation of the profiled actor, with its evidence."""

    id: str
    type: str
    label: str
    role: str = Field(description="the actor's role in the relation, such as 'commander'")
    counterpart: Node
    counterpart_role: str
    direction: str = Field(description="outgoing (the actor is the source), incoming, or mutual")
    start: str | None
    end: str | None
    start_precision: str = Field("day", description="year or month when the source gave only that (a start given as 2010 is stored as 2010-01-01); day otherwise")
    end_precision: str = Field("day", description="year or month when the source gave only that (an end given as June 2020 is stored as 2020-06-30); day otherwise")
    ongoing: bool = Field(False, description="true only when the data marks the relation ongoing; an open end is otherwise unknown")
    confidence: str | None
    status: str | None
    sources: list[Source]


class RelationGroup(APIModel):
    type: str
    label: str
    relations: list[Relation]


class Profile(APIModel):
    id: str
    label: str
    kind: str
    types: list[Term]
    names: list[str]
    aliases: list[str]
    country: Node | None
    level: Term | None
    sector: Term | None
    location: str | None
    relations: list[RelationGroup] = Field(description="dated relations, grouped by relation class")


class ActorHit(APIModel):
    id: str
    label: str
    types: list[str]
    country: Node | None
    level: Term | None
    sector: Term | None
    match: str = Field(description="exact, prefix, token or fuzzy (all when there is no query)")
    score: float = Field(description="similarity 0-100 within the match tier")
    matched_name: str = Field(description="the label, name or alias that matched")


class ActorSearch(APIModel):
    q: str | None
    total: int
    limit: int
    offset: int
    results: list[ActorHit]


class Network(APIModel):
    center: str
    depth: int
    at: date | None
    nodes: list[Node]
    edges: list[Edge]
    truncated: bool = Field(description="true when more nodes were reachable than max_nodes")
    max_nodes: int


class TimelineEntry(APIModel):
    kind: str = Field(description="relation, or incident (a perpetration, dated by its incident)")
    date: str | None = Field(description="the date the entry is sorted by: start, else end")
    start: str | None
    end: str | None
    start_precision: str = Field("day", description="year or month when the source gave only that (a start given as 2010 is stored as 2010-01-01); day otherwise")
    end_precision: str = Field("day", description="year or month when the source gave only that (an end given as June 2020 is stored as 2020-06-30); day otherwise")
    ongoing: bool = Field(False, description="true only when the data marks the relation ongoing; an open end is otherwise unknown")
    relation: str
    type: str
    label: str
    role: str
    counterpart: Node
    confidence: str | None
    status: str | None
    sources: int


class Timeline(APIModel):
    actor: Node
    total: int
    limit: int
    offset: int
    entries: list[TimelineEntry]


class ProgramSummary(APIModel):
    id: str
    label: str
    types: list[Term]
    start: str | None
    end: str | None
    start_precision: str = Field("day", description="year or month when the source gave only that (a start given as 2010 is stored as 2010-01-01); day otherwise")
    end_precision: str = Field("day", description="year or month when the source gave only that; day otherwise")
    level: Term | None
    sector: Term | None
    country: Node | None
    location: str | None


class ProgramPage(APIModel):
    total: int
    limit: int
    offset: int
    programs: list[ProgramSummary]


class Participant(APIModel):
    """A participation node: the actor, its role in the program, when, how sure, and the sources."""

    id: str
    type: str
    label: str
    actor: Node
    program_role: Term | None
    start: str | None
    end: str | None
    start_precision: str = Field("day", description="year or month when the source gave only that (a start given as 2010 is stored as 2010-01-01); day otherwise")
    end_precision: str = Field("day", description="year or month when the source gave only that (an end given as June 2020 is stored as 2020-06-30); day otherwise")
    ongoing: bool = Field(False, description="true only when the data marks the relation ongoing; an open end is otherwise unknown")
    confidence: str | None
    status: str | None
    amount: str | None
    currency: str | None
    sources: list[Source]


class Program(APIModel):
    id: str
    label: str
    names: list[str]
    aliases: list[str]
    types: list[Term]
    start: str | None
    end: str | None
    start_precision: str | None
    end_precision: str | None
    level: Term | None
    sector: Term | None
    country: Node | None
    location: str | None
    conflict_phase: Term | None
    implementers: list[Participant]
    funders: list[Participant]
    partners: list[Participant]
    targets: list[Participant]
    participants: list[Participant]
    related: list[Relation]


class Hop(APIModel):
    """One step: from `source` to `target` through a relation (whichever way the relation points)."""

    source: str
    target: str
    relation: Edge


class Path(APIModel):
    length: int
    nodes: list[str]
    hops: list[Hop]


class Paths(APIModel):
    source: str
    target: str
    max_hops: int
    at: date | None
    length: int | None = Field(description="the length of the shortest paths; null when none within max_hops")
    paths: list[Path]
    nodes: list[Node] = Field(description="every node on the returned paths, with labels")
    truncated: bool = Field(description="true when there were more shortest paths than `limit`")
    expanded: int = Field(description="nodes whose relations were read: the cost of the search")
    budget_exhausted: bool = Field(
        description="true when the search stopped at its budget of nodes (through a hub) before max hops; "
        "then 'no path' is not proof that none exists"
    )
