"""The registry of data graphs: one PROV record per import, kept in the meta graph.

A named graph is part of the dataset that users see only once its import record is written, which
is the last step of a load. A load that fails, or is interrupted, leaves an unregistered graph that
nobody reads, and that start-up recovery (graph.store.recovery) or the next load of the same name clears.

Every change of the registry is one SPARQL update, so one transaction: a crash leaves the old
record or the new one, never half of each. Replacing a graph moves the staged content onto it in
that same transaction, so content and record always match.

The data version is a digest of which import each registered data graph comes from and whether it
is restricted. Every load makes a new import activity, so every change of the data changes the
version; derived graphs record the version they were computed from, and a mismatch means stale.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from string import Template

from graph.store import GraphStore, rdf, versioning
from ontology.namespaces import AG, DCTERMS, GRAPH, ID, META_GRAPH, PROV, RDF, RDFS, SYSTEM_GRAPHS, XSD
from queries import catalog

META = rdf.NamedNode(META_GRAPH)
_TYPE = rdf.NamedNode(RDF + "type")


def _ag(local: str) -> rdf.NamedNode:
    return rdf.NamedNode(AG + local)


def _prov(local: str) -> rdf.NamedNode:
    return rdf.NamedNode(PROV + local)


def _datetime(value: datetime) -> rdf.Literal:
    return rdf.Literal(value.isoformat(timespec="seconds"), datatype=rdf.NamedNode(XSD + "dateTime"))


def _boolean(value: bool) -> rdf.Literal:
    return rdf.Literal("true" if value else "false", datatype=rdf.NamedNode(XSD + "boolean"))


def _integer(value: int) -> rdf.Literal:
    return rdf.Literal(str(value), datatype=rdf.NamedNode(XSD + "integer"))


def graph_name(graph: rdf.NamedNode) -> str:
    """The short name of a graph: the part after .../graph/ for ours, else the whole IRI."""
    return graph.value.removeprefix(GRAPH)


@dataclass(frozen=True)
class SourceFile:
    """One file an import read: its name, its SHA-256 and its media type."""

    name: str
    checksum: str
    media_type: str

    @property
    def iri(self) -> rdf.NamedNode:
        # Keyed by content, so loading the same bytes twice points at the same entity.
        return rdf.NamedNode(f"{ID}file/{self.checksum}")


@dataclass(frozen=True)
class ImportRecord:
    """What came in, from where and when: the PROV record of one load."""

    graph: rdf.NamedNode
    files: tuple[SourceFile, ...]
    triples: int
    validated: bool
    started: datetime
    ended: datetime
    importer: str = "rdf"
    restricted: bool = False
    # For derived graphs: the data version (see `data_version`) their content was computed from.
    data_version: str | None = None


@dataclass(frozen=True)
class GraphInfo:
    """A registered graph as listed by `registered_graphs`."""

    graph: rdf.NamedNode
    name: str
    restricted: bool
    triples: int
    files: tuple[str, ...]
    validated: bool
    importer: str | None
    imported_at: str
    activity: str  # the IRI of its newest import: a new one for every load, replacement or reasoning run


def now() -> datetime:
    return datetime.now(UTC)


def _record_quads(record: ImportRecord, activity: rdf.NamedNode) -> list[rdf.Quad]:
    g = record.graph
    triples: list[tuple[rdf.NamedNode, rdf.NamedNode, rdf.NamedNode | rdf.Literal]] = [
        (g, _TYPE, _ag("DataGraph")),
        (g, _TYPE, _prov("Entity")),
        (g, rdf.NamedNode(RDFS + "label"), rdf.Literal(graph_name(g))),
        (g, _ag("graphRestricted"), _boolean(record.restricted)),
        (g, _prov("wasGeneratedBy"), activity),
        (g, rdf.NamedNode(DCTERMS + "modified"), _datetime(record.ended)),
        (activity, _TYPE, _ag("Import")),
        (activity, _TYPE, _prov("Activity")),
        (activity, _prov("generated"), g),
        (activity, _ag("tripleCount"), _integer(record.triples)),
        (activity, _ag("validated"), _boolean(record.validated)),
        (activity, _ag("importer"), rdf.Literal(record.importer)),
        (activity, _prov("startedAtTime"), _datetime(record.started)),
        (activity, _prov("endedAtTime"), _datetime(record.ended)),
    ]
    if record.data_version is not None:
        triples.append((activity, _ag("dataVersion"), rdf.Literal(record.data_version)))
    for source in record.files:
        triples += [
            (activity, _prov("used"), source.iri),
            (source.iri, _TYPE, _prov("Entity")),
            (source.iri, _ag("sourceFile"), rdf.Literal(source.name)),
            (source.iri, _ag("checksum"), rdf.Literal(source.checksum)),
            (source.iri, _ag("fileFormat"), rdf.Literal(source.media_type)),
        ]
    return [rdf.Quad(s, p, o, META) for s, p, o in triples]


def _current_state_quads(store: GraphStore, graph: rdf.NamedNode) -> list[rdf.Quad]:
    predicates = {_prov("wasGeneratedBy"), rdf.NamedNode(DCTERMS + "modified"), _ag("graphRestricted")}
    return [q for q in store.quads(META) if q.subject == graph and q.predicate in predicates]


def _triples_text(quads: Iterable[rdf.Quad]) -> str:
    """Quads of the meta graph as SPARQL triples. Terms print as N-Triples, which is valid SPARQL
    with every character escaped; registry records hold no blank nodes (DATA blocks refuse them)."""
    lines = []
    for quad in quads:
        if quad.graph_name != META or any(isinstance(t, rdf.BlankNode) for t in (quad.subject, quad.object)):
            raise ValueError(f"not a registry quad: {quad}")
        lines.append(f"{quad.subject} {quad.predicate} {quad.object} .")
    return "\n".join(lines)


def _commit(
    store: GraphStore, remove: Iterable[rdf.Quad], add: Iterable[rdf.Quad], move: tuple[rdf.NamedNode, rdf.NamedNode] | None = None
) -> None:
    """Apply a registry change, and optionally move a staged graph onto its target, as one update."""
    moving = f"MOVE SILENT GRAPH {move[0]} TO GRAPH {move[1]} ;" if move and move[0] != move[1] else ""
    update = Template(catalog.text("store/commit_registry")).substitute(
        move=moving, meta=str(META), remove=_triples_text(remove), add=_triples_text(add)
    )
    store.update(update)


def register(store: GraphStore, record: ImportRecord, *, staged: rdf.NamedNode | None = None) -> rdf.NamedNode:
    """Write the import record and make the graph visible, in one transaction. With `staged`, the
    content of that graph replaces the graph's in the same transaction. Earlier import records of
    the same graph stay, as history; the graph's current-state properties point to the newest."""
    activity = rdf.NamedNode(f"{ID}import/{uuid.uuid4()}")
    move = (staged, record.graph) if staged is not None else None
    _commit(store, _current_state_quads(store, record.graph), _record_quads(record, activity), move)
    return activity


