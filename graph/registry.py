"""The registry of data graphs: one PROV record per import, kept in the meta graph.

A named graph is part of the dataset that users see only once its import record is written, which
is the last step of a load. A load that fails, or is interrupted, leaves an unregistered graph that
nobody reads and that the next load of the same name clears.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import pyoxigraph as ox

from graph.store import GraphStore
from ontology.namespaces import AG, DCTERMS, GRAPH, ID, META_GRAPH, PROV, RDF, RDFS, XSD
from queries import catalog

META = ox.NamedNode(META_GRAPH)
_TYPE = ox.NamedNode(RDF + "type")


def _ag(local: str) -> ox.NamedNode:
    return ox.NamedNode(AG + local)


def _prov(local: str) -> ox.NamedNode:
    return ox.NamedNode(PROV + local)


def _datetime(value: datetime) -> ox.Literal:
    return ox.Literal(value.isoformat(timespec="seconds"), datatype=ox.NamedNode(XSD + "dateTime"))


def _boolean(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def graph_name(graph: ox.NamedNode) -> str:
    """The short name of a graph: the part after .../graph/ for ours, else the whole IRI."""
    return graph.value[len(GRAPH):] if graph.value.startswith(GRAPH) else graph.value


@dataclass(frozen=True)
class SourceFile:
    """One file an import read: its name, its SHA-256 and its media type."""

    name: str
    checksum: str
    media_type: str

    @property
    def iri(self) -> ox.NamedNode:
        # Keyed by content, so loading the same bytes twice points at the same entity.
        return ox.NamedNode(f"{ID}file/{self.checksum}")


@dataclass(frozen=True)
class ImportRecord:
    """What came in, from where and when: the PROV record of one load."""

    graph: ox.NamedNode
    files: tuple[SourceFile, ...]
    triples: int
    validated: bool
    started: datetime
    ended: datetime
    importer: str = "rdf"
    restricted: bool = False


@dataclass(frozen=True)
class GraphInfo:
    """A registered graph as listed by `registered_graphs`."""

    graph: ox.NamedNode
    name: str
    restricted: bool
    triples: int
    files: tuple[str, ...]
    validated: bool
    importer: str | None
    imported_at: str


def now() -> datetime:
    return datetime.now(timezone.utc)


def _record_quads(record: ImportRecord, activity: ox.NamedNode) -> list[ox.Quad]:
    g = record.graph
    triples = [
        (g, _TYPE, _ag("DataGraph")),
        (g, _TYPE, _prov("Entity")),
        (g, ox.NamedNode(RDFS + "label"), ox.Literal(graph_name(g))),
        (g, _ag("graphRestricted"), _boolean(record.restricted)),
        (g, _prov("wasGeneratedBy"), activity),
        (g, ox.NamedNode(DCTERMS + "modified"), _datetime(record.ended)),
        (activity, _TYPE, _ag("Import")),
        (activity, _TYPE, _prov("Activity")),
        (activity, _prov("generated"), g),
        (activity, _ag("tripleCount"), _integer(record.triples)),
        (activity, _ag("validated"), _boolean(record.validated)),
        (activity, _ag("importer"), ox.Literal(record.importer)),
        (activity, _prov("startedAtTime"), _datetime(record.started)),
        (activity, _prov("endedAtTime"), _datetime(record.ended)),
    ]
    for source in record.files:
        triples += [
            (activity, _prov("used"), source.iri),
            (source.iri, _TYPE, _prov("Entity")),
            (source.iri, _ag("sourceFile"), ox.Literal(source.name)),
            (source.iri, _ag("checksum"), ox.Literal(source.checksum)),
            (source.iri, _ag("fileFormat"), ox.Literal(source.media_type)),
        ]
    return [ox.Quad(s, p, o, META) for s, p, o in triples]


def _current_state_quads(store: GraphStore, graph: ox.NamedNode) -> list[ox.Quad]:
    predicates = {_prov("wasGeneratedBy"), ox.NamedNode(DCTERMS + "modified"), _ag("graphRestricted")}
    return [q for q in store.quads(META) if q.subject == graph and q.predicate in predicates]


def register(store: GraphStore, record: ImportRecord) -> ox.NamedNode:
    """Write the import record and make the graph visible. Earlier import records of the same
    graph stay, as history; the graph's current-state properties point to the newest."""
    activity = ox.NamedNode(f"{ID}import/{uuid.uuid4()}")
    new = _record_quads(record, activity)
    kept = set(new)
    # New record first, stale state after: a read in between sees the graph registered (twice,
    # for a moment), never unregistered nor without its restricted flag.
    store.add(new)
    store.remove([quad for quad in _current_state_quads(store, record.graph) if quad not in kept])
    return activity


def unregister(store: GraphStore, graph: ox.NamedNode) -> None:
    """Hide a graph: remove its DataGraph node (import activities stay as history)."""
    store.remove([q for q in store.quads(META) if q.subject == graph])


def set_restricted(store: GraphStore, graph: ox.NamedNode, restricted: bool) -> None:
    """Mark a registered graph restricted (analysts and above) or public."""
    if not is_registered(store, graph):
        raise KeyError(f"no graph named {graph_name(graph)!r} is registered")
    flag = _ag("graphRestricted")
    store.remove([q for q in store.quads(META) if q.subject == graph and q.predicate == flag])
    store.add([ox.Quad(graph, flag, _boolean(restricted), META)])


def is_registered(store: GraphStore, graph: ox.NamedNode) -> bool:
    return any(
        q.predicate == _TYPE and q.object == _ag("DataGraph")
        for q in store.quads(META)
        if q.subject == graph
    )


def _text(solution: ox.QuerySolution, name: str) -> str | None:
    term = solution[name]
    return None if term is None else term.value


def registered_graphs(store: GraphStore) -> list[GraphInfo]:
    """Every registered graph with its newest import record, sorted by name."""
    rows = store.query(catalog.text("store/data_graphs"), default_graph=[META])
    infos = []
    for row in rows:
        infos.append(
            GraphInfo(
                graph=row["graph"],
                name=row["label"].value,
                restricted=_text(row, "restricted") == "true",
                triples=int(row["triples"].value),
                files=tuple(sorted((_text(row, "files") or "").split("\n"))) if _text(row, "files") else (),
                validated=_text(row, "validated") == "true",
                importer=_text(row, "importer"),
                imported_at=row["ended"].value,
            )
        )
    return infos


def visible_graphs(store: GraphStore, *, include_restricted: bool = True) -> list[ox.NamedNode]:
    """The graphs a query may read: registered data graphs (restricted ones only if allowed)."""
    return [info.graph for info in registered_graphs(store) if include_restricted or not info.restricted]
