"""Loading RDF files into the store: each file lands whole in its own named graph, or not at all.

Order of work, and why:
1. Parse and write straight into the target graph, which must be new (or a staging graph when
   replacing). Writing with `bulk_extend` skips per-quad transactions, which is what makes loading
   fast; atomicity comes from the graph being new, so dropping it restores the store exactly.
2. Validate the new graph against the SHACL shapes, compiled to SPARQL (unless `trusted`).
3. Register the graph with its PROV import record, in one transaction (with the move of a staged
   replacement, when replacing). Only registered graphs are visible to users, so nobody reads a
   graph that is still being checked, and registering is the commit point: a crash before it
   leaves an unregistered graph, which start-up recovery (graph.store.recovery) removes.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from graph.errors import BadRequestError, InvalidValueError
from graph.guards import xml_guard
from graph.ingest import read_progress, registry
from graph.ingest.formats import RdfFileFormat, format_for_path
from graph.ingest.validation import Validator, Violation, default_validator
from graph.store import GraphStore, failpoints, rdf
from ontology.namespaces import GRAPH, ONTOLOGY_GRAPH, SYSTEM_GRAPHS

Progress = read_progress.Progress
Phase = Callable[[str], None]  # told "validate" and then "register" as a load reaches them
GRAPH_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]*$")


class LoadError(BadRequestError):
    """A load was refused or failed; the store is as it was before."""


class RdfSyntaxError(LoadError):
    """The file is not well-formed in its format."""

    def __init__(self, source: str, message: str, line: int | None = None, column: int | None = None):
        self.source, self.line, self.column, self.detail = source, line, column, message
        where = f"{source}:{line}:{column}" if line is not None else source
        super().__init__(f"{where}: {message}")


class ShapeViolations(InvalidValueError, LoadError):
    """The file parsed but breaks the SHACL shapes."""

    def __init__(self, source: str, violations: Sequence[Violation]):
        self.source, self.violations = source, list(violations)
        shown = "\n".join(f"  - {v}" for v in self.violations[:20])
        more = f"\n  ... and {len(self.violations) - 20} more" if len(self.violations) > 20 else ""
        super().__init__(f"{source}: {len(self.violations)} shape violation(s), nothing was loaded:\n{shown}{more}")


@dataclass(frozen=True)
class LoadResult:
    graph: rdf.NamedNode
    triples: int
    validated: bool
    files: tuple[registry.SourceFile, ...]
    replaced: bool


def resolve_graph(name: str | None, source_name: str) -> rdf.NamedNode:
    """The graph a load writes to: an absolute IRI as given, a short name under .../graph/, or a
    name derived from the file name."""
    if not name:
        stem = Path(source_name).name.split(".")[0]
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "data"
    if "://" in name or name.startswith("urn:"):
        try:
            return rdf.NamedNode(name)
        except ValueError as error:
            raise LoadError(f"--graph {name!r} is not a valid IRI: {error}") from error
    if not GRAPH_NAME.match(name):
        raise LoadError(
            f"--graph {name!r} is not a valid graph name: use letters, digits, '.', '_', '-' and '/'"
        )
    return rdf.NamedNode(GRAPH + name)


class _HashingReader(io.RawIOBase):
    """Wraps a binary stream: hashes what passes through and reports bytes read for progress bars.

    The engine's parser asks for about 2 KB at a time. The source is read, hashed and reported in
    blocks of `BLOCK` bytes instead, and the small reads are served from the block: hashing and
    the progress bar per 2 KB were a tenth of a large load's time."""

    BLOCK = 1 << 20

    def __init__(self, raw: IO[bytes], progress: Progress | None) -> None:
        self._raw, self._progress = raw, progress
        self.sha256 = hashlib.sha256()
        self._block = memoryview(b"")
        self._offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._offset >= len(self._block) and not self._refill():
            return 0
        size = min(len(buffer), len(self._block) - self._offset)
        buffer[:size] = self._block[self._offset : self._offset + size]
        self._offset += size
        return size

    def _refill(self) -> bool:
        chunk = self._raw.read(self.BLOCK)
        if not chunk:
            return False
        self.sha256.update(chunk)
        self._block, self._offset = memoryview(chunk), 0
        if self._progress:
            self._progress(len(chunk))
        return True


