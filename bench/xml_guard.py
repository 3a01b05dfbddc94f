"""What the XML checks (graph/guards/xml_guard.py) cost next to parsing the same RDF/XML.

Prints figures; it does not pass or fail. Writes an RDF/XML file of synthetic triples, in the
style OWL tools write (a DOCTYPE of entities, and references in every rdf:resource), plus the same
triples with plain IRIs, then times, interleaved and `--repeat` times: the entity scan of each file
(memory-mapped), the depth check (expat), and pyoxigraph's parse of it (every quad consumed).
Reports medians and the checks' share of the parse.

    .venv/bin/python bench/xml_guard.py --triples 300000 --repeat 5
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from graph.guards.xml_guard import check_depth, check_entities

NS = "https://w3id.org/actorgraph/fictional/id/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def write_document(path: Path, triples: int, *, entities: bool) -> None:
    """`triples` triples, a third of them links between nodes, the rest labels."""
    prefix = "&id;" if entities else NS
    label = "&rdfs;label" if entities else f"{RDFS}label"
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0"?>\n')
        if entities:
            out.write(f'<!DOCTYPE rdf:RDF [\n  <!ENTITY id "{NS}" >\n  <!ENTITY rdfs "{RDFS}" >\n]>\n')
        out.write('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" xmlns:ag="https://w3id.org/actorgraph/ontology#">\n')
        for i in range(triples // 3):
            out.write(
                f'<rdf:Description rdf:about="{prefix}unit/u{i}"><rdfs:label>Unit {i}</rdfs:label>'
                f'<ag:memberOf rdf:resource="{prefix}unit/u{i // 10}"/><rdfs:seeAlso rdf:resource="{label}"/></rdf:Description>\n'
            )
        out.write("</rdf:RDF>\n")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def scan(path: Path) -> None:
    check_entities(path.read_bytes())


def depth(path: Path) -> None:
    with path.open("rb") as stream:
        check_depth(stream)


def parse(path: Path) -> int:
    return sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.RDF_XML))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        files = {name: Path(directory) / f"{name}.rdf" for name in ("with entities", "plain IRIs")}
        for name, path in files.items():
            write_document(path, args.triples, entities=name == "with entities")
        steps: dict[str, Callable[[Path], object]] = {"entities": scan, "depth": depth, "parse": parse}
        times: dict[tuple[str, str], list[float]] = {(name, step): [] for name in files for step in steps}
        for _ in range(args.repeat):
            for name, path in files.items():
                for step, action in steps.items():
                    times[(name, step)].append(timed(functools.partial(action, path)))
        print(f"{args.triples:,} triples, {args.repeat} runs each, interleaved; medians")
        for name, path in files.items():
            median = {step: statistics.median(times[(name, step)]) for step in steps}
            checks = median["entities"] + median["depth"]
            print(
                f"{name:14} {path.stat().st_size / 1e6:6.1f} MB   entities {median['entities'] * 1000:7.1f} ms   "
                f"depth {median['depth'] * 1000:7.1f} ms   parse {median['parse'] * 1000:7.1f} ms   checks/parse {checks / median['parse']:6.1%}"
            )


if __name__ == "__main__":
    main()
