"""What a query returns, whatever backend answered: solutions, a boolean, or triples.

Solutions stream: they are read once, row by row, so a large SELECT is never held whole.
Each row is addressed by variable name (row["actor"]) or position.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeAlias

from graph.store import rdf


class Solutions:
    """The rows of a SELECT, in order, read once."""

    __slots__ = ("_stream", "_used", "variables")

    def __init__(self, stream: rdf.SolutionStream) -> None:
        self._stream = stream
        self._used = False
        self.variables: list[str] = [variable.value for variable in stream.variables]

    def __iter__(self) -> Iterator[rdf.Row]:
        self._used = True
        return iter(self._stream)

    def serialize(self, results_format: rdf.QueryResultsFormat) -> bytes:
        """The whole result in a SPARQL results format (JSON, XML, CSV, TSV)."""
        if self._used:
            raise RuntimeError("these solutions were already read")
        self._used = True
        return self._stream.serialize(format=results_format) or b""


@dataclass(frozen=True)
class Boolean:
    """The answer to an ASK."""

    value: bool

    def __bool__(self) -> bool:
        return self.value

    def serialize(self, results_format: rdf.QueryResultsFormat) -> bytes:
        return rdf.boolean_bytes(self.value, results_format)


class Triples:
    """The triples of a CONSTRUCT or DESCRIBE (a set: order and duplicates mean nothing)."""

    __slots__ = ("_triples",)

    def __init__(self, triples: Iterable[rdf.Triple]) -> None:
        self._triples = triples

    def __iter__(self) -> Iterator[rdf.Triple]:
        return iter(self._triples)

    def serialize(self, rdf_format: rdf.RdfFormat) -> bytes:
        """The triples in an RDF syntax (Turtle, N-Triples, JSON-LD, RDF/XML). The embedded engine's
        results are evaluated and written in one call that releases the GIL, with no Python
        object per triple, so queries on other threads run meanwhile."""
        if isinstance(self._triples, rdf.QueryTriples):
            return self._triples.serialize(format=rdf_format) or b""
        return rdf.triples_bytes(self._triples, rdf_format)


QueryResult: TypeAlias = Solutions | Boolean | Triples