def _syntax_error(source: str, error: SyntaxError) -> RdfSyntaxError:
    """Oxigraph puts (file, line, column, ...) in args[1]; keep its message, which says what broke."""
    line = column = None
    if len(error.args) > 1 and isinstance(error.args[1], tuple) and len(error.args[1]) >= 3:
        line, column = error.args[1][1], error.args[1][2]
    message = str(error.args[0]) if error.args else str(error)
    return RdfSyntaxError(source, message, line, column)


def _parsed_quads(
    reader: IO[bytes], fmt: RdfFileFormat, base_iri: str | None, target: rdf.NamedNode, counter: list[int]
) -> Iterator[rdf.Quad]:
    """Every triple of the file, placed in the target graph. Blank nodes are renamed so that two
    files that both say `_:b0` do not merge their nodes."""
    parsed: Iterable[rdf.Quad]
    if fmt.oxigraph is not None:
        parsed = rdf.parse(reader, fmt.oxigraph, base_iri=base_iri, rename_blank_nodes=True)
    else:
        parsed = _rdflib_quads(reader, fmt, base_iri)
    count = 0
    for quad in parsed:
        count += 1
        yield rdf.Quad(quad.subject, quad.predicate, quad.object, target)
    counter[0] = count


def _rdflib_quads(reader: IO[bytes], fmt: RdfFileFormat, base_iri: str | None) -> Iterator[rdf.Quad]:
    """Formats only rdflib reads: parse with rdflib, re-emit as N-Quads, parse that natively."""
    import rdflib  # imported here: only these rare formats need it

    dataset = rdflib.Dataset()
    try:
        dataset.parse(data=reader.read(), format=fmt.rdflib_name, publicID=base_iri)
    except Exception as error:  # rdflib raises many unrelated exception types for bad input
        raise SyntaxError(f"{fmt.name} parser: {error}") from error
    data = dataset.serialize(format="nquads", encoding="utf-8")
    yield from rdf.parse(data, rdf.RdfFormat.N_QUADS)


@dataclass(frozen=True)
class RdfSource:
    """One document to load: a name for messages and records, a way to open it, its format."""

    name: str
    open: Callable[[], IO[bytes]]
    format: RdfFileFormat
    base_iri: str | None = None
    # What a person hands in (a file, a request body) must hold triples: an empty one is a mistake,
    # not a wish for an empty graph. Content ActorGraph builds itself (a graph an update emptied) may not.
    require_triples: bool = False
    path: Path | None = None  # a file on disk, which the engine may read itself

    @classmethod
    def from_path(cls, path: Path, fmt: str | None = None) -> RdfSource:
        if not path.is_file():
            raise LoadError(f"{path}: no such file")
        if path.stat().st_size == 0:
            raise LoadError(f"{path}: the file is empty (0 bytes); nothing was loaded")
        return cls(str(path), lambda: path.open("rb"), format_for_path(path, fmt), path.resolve().as_uri(), True, path)

    @classmethod
    def from_bytes(
        cls, name: str, data: bytes, fmt: RdfFileFormat, base_iri: str | None = None, *, require_triples: bool = False
    ) -> RdfSource:
        return cls(name, lambda: io.BytesIO(data), fmt, base_iri, require_triples)


def source_triples(source: RdfSource) -> list[rdf.Triple]:
    """Every triple of one source, parsed as a load parses it (XML bounds, its own blank nodes),
    for a caller that combines several documents into one upload."""
    check_source(source)
    with source.open() as stream:
        try:
            quads = list(_parsed_quads(stream, source.format, source.base_iri, rdf.NamedNode("urn:x-actorgraph:part"), [0]))
        except SyntaxError as error:
            raise _syntax_error(source.name, error) from None
    return [rdf.Triple(quad.subject, quad.predicate, quad.object) for quad in quads]


def check_source(source: RdfSource) -> None:
    """Refuse, before anything is written, what no parser may be handed: XML whose entities would
    expand, or whose elements nest, beyond graph.guards.xml_guard's bounds (Oxigraph and expat expand
    entities in memory, and Oxigraph slows down more than quadratically with depth)."""
    if not source.format.is_xml:
        return
    with source.open() as stream:
        try:
            xml_guard.check_stream(stream)
        except xml_guard.XmlRefused as error:
            raise RdfSyntaxError(source.name, error.message, error.line, error.column) from None


