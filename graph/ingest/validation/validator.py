"""Running the compiled checks against a store's graphs."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Protocol

from graph.ingest.validation.checks import MAX_ROWS_PER_CHECK, CompiledCheck, Violation, _unique
from graph.ingest.validation.compiler import _compile_file, _names_for
from graph.store import GraphStore, rdf
from ontology.files import SHAPES_FILE


class ShapeValidator:
    """Validates graphs of a store against the shapes file, with compiled SPARQL."""

    def __init__(
        self,
        shapes_path: Path = SHAPES_FILE,
        max_rows_per_check: int = MAX_ROWS_PER_CHECK,
        workers: int | None = None,
    ) -> None:
        """Compile the shapes (cached per file version).

        `workers` threads run the checks: the embedded engine releases the GIL while it evaluates a query,
        so independent checks run in parallel on several cores.
        """
        path = Path(shapes_path).resolve()
        version = path.stat().st_mtime_ns
        self.shapes_path = path
        self.checks: tuple[CompiledCheck, ...] = _compile_file(path, version, max_rows_per_check)
        self.workers = max(1, workers if workers is not None else min(4, os.cpu_count() or 1))
        self._names = _names_for(path, version)

    def validate(
        self,
        store: GraphStore,
        data_graphs: Sequence[rdf.NamedNode],
        context_graphs: Sequence[rdf.NamedNode] = (),
        limit: int = 1000,
        *,
        focused: bool = False,
    ) -> list[Violation]:
        """Focus nodes are taken from `data_graphs` only; values/types/ontology are looked up in
        data_graphs + context_graphs (pass the ontology graph and other loaded graphs as context).
        `focused` runs the checks' focused forms, which start from the focus nodes, for data that is
        a small share of the dataset (graph.ingest.loader.is_bulk); the violations are the same
        (beyond `limit`, each form may stop at different ones).

        Stops after `limit` violations, so a badly broken import costs no more than a clean one.
        The report lists violations in check order, whatever order the threads finish in.
        """
        data = _unique(data_graphs)
        if limit <= 0 or not data:
            return []
        default = _unique([*data, *context_graphs])

        def run(check: CompiledCheck) -> list[Violation]:
            solutions = store.select(check.text_for(focused=focused), default_graph=default, named_graphs=data)
            return list(islice(check.violations(solutions, self._names), limit))

        found: list[Violation] = []
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="shacl") as pool:
            for result in pool.map(run, self.checks):
                found.extend(result[: limit - len(found)])
                if len(found) >= limit:
                    pool.shutdown(wait=False, cancel_futures=True)
                    break
        return found

    def compact(self, iri: str) -> str:
        """An IRI as violations show it: ag:confidence, or <iri> outside the known namespaces."""
        return self._names.compact(iri)


class Validator(Protocol):
    """What the loader validates with: ShapeValidator, or one that runs it elsewhere
    (graph.ingest.isolated_validation)."""

    def validate(
        self,
        store: GraphStore,
        data_graphs: Sequence[rdf.NamedNode],
        context_graphs: Sequence[rdf.NamedNode] = (),
        limit: int = 1000,
        *,
        focused: bool = False,
    ) -> list[Violation]: ...


@lru_cache(maxsize=1)
def default_validator() -> ShapeValidator:
    """The validator for the bundled shapes file, one per process: the shapes are compiled once."""
    return ShapeValidator()
