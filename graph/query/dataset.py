"""The RDF dataset a query runs over: the protocol's parameters, else the text's FROM / FROM NAMED,
else everything the caller may read, and never beyond that.

The store is always given an explicit dataset (graph.store.base), so FROM and FROM NAMED are read
here from the text and intersected with the caller's graphs: a graph the caller may not read
contributes nothing, exactly as if it were empty.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from graph.guards.sparql_scan import resolved_tokens
from graph.store import rdf

# Everything but what SPARQL's IRIREF excludes: <>"{}|^`\ and spaces and controls.
_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_ERROR_POSITION = re.compile(r"\b(error at |line )(\d+)([:,])")


@dataclass(frozen=True)
class QueryDataset:
    """The graphs whose merge is the default graph, and those GRAPH may reach."""

    default: list[rdf.NamedNode]
    named: list[rdf.NamedNode]


def dataset_clauses(text: str) -> tuple[list[str], list[str]] | None:
    """The IRIs of the text's FROM and FROM NAMED clauses, resolved; None when it has neither.
    Dataset clauses stand outside every group (a subquery has none), so only those at brace depth
    zero count."""
    default: list[str] = []
    named: list[str] = []
    depth = 0
    pending: str | None = None  # "from" after FROM, "named" after FROM NAMED
    for token, iri in resolved_tokens(text):
        upper = token.text.upper() if token.kind == "word" else ""
        if token.kind == "other" and token.text in "{}":
            depth += 1 if token.text == "{" else -1
            pending = None
        elif depth != 0:
            continue
        elif upper == "FROM":
            pending = "from"
        elif upper == "NAMED" and pending == "from":
            pending = "named"
        elif pending is not None and iri is not None:
            (named if pending == "named" else default).append(iri)
            pending = None
        else:
            pending = None
    if not default and not named:
        return None
    return default, named


def query_dataset(
    text: str,
    visible: Sequence[rdf.NamedNode],
    *,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
) -> QueryDataset:
    """The dataset of one query, per SPARQL 1.1 Protocol section 2.1.4 and Query section 13.2.

    The protocol's default-graph-uri / named-graph-uri take precedence over the text; either one
    alone still defines the whole dataset (only named graphs: an empty default graph; only default
    graphs: no named graphs). Without them, FROM / FROM NAMED in the text do the same. Without
    either, the default graph is the merge of every graph the caller may read, and each of those
    is a named graph. Every list is intersected with `visible`."""
    by_iri = {graph.value: graph for graph in visible}

    def readable(iris: Sequence[str]) -> list[rdf.NamedNode]:
        return [by_iri[iri] for iri in dict.fromkeys(iris) if iri in by_iri]

    if default_graph_uris or named_graph_uris:
        return QueryDataset(readable(default_graph_uris), readable(named_graph_uris))
    clauses = dataset_clauses(text)
    if clauses is not None:
        return QueryDataset(readable(clauses[0]), readable(clauses[1]))
    return QueryDataset(list(visible), list(visible))


def with_base(text: str, base: str) -> str:
    """The text with `base` as its base IRI, for relative IRIs (the request's endpoint URL, as the
    protocol tests expect). A BASE in the text itself still wins, resolved against this one. The
    declaration takes a line of its own, which `unshift_positions` takes back out of messages.
    Characters an IRI reference may not hold (from a Host header, say) are percent-encoded, so the
    base can never end the declaration early."""
    return f"BASE <{quote(base, safe=_IRI_SAFE)}>\n{text}"


def unshift_positions(message: str) -> str:
    """A parser message about a `with_base` text, with its line numbers as in the caller's text."""
    return _ERROR_POSITION.sub(lambda m: f"{m.group(1)}{max(int(m.group(2)) - 1, 1)}{m.group(3)}", message)