def _engine_parses(source: RdfSource) -> bool:
    """Whether the store's own parser takes the document: one of triples, in a format it reads."""
    return source.format.oxigraph is not None and not source.format.has_graphs


def _write_source(store: GraphStore, reader: IO[bytes], source: RdfSource, staging: rdf.NamedNode) -> int:
    """Write one document into the staging graph; return how many triples it added. A document
    of triples goes to the store's own parser; one that names graphs is moved into the staging
    graph quad by quad (its graph names are not kept)."""
    if _engine_parses(source):
        return _counted(store, staging, lambda: store.load_triples(reader, _oxigraph_format(source), staging, base_iri=source.base_iri))
    counter = [0]
    store.bulk_add(_parsed_quads(reader, source.format, source.base_iri, staging, counter))
    return counter[0]


def _write_file(store: GraphStore, path: Path, source: RdfSource, staging: rdf.NamedNode, progress: Progress | None) -> tuple[int, str]:
    """Write a file of triples by handing its path to the store, which reads it without a Python
    reader in between (faster than reading through a Python stream). A thread hashes the file meanwhile (both
    release the GIL), and the file must be the same file, unchanged, from before the load until
    after the hash and the load, so the checksum recorded is that of what was loaded."""
    before = _file_identity(path)
    # Opened here, so that the progress bar can tell this descriptor from the engine's.
    with path.open("rb") as own, ThreadPoolExecutor(max_workers=1, thread_name_prefix="checksum") as hashing:
        checksum = hashing.submit(hashlib.file_digest, own, "sha256")
        with read_progress.FileReadProgress(path, before[2], progress, ignore={own.fileno()}):
            written = _counted(store, staging, lambda: store.load_triples(path, _oxigraph_format(source), staging, base_iri=source.base_iri))
        digest = checksum.result().hexdigest()
    if _file_identity(path) != before:
        raise LoadError(f"{source.name}: the file changed while it was being loaded; nothing was loaded. Load it again once it is complete.")
    return written, digest


def _file_identity(path: Path) -> tuple[int, int, int, int]:
    status = path.stat()
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


def _oxigraph_format(source: RdfSource) -> rdf.RdfFormat:
    assert source.format.oxigraph is not None  # _engine_parses said so
    return source.format.oxigraph


def _counted(store: GraphStore, staging: rdf.NamedNode, write: Callable[[], None]) -> int:
    """How many triples `write` added to the staging graph."""
    before = store.graph_size(staging)
    write()
    return store.graph_size(staging) - before


def _holds_triples(source: RdfSource) -> bool:
    """Whether a document that added nothing holds a triple at all (it may repeat an earlier one)."""
    with source.open() as stream:
        return next(iter(_parsed_quads(stream, source.format, source.base_iri, rdf.NamedNode("urn:x-actorgraph:probe"), [0])), None) is not None


def _write_sources(
    store: GraphStore, sources: Sequence[RdfSource], staging: rdf.NamedNode, progress: Progress | None
) -> tuple[int, list[registry.SourceFile]]:
    """Stream every source into the staging graph; return the triple count and per-file checksums."""
    total = 0
    files: list[registry.SourceFile] = []
    for source in sources:
        try:
            if source.path is not None and _engine_parses(source):
                written, checksum = _write_file(store, source.path, source, staging, progress)
            else:
                with source.open() as stream:
                    reader = _HashingReader(stream, progress)
                    written = _write_source(store, cast(IO[bytes], reader), source, staging)
                checksum = reader.sha256.hexdigest()
        except SyntaxError as error:
            raise _syntax_error(source.name, error) from None
        if source.require_triples and written == 0 and not _holds_triples(source):
            raise LoadError(f"{source.name}: holds no triples (only prefixes, comments or blank space); nothing was loaded")
        total += written
        files.append(registry.SourceFile(source.name, checksum, source.format.media_type))
        if len(files) < len(sources):
            failpoints.reached("load:source-written")
    failpoints.reached("load:data-written")
    return total, files