def unregister(store: GraphStore, graph: rdf.NamedNode) -> None:
    """Hide a graph: remove its DataGraph node (import activities stay as history)."""
    _commit(store, [q for q in store.quads(META) if q.subject == graph], [])


def set_restricted(store: GraphStore, graph: rdf.NamedNode, restricted: bool) -> None:
    """Mark a registered graph restricted (analysts and above) or public."""
    if not is_registered(store, graph):
        raise KeyError(f"no graph named {graph_name(graph)!r} is registered")
    flag = _ag("graphRestricted")
    old = [q for q in store.quads(META) if q.subject == graph and q.predicate == flag]
    _commit(store, old, [rdf.Quad(graph, flag, _boolean(restricted), META)])


def is_registered(store: GraphStore, graph: rdf.NamedNode) -> bool:
    return any(
        q.predicate == _TYPE and q.object == _ag("DataGraph")
        for q in store.quads(META)
        if q.subject == graph
    )


def _text(solution: rdf.Row, name: str) -> str | None:
    term = solution[name]
    return None if term is None else term.value


def registered_graphs(store: GraphStore) -> list[GraphInfo]:
    """Every registered graph with its newest import record, sorted by name. Read once per store
    version (graph.store.versioning): every request needs it, and only a write changes it."""
    return list(versioning.memoized(store, "registered-graphs", lambda: _read_registered(store)))


def _read_registered(store: GraphStore) -> tuple[GraphInfo, ...]:
    rows = store.select(catalog.text("store/data_graphs"), default_graph=[META])
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
                activity=row["import"].value,
            )
        )
    return tuple(infos)


def visible_graphs(store: GraphStore, *, include_restricted: bool = True) -> list[rdf.NamedNode]:
    """The graphs a query may read: registered data graphs (restricted ones only if allowed)."""
    return [info.graph for info in registered_graphs(store) if include_restricted or not info.restricted]


@dataclass(frozen=True)
class Versions:
    """The data version of the store, and the version each registered graph was derived from
    (None for asserted graphs, and for derived graphs written before versions were recorded)."""

    current: str
    derived_from: dict[str, str | None]
    data_graphs: int
    restricted_data: bool


def versions(store: GraphStore) -> Versions:
    """The current data version: a digest over the registered graphs outside the system graphs
    (the data the rules read), each with its current import and restricted flag."""
    rows = list(store.select(catalog.text("store/data_version"), default_graph=[META]))
    parts: list[str] = []
    derived: dict[str, str | None] = {}
    restricted_data = False
    for row in rows:
        graph = row["graph"].value
        if graph in SYSTEM_GRAPHS:
            derived[graph] = _text(row, "version")
            continue
        restricted = _text(row, "restricted") == "true"
        restricted_data = restricted_data or restricted
        parts.append(f"{graph} {row['import'].value} {restricted}")
    digest = hashlib.sha256("\n".join(sorted(parts)).encode("utf-8")).hexdigest()
    return Versions(current=digest, derived_from=derived, data_graphs=len(parts), restricted_data=restricted_data)


def registered_iris(store: GraphStore) -> set[str]:
    """The IRIs of every registered graph (data, derived and the ontology)."""
    data_graph = _ag("DataGraph")
    return {
        q.subject.value
        for q in store.quads(META)
        if q.predicate == _TYPE and q.object == data_graph and isinstance(q.subject, rdf.NamedNode)
    }
