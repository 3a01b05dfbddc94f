"""What differs between the SPARQL engines ActorGraph speaks to: endpoints, result formats, how
the union of all graphs is asked for, how a query is stopped and how a cancelled one shows, how
quads are written and what the engine keeps for itself. Callers never see these differences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.store.base import StoreError
from graph.store.location import RemoteLocation

TSV, XML = "text/tab-separated-values", "application/sparql-results+xml"
NTRIPLES, NQUADS = "application/n-triples", "application/n-quads"
# A DATA operation on a line of its own whose graph block is empty (as a filled template leaves it).
_EMPTY_DATA = re.compile(r"^[ \t]*(?:INSERT|DELETE)[ \t]+DATA[ \t]*\{[ \t]*GRAPH[ \t]*<[^<>\s]*>[ \t]*\{\s*\}[ \t]*\}[ \t]*;?[ \t]*$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Dialect:
    engine: str  # its name for people: "Oxigraph server", "Virtuoso"
    query: str  # SPARQL 1.1 Protocol query endpoint
    update: str  # SPARQL 1.1 Protocol update endpoint
    store: str  # SPARQL 1.1 Graph Store Protocol endpoint
    # A query parameter that makes the default graph the union of every graph (None: no such flag).
    union_parameter: str | None
    # The text an engine appends to a 200 response whose query it cancelled at its own timeout.
    cancelled_marker: bytes | None
    # What to ask for: solutions and booleans, and graphs (CONSTRUCT, DESCRIBE). Each is asked
    # for alone when the query form is known, since some engines pick by the header's order.
    solutions_type: str = TSV
    graph_type: str = NTRIPLES
    # The query parameter that carries the engine's own timeout in milliseconds (None: a
    # server-wide setting), and the response header (name, value) that marks a result it cut short.
    timeout_parameter: str | None = None
    cancelled_header: tuple[str, str] | None = None
    # Text in an error answer that means the engine stopped the query at its timeout.
    timeout_error: str | None = None
    # A header whose presence means the engine cut the result at a server-wide row limit.
    truncated_header: str | None = None
    # Whether the store endpoint takes N-Quads for the whole dataset (else N-Triples per graph,
    # named by `graph-uri`), and answers a GET with all of it.
    dataset_quads: bool = True
    # Whether the engine keeps a default graph of its own (else its default graph is the union of
    # all graphs, and a quad can only live in a named graph).
    own_default_graph: bool = True
    # Whether GRAPH ?g { } lists a graph created empty (else only graphs that hold a quad exist).
    empty_graphs: bool = True
    # Prefixes of the graphs the engine keeps for itself, never shown as the store's.
    system_graphs: tuple[str, ...] = ()
    # Whether the engine parses INSERT DATA / DELETE DATA { GRAPH <g> { } } (else they are left
    # out: they change nothing).
    empty_data_blocks: bool = True

    def update_text(self, text: str) -> str:
        """An update as this engine parses it, with the same effect."""
        return text if self.empty_data_blocks else _EMPTY_DATA.sub("", text)

    def accept(self, form: str | None) -> str:
        """The Accept header for a query of `form` (SELECT, ASK, CONSTRUCT, DESCRIBE, or None)."""
        if form in ("SELECT", "ASK"):
            return self.solutions_type
        if form in ("CONSTRUCT", "DESCRIBE"):
            return self.graph_type
        return f"{self.solutions_type}, {self.graph_type};q=0.9"


def dialect_for(location: RemoteLocation) -> Dialect:
    """The endpoints and quirks of the engine at `location`."""
    base = location.url
    if location.engine == "oxigraph":
        # Oxigraph server streams a 200 first and, when --timeout-s cancels the query, ends the
        # body with its error message instead of the rest of the result.
        return Dialect("Oxigraph server", f"{base}/query", f"{base}/update", f"{base}/store", "union-default-graph", b"The SPARQL operation has been cancelled")
    if location.engine == "virtuoso":
        # Virtuoso quotes TSV headers and answers ASK in TSV as "bool"/1, so solutions come as XML;
        # its XML names blank nodes nodeID://… (graph.store.remote.protocol cleans that). Its
        # `timeout` answers 500 S1T00, or a 200 with what it found so far and X-SQL-State: S1TAT.
        # It cuts any result at ResultSetMaxRows and says so in X-SPARQL-MaxRows.
        return Dialect(
            "Virtuoso",
            f"{base}/sparql",
            f"{base}/sparql",
            f"{base}/sparql-graph-crud",
            None,
            None,
            solutions_type=XML,
            timeout_parameter="timeout",
            cancelled_header=("x-sql-state", "S1TAT"),
            timeout_error="S1T00",
            truncated_header="x-sparql-maxrows",
            dataset_quads=False,
            own_default_graph=False,
            empty_graphs=False,
            empty_data_blocks=False,
            system_graphs=("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://localuriqaserver/"),
        )
    raise StoreError(
        f"store {location}: ActorGraph has no backend for {location.engine} yet; Oxigraph server (oxigraph+http://host:port) "
        "and Virtuoso (virtuoso+http://host:port) are supported"
    )
