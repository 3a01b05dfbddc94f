"""Fast SHACL validation: the shapes file compiled to SPARQL and run by the store.

pyshacl evaluates shapes in Python and needs ~25 s for 12.6k triples. ActorGraph validates every
import before it lands, on graphs of a million triples, so here each (shape, constraint) of the
shapes file becomes one SPARQL SELECT, compiled once and run straight on the store.

How a shape becomes queries (templates in queries/shacl/*.rq):

- Targets become a focus pattern that binds ?this. Focus nodes come from the data graphs only
  (a GRAPH pattern over ``named_graphs=``); everything else, including the rdfs:subClassOf closure
  from the ontology, is read in the default graph, which is the data plus the context graphs.
- sh:minCount walks the focus nodes (a node with no value leaves nothing else to scan), except
  sh:minCount 1 on a path without * + ?, which scans the path's triples once (a MINUS anti-join).
- Per-value constraints and sh:maxCount are value-first: they scan the path's triples for offending
  values (or counts), and only then check that the subject is a focus node. A valid graph then
  costs one predicate scan per constraint instead of one lookup per focus node.
- A scan costs in proportion to the dataset whatever the size of the new data, so sh:minCount 1
  keeps its walk as a focused form, which the loader runs unless the new data is a large share of
  what it is checked against (graph.ingest.loader.is_bulk). The value-first checks have none:
  filled with the focus pattern first, Oxigraph still does not start from the focus nodes, and
  they were many times slower even for a few hundred new triples.
- Logical constraints (sh:or, sh:and, sh:not, sh:xone, sh:node) become boolean SPARQL expressions
  composed from the same per-constraint fragments.
- sh:sparql runs the shape's own SELECT with the focus pattern injected at the start of its WHERE
  clause, so that $this is bound to focus nodes.

Query text is only ever the templates, filled with string.Template using terms from the shapes
file serialized as SPARQL terms (IRIs in <>, literals escaped). No data value enters query text.
Anything in the shapes file this compiler cannot honour raises UnsupportedShapeError at compile
time rather than being skipped.
"""

from __future__ import annotations

from graph.ingest.validation.checks import MAX_ROWS_PER_CHECK, CompiledCheck, UnsupportedShapeError, Violation
from graph.ingest.validation.validator import ShapeValidator, Validator, default_validator

__all__ = [
    "MAX_ROWS_PER_CHECK",
    "CompiledCheck",
    "ShapeValidator",
    "UnsupportedShapeError",
    "Validator",
    "Violation",
    "default_validator",
]
