"""Importing OpenSanctions FtM entity files and deltas into the graph `opensanctions`.

The graph's statements are grouped back into entities (one subject each), the operations applied
in yente's order (a full entity file replaces everything; deltas by version, each ADD or MOD
replacing an entity's statements and each DEL removing them; a delta version the graph already
has is skipped), and the result written in one validated, atomic load. A relation whose other end
the data does not hold is left out and reported. The same files twice change nothing.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from graph.ingest import loader
from graph.ingest.importers.opensanctions.mapping import ACTORS, entity_iri, map_entity
from graph.ingest.importers.opensanctions.read import FtmImportError, OpFile, read_files
from graph.ingest.importers.sfm.report import ImportReport
from graph.ingest.importers.sfm.write import GraphContent, StoreNotReady, write_graphs
from graph.ingest.importers.terms import DERIVED, TYPE, ag, text, typed
from graph.store import GraphStore, rdf
from ontology.namespaces import DCTERMS, ORG, SCHEMA, data_iri

__all__ = ["DEFAULT_GRAPH", "FtmImportError", "StoreNotReady", "import_files"]

DEFAULT_GRAPH = "opensanctions"
VERSION = rdf.NamedNode(SCHEMA + "version")
# Roles whose other end must be in the data, and the class it must have there.
ENDS = {ag("listedParty"): "actor", ag("owner"): "actor", ag("ownedAsset"): "Organization",
        rdf.NamedNode(ORG + "member"): "actor", rdf.NamedNode(ORG + "organization"): "Organization"}  # fmt: skip
Triples = dict[rdf.NamedNode, set[rdf.Triple]]


def source_iri(file: OpFile) -> rdf.NamedNode:
    return rdf.NamedNode(data_iri("opensanctions", f"source-{file.version or 'entities-' + file.path.stem.split('.')[0]}"))


def source_triples(file: OpFile, dataset: str) -> set[rdf.Triple]:
    node = source_iri(file)
    title = f"OpenSanctions {dataset}: " + (f"delta {file.version}" if file.version else f"entities ({file.path.name})")
    out = {rdf.Triple(node, TYPE, ag("Source")), rdf.Triple(node, rdf.NamedNode(DCTERMS + "title"), text(title)),
           rdf.Triple(node, rdf.NamedNode(DCTERMS + "publisher"), text("OpenSanctions")),
           rdf.Triple(node, rdf.NamedNode(SCHEMA + "url"), text(f"https://www.opensanctions.org/datasets/{dataset}/"))}  # fmt: skip
    if file.version:
        out.add(rdf.Triple(node, VERSION, text(file.version)))
        day = file.version[:8]
        out.add(rdf.Triple(node, rdf.NamedNode(DCTERMS + "issued"), typed(f"{day[:4]}-{day[4:6]}-{day[6:]}", "date")))
    return out


def _group(store: GraphStore, target: rdf.NamedNode) -> tuple[Triples, Triples, str]:
    """The graph's statements by entity, the shared nodes (sources, authorities), and its version."""
    by_subject: Triples = defaultdict(set)
    for quad in store.quads(target):
        if isinstance(quad.subject, rdf.NamedNode):
            by_subject[quad.subject].add(rdf.Triple(quad.subject, quad.predicate, quad.object))
    entities: Triples = {}
    shared: Triples = {}
    for subject, triples in by_subject.items():
        is_shared = any(t.predicate == TYPE and t.object == ag("Source") for t in triples) or "/authority-" in subject.value
        (shared if is_shared else entities)[subject] = triples
    versions = [t.object.value for ts in shared.values() for t in ts if t.predicate == VERSION and isinstance(t.object, rdf.Literal)]
    return entities, shared, max(versions, default="")


def _resolve(entities: Triples, report: ImportReport) -> list[rdf.Triple]:
    """Every entity's statements, less the relations whose other end is missing or of a wrong class."""
    kinds: dict[rdf.NamedNode, str] = {}
    for subject, triples in entities.items():
        for t in triples:
            if t.predicate == TYPE and isinstance(t.object, rdf.NamedNode) and t.object in (ag("Person"), ag("Organization")):
                kinds[subject] = t.object.value.rsplit("#", 1)[1]
    out: list[rdf.Triple] = []
    for subject, triples in sorted(entities.items(), key=lambda item: item[0].value):
        missing = [t for t in triples if t.predicate in ENDS and isinstance(t.object, rdf.NamedNode)
                   and (kinds.get(t.object) is None or (ENDS[t.predicate] == "Organization" and kinds[t.object] != "Organization"))]  # fmt: skip
        if missing:
            dropped = report.file("relations")
            dropped.rows_read += 1
            dropped.skip(
                len(dropped.skipped) + 1,
                f"{subject.value.rsplit('/', 1)[1]}: its {missing[0].predicate.value.rsplit('#', 1)[-1].rsplit('/', 1)[-1]} is not in the data as an {'organization' if ENDS[missing[0].predicate] == 'Organization' else 'actor'}",
            )
            continue
        out.extend(triples)
    return out


def import_files(store: GraphStore, paths: list[Path], *, graph: str = DEFAULT_GRAPH, dataset: str = "default") -> ImportReport:
    """Apply an entity file and/or delta files to `graph`, in yente's order."""
    files = read_files([Path(p) for p in paths])
    report = ImportReport()
    target = loader.resolve_graph(graph, graph)
    entities, shared, version = _group(store, target)
    for file in files:
        counts = report.file(file.path.name)
        counts.rows_read = len(file.ops)
        if file.version is None:
            entities, shared, version = {}, {}, ""  # a full load starts from nothing, as yente's does
        elif file.version <= version:
            for op in file.ops:
                counts.skip(op.line, f"delta version {file.version} is already applied (the graph is at {version})")
            continue
        source = source_iri(file)
        shared[source] = source_triples(file, dataset)
        for op in file.ops:
            node = entity_iri(op.entity_id)
            if op.op == "DEL":
                entities.pop(node, None)
                counts.imported(op.line)
                report.counts["deleted"] += 1
                continue
            mapped = map_entity(op, source)
            for note in mapped.notes:
                counts.note(op.line, note)
            if mapped.skipped:
                counts.skip(op.line, mapped.skipped)
                continue
            entities[node] = {t for t in mapped.triples if t.subject == node}
            for t in mapped.triples:
                if t.subject != node and isinstance(t.subject, rdf.NamedNode):
                    shared.setdefault(t.subject, set()).add(t)
            counts.imported(op.line)
            report.counts[ACTORS.get(op.schema, op.schema) if op.op == "ADD" else f"{op.op} {op.schema}"] += 1
        version = file.version or version
    kept = _resolve(entities, report)
    wanted = {t.object for t in kept if isinstance(t.object, rdf.NamedNode)}
    wanted |= {t.object for s in wanted if s in shared for t in shared[s] if t.predicate == DERIVED and isinstance(t.object, rdf.NamedNode)}
    kept += [t for subject in sorted(wanted & set(shared), key=lambda s: s.value) for t in shared[subject]]
    latest = [f for f in files if f.version and f.version == version]
    if latest and not any(t.predicate == VERSION for t in kept):
        kept += list(source_triples(latest[0], dataset))  # the version applied, even when nothing cites it
    name = f"{', '.join(str(p) for p in paths)} (OpenSanctions FollowTheMoney entities)"
    report.graphs = write_graphs(
        store, [GraphContent(graph, frozenset(kept), restricted=False)], source_name=name, importer="opensanctions"
    )
    return report