def load_sources(
    store: GraphStore,
    sources: Sequence[RdfSource],
    *,
    graph: str | None = None,
    trusted: bool = False,
    replace: bool = False,
    restricted: bool = False,
    allow_system_graph: bool = False,
    validator: Validator | None = None,
    progress: Progress | None = None,
    importer: str = "rdf",
    dry_run: bool = False,
    phase: Phase | None = None,
) -> LoadResult:
    """Load one or more RDF documents as one import into one named graph, atomically.

    With `dry_run` the documents are parsed and validated exactly as for a load, against the
    ontology and the graphs already loaded, and then dropped: nothing stays in the store.

    The graph defaults to a name derived from the first document. A graph that exists is only
    replaced with `replace=True`; then the new content is staged in a temporary graph, validated,
    and moved over the old one in a single transaction.
    """
    if not sources:
        raise LoadError("nothing to load: no files given")
    for source in sources:
        check_source(source)
    target = resolve_graph(graph, sources[0].name)
    if target.value in SYSTEM_GRAPHS and not allow_system_graph:
        raise LoadError(f"graph {target.value} is managed by ActorGraph itself; choose another --graph")
    registered = registry.is_registered(store, target)
    if registered and not replace and not dry_run:
        raise LoadError(
            f"graph {registry.graph_name(target)!r} already exists; pass --replace to replace it, "
            "or choose another --graph"
        )
    if not registered and not dry_run:
        store.drop_graph(target)  # leftovers of an interrupted load: never registered, never seen
    staged_elsewhere = registered or dry_run
    staging = rdf.NamedNode(f"{target.value}#staging-{uuid.uuid4().hex}") if staged_elsewhere else target

    started = registry.now()
    try:
        triples, files = _write_sources(store, sources, staging, progress)
        if not trusted:
            if phase:
                phase("validate")
            violations = _validate(store, staging, triples, validator, replacing=target if registered else None)
            if violations:
                raise ShapeViolations(", ".join(s.name for s in sources), violations)
    except BaseException:
        store.drop_graph(staging)
        raise
    if dry_run:
        store.drop_graph(staging)
        return LoadResult(target, triples, not trusted, tuple(files), registered)
    record = registry.ImportRecord(
        graph=target,
        files=tuple(files),
        triples=triples,
        validated=not trusted,
        started=started,
        ended=registry.now(),
        importer=importer,
        restricted=restricted,
    )
    if phase:
        phase("register")
    registry.register(store, record, staged=staging)
    store.flush()
    failpoints.reached("load:registered")
    return LoadResult(target, triples, not trusted, tuple(files), registered)


def _validate(
    store: GraphStore, graph: rdf.NamedNode, triples: int, validator: Validator | None, replacing: rdf.NamedNode | None = None
) -> list[Violation]:
    """Focus nodes come from the new graph only; class and vocabulary look-ups also see the
    ontology and the graphs already loaded, so a file may point at actors loaded before it. The
    graph being replaced is left out: its old content must not make up for what the new lacks.
    The checks run in their focused forms unless the `triples` written are a bulk load (is_bulk)."""
    checker = validator if validator is not None else default_validator()
    infos = [info for info in registry.registered_graphs(store) if info.graph != replacing]
    context = [rdf.NamedNode(ONTOLOGY_GRAPH), *(info.graph for info in infos)]
    focused = not is_bulk(triples, sum(info.triples for info in infos))
    return checker.validate(store, [graph], context, focused=focused)


# The share of the dataset from which new data is checked with the checks' scanning forms rather
# than their focused ones (sh:minCount 1: one MINUS over the property against a look-up per focus
# node): bench/validation_forms.py measures where the two cross.
BULK_SHARE = 0.25


def is_bulk(new_triples: int, context_triples: int) -> bool:
    """Whether `new_triples` checked against `context_triples` already loaded is a bulk load: at
    least BULK_SHARE of the two together."""
    return new_triples > 0 and new_triples >= BULK_SHARE * (new_triples + context_triples)


def load_file(store: GraphStore, path: Path, *, fmt: str | None = None, **options: object) -> LoadResult:
    """Load one file into its own graph; see `load_sources` for the options."""
    return load_sources(store, [RdfSource.from_path(path, fmt)], **options)  # type: ignore[arg-type]
