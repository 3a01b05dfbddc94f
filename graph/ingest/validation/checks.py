"""What validation reports (Violation), what a shape compiles to (CompiledCheck), and how
result rows become violations."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib.namespace import RDF, RDFS, XSD

from graph.errors import InternalError
from graph.store import Solutions, rdf

if TYPE_CHECKING:
    from graph.ingest.validation.names import _Names

# Rows a single compiled query may return; validate() also stops at its own `limit`.
MAX_ROWS_PER_CHECK = 10_000

# Prefixes every compiled query may use (the templates write rdf:type, rdfs:subClassOf, xsd:...).
QUERY_PREFIXES: Mapping[str, str] = {"rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)}

Term = rdf.Term

_VIOLATION = "sh:Violation"


class UnsupportedShapeError(InternalError, ValueError):
    """The shapes file uses SHACL this compiler does not implement, or uses it wrongly."""


@dataclass(frozen=True)
class Violation:
    """One validation result, flattened to strings so it can be printed, logged or returned by the API."""

    focus_node: str  # IRI or blank-node id of the focus node
    shape: str  # IRI/id of the shape, or its sh:name
    path: str | None  # property path, as a readable prefixed name where possible (ag:confidence)
    constraint: str  # e.g. "sh:minCount", "sh:datatype", "sh:lessThanOrEquals"
    message: str  # human sentence: "Relation node has no source (prov:wasDerivedFrom)"
    value: str | None  # offending value where there is one
    severity: str = _VIOLATION  # "sh:Violation", "sh:Warning" or "sh:Info"

    def __str__(self) -> str:
        """One line: ``<focus> ag:confidence: message (sh:in) [value]``."""
        focus = self.focus_node if self.focus_node.startswith("_:") else "<" + self.focus_node + ">"
        where = focus + (" " + self.path if self.path else "")
        line = where + ": " + self.message + " (" + self.constraint + ")"
        if self.value is not None:
            line += " [" + self.value + "]"
        if self.severity != _VIOLATION:
            line = self.severity.removeprefix("sh:").lower() + ": " + line
        return line


@dataclass(frozen=True)
class CompiledCheck:
    """One (shape, constraint) pair compiled to a SELECT whose rows are the violations.

    Rows bind ?this (the focus node) and, where the constraint has one, ?value; a SHACL-SPARQL
    query may also bind ?path.
    """

    shape: str
    path: str | None
    constraint: str
    message: str
    severity: str
    query: str
    prefixes: tuple[tuple[str, str], ...]
    # The same violations found by looking up each focus node instead of by scanning the property
    # across the dataset: faster when the data checked is a small share of the dataset. Only
    # sh:minCount 1 on a path without * + ? has one (graph.ingest.validation.compiler).
    focused_query: str | None = None

    @property
    def text(self) -> str:
        """The query with its prefixes declared, as the store runs it."""
        return self.text_for(focused=False)

    def text_for(self, *, focused: bool) -> str:
        """The query to run, its focused form when asked for and there is one, with prefixes declared."""
        query = self.focused_query if focused and self.focused_query is not None else self.query
        return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in self.prefixes) + query

    def violations(self, solutions: Solutions, names: _Names) -> Iterator[Violation]:
        """Turn result rows into Violations."""
        projected = solutions.variables
        for solution in solutions:
            row: dict[str, Term] = {}
            for name in projected:
                term = solution[name]
                if term is not None:
                    row[name] = term
            focus = row.get("this")
            if focus is None:  # a SHACL-SPARQL query may leave $this unbound: nothing to report
                continue
            path = self.path
            if isinstance(row.get("path"), rdf.NamedNode):
                path = names.compact(row["path"].value)  # type: ignore[union-attr]
            value = row.get("value")
            yield Violation(
                focus_node=_node_id(focus),
                shape=self.shape,
                path=path,
                constraint=self.constraint,
                message=_render_message(self.message, row, path, names),
                value=None if value is None else names.readable(value),
                severity=self.severity,
            )


# --------------------------------------------------------------------------------------------
# Reading results
# --------------------------------------------------------------------------------------------


def _node_id(term: Term) -> str:
    """A focus node as the Violation reports it: the IRI itself, or _:id for a blank node."""
    if isinstance(term, rdf.NamedNode):
        return term.value
    if isinstance(term, rdf.BlankNode):
        return "_:" + term.value
    return str(term)


def _unique(graphs: Sequence[rdf.NamedNode]) -> list[rdf.NamedNode]:
    """Graphs in order, each once, so that no graph is read twice."""
    seen: dict[str, rdf.NamedNode] = {}
    for graph in graphs:
        seen.setdefault(graph.value, graph)
    return list(seen.values())


_MESSAGE_VARIABLE = re.compile(r"\{[?$](\w+)\}")


def _render_message(template: str, row: Mapping[str, Term], path: str | None, names: _Names) -> str:
    """Fill SHACL message placeholders such as {?value} and {$this} from the result row."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "path" and path is not None and "path" not in row:
            return path
        term = row.get(name)
        return match.group(0) if term is None else names.readable(term)

    return _MESSAGE_VARIABLE.sub(replace, template)
