"""Where the two forms of the sh:minCount 1 checks cross: scanning (MINUS over the path's triples,
in proportion to the whole dataset) or focused (a FILTER NOT EXISTS look-up per focus node, in
proportion to the new data); every other check runs the same in both. New synthetic data of
several sizes is staged beside a loaded base and the whole validation is timed with each, interleaved;
the script prints medians, the ratio and which form `graph.ingest.loader.is_bulk` picks (a bulk
load: scanning).

    .venv/bin/python bench/validation_forms.py --actors 50000 --repeat 3
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pyoxigraph as ox
from cli_load_rate import as_ntriples
from harness import interleaved, out

from graph.ingest import loader, setup
from graph.ingest.loader import RdfSource, is_bulk
from graph.ingest.validation import default_validator
from graph.store import open_store
from graph.synthetic import generator as synth
from ontology.namespaces import ONTOLOGY_GRAPH, SYNTHETIC

STAGED = "https://w3id.org/actorgraph/graph/staged-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=50_000, help="synthetic actors in the loaded base")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = sorted({max(10, args.actors * share // 1000) for share in (1, 10, 50, 100, 200, 1000)})
    with tempfile.TemporaryDirectory(prefix="actorgraph-validation-forms-") as tmp:
        work = Path(tmp)
        store = open_store(work / "store")
        setup.load_ontology(store)
        base = as_ntriples(_synthetic(work, args.actors, seed=42), work / "base.nt")
        loaded = loader.load_sources(store, [RdfSource.from_path(base)], graph="base", trusted=True)
        staged: list[tuple[ox.NamedNode, int]] = []
        for actors in sizes:
            document = _renamed(_synthetic(work, actors, seed=7), work / f"new-{actors}.nt", f"new-{actors}/")
            graph = ox.NamedNode(f"{STAGED}{actors}")
            store.load_triples(document, ox.RdfFormat.N_TRIPLES, graph)
            staged.append((graph, store.graph_size(graph)))
        validator = default_validator()
        context = [ox.NamedNode(ONTOLOGY_GRAPH), loaded.graph]
        found = {triples: len(validator.validate(store, [graph], context)) for graph, triples in staged}

        def scanning(graph: ox.NamedNode) -> None:
            validator.validate(store, [graph], context)

        def focused(graph: ox.NamedNode) -> None:
            validator.validate(store, [graph], context, focused=True)

        samples = interleaved([("scanning", scanning), ("focused", focused)], [graph for graph, _ in staged], args.repeat)
    out(f"base: {loaded.triples:,} triples; {args.repeat} interleaved runs each; whole validation, median ms")
    out(f"{'new triples':>12} {'share':>7} {'scanning':>9} {'focused':>9} {'focused/scanning':>17}  {'violations':>10}  is_bulk picks")
    for index, (_, triples) in enumerate(staged):
        scan_ms, focused_ms = samples["scanning"].p50([index]), samples["focused"].p50([index])
        share = triples / (triples + loaded.triples)
        picked = "scanning" if is_bulk(triples, loaded.triples) else "focused"
        out(f"{triples:>12,} {share:>7.1%} {scan_ms:>9.0f} {focused_ms:>9.0f} {focused_ms / scan_ms:>17.2f}  {found[triples]:>10}  {picked}")


def _renamed(quads: Path, target: Path, prefix: str) -> Path:
    """The triples with every synthetic IRI moved under `prefix`, so that the new data shares no
    node with the base (a shared node would gain a second label, date or count, and the checks
    would stop at their violation limit) (untimed)."""
    space = SYNTHETIC

    def moved(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
        if isinstance(term, ox.NamedNode) and term.value.startswith(space):
            return ox.NamedNode(space + prefix + term.value.removeprefix(space))
        return term

    parsed = ox.parse(path=str(quads), format=ox.RdfFormat.N_QUADS)
    with target.open("wb") as output:
        ox.serialize((ox.Triple(moved(q.subject), q.predicate, moved(q.object)) for q in parsed), output, ox.RdfFormat.N_TRIPLES)  # type: ignore[arg-type]
    return target


def _synthetic(work: Path, actors: int, *, seed: int) -> Path:
    path = work / f"synthetic-{actors}-{seed}.nq"
    synth.write_synthetic(path, actors, seed=seed)
    return path


if __name__ == "__main__":
    main()
