"""What the XML entity scan (graph/xml_entities.py) costs next to parsing the same RDF/XML.

Prints figures; it does not pass or fail. Writes an RDF/XML file of synthetic triples, in the
style OWL tools write (a DOCTYPE of entities, and references in every rdf:resource), plus the same
triples with plain IRIs, then times, interleaved and `--repeat` times: the scan of each file (memory-
mapped) and pyoxigraph's parse of it (every quad consumed). Reports medians and the scan's share.

    .venv/bin/python bench/xml_entities.py --triples 300000 --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from graph.xml_entities import check_stream

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
    with path.open("rb") as stream:
        check_stream(stream)


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
        times: dict[tuple[str, str], list[float]] = {(name, step): [] for name in files for step in ("scan", "parse")}
        for _ in range(args.repeat):
            for name, path in files.items():
                times[(name, "scan")].append(timed(lambda: scan(path)))
                times[(name, "parse")].append(timed(lambda: parse(path)))
        print(f"{args.triples:,} triples, {args.repeat} runs each, interleaved; medians")
        for name, path in files.items():
            scan_s = statistics.median(times[(name, "scan")])
            parse_s = statistics.median(times[(name, "parse")])
            size = path.stat().st_size / 1e6
            print(f"{name:14} {size:6.1f} MB   scan {scan_s * 1000:8.1f} ms   parse {parse_s * 1000:8.1f} ms   scan/parse {scan_s / parse_s:6.1%}")


if __name__ == "__main__":
    main()
