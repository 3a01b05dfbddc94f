"""Which RDF formats ActorGraph reads, and how to tell them apart.

Oxigraph parses the common formats natively and fast. rdflib covers what Oxigraph does not
(TriX, HexTuples); those files are converted to N-Quads once and then take the fast path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.errors import UnsupportedMediaError
from graph.store import rdf


@dataclass(frozen=True)
class RdfFileFormat:
    name: str
    media_type: str
    extensions: tuple[str, ...]
    # The native format (graph.store.rdf), or None when only rdflib reads it (then rdflib_name is set).
    oxigraph: rdf.RdfFormat | None
    rdflib_name: str | None = None

    @property
    def has_graphs(self) -> bool:
        """Whether the format can name graphs (quads), not only triples."""
        return self.name in {"nquads", "trig", "jsonld", "trix", "hext"}

    @property
    def is_xml(self) -> bool:
        """Whether the parser is an XML one, which expands DTD entities (graph.guards.xml_guard)."""
        return self.name in {"rdfxml", "trix"}


FORMATS: tuple[RdfFileFormat, ...] = (
    RdfFileFormat("turtle", "text/turtle", (".ttl", ".turtle"), rdf.RdfFormat.TURTLE),
    RdfFileFormat("ntriples", "application/n-triples", (".nt", ".ntriples"), rdf.RdfFormat.N_TRIPLES),
    RdfFileFormat("nquads", "application/n-quads", (".nq", ".nquads"), rdf.RdfFormat.N_QUADS),
    RdfFileFormat("trig", "application/trig", (".trig",), rdf.RdfFormat.TRIG),
    RdfFileFormat("jsonld", "application/ld+json", (".jsonld", ".json"), rdf.RdfFormat.JSON_LD),
    RdfFileFormat("rdfxml", "application/rdf+xml", (".rdf", ".owl", ".xml"), rdf.RdfFormat.RDF_XML),
    RdfFileFormat("n3", "text/n3", (".n3",), rdf.RdfFormat.N3),
    RdfFileFormat("trix", "application/trix", (".trix",), None, "trix"),
    RdfFileFormat("hext", "application/x-ndjson+hextuples", (".hext",), None, "hext"),
)


class UnknownFormat(UnsupportedMediaError, ValueError):
    """The format could not be told from the name given or the file's extension."""


def known_names() -> str:
    return ", ".join(f.name for f in FORMATS)


def format_named(name: str) -> RdfFileFormat:
    """A format by its short name (turtle, nquads, ...), its media type, or an extension."""
    wanted = name.lower().strip()
    for candidate in FORMATS:
        if wanted in {candidate.name, candidate.media_type} or wanted.lstrip(".") in {
            ext.lstrip(".") for ext in candidate.extensions
        }:
            return candidate
    raise UnknownFormat(f"unknown RDF format {name!r}; known formats: {known_names()}")


def format_for_path(path: Path, explicit: str | None = None) -> RdfFileFormat:
    """The format of a file: the explicit name if given, else the extension (a .gz is not read)."""
    if explicit:
        return format_named(explicit)
    suffix = path.suffix.lower()
    for candidate in FORMATS:
        if suffix in candidate.extensions:
            return candidate
    raise UnknownFormat(
        f"{path}: cannot tell the RDF format from the extension {suffix or '(none)'!r}; "
        f"pass --format with one of: {known_names()}"
    )
