"""The SFM CMS import and /reconcile, on the real fixtures in ../shared/data. Prints figures; it
does not pass or fail.

1. Importing the CMS fixtures (`actorgraph import sfm-cms`) into a fresh on-disk store that holds
   the ontology and the demo data, then the same folder again (nothing changes), `--repeat` times.
2. Reconciliation batches the size OpenRefine sends (10 queries) and ten times that, built from the
   fixtures' own unit names written as a spreadsheet might hold them (lower case, accents dropped,
   words reordered), interleaved call by call in one run:
   - `graph.vetting.screening.reconcile.reconcile` in-process, on a copy of the store;
   - POST /reconcile, form-encoded as OpenRefine sends it, to a real `actorgraph serve`.
   The name index is built before timing (the first request of a data version pays for it; that
   one-off cost is printed apart).

    .venv/bin/python bench/reconcile.py --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness import Server, clone_store, interleaved, out

from graph.ingest import derivation, setup
from graph.ingest.importers.sfm import importer as sfm
from graph.query import sparql
from graph.store import open_store
from graph.vetting.audit import data_version
from graph.vetting.screening.name_index import NameIndex
from graph.vetting.screening.reconcile import parse_batch, reconcile

FIXTURES = ROOT.parent / "shared" / "data" / "sfm" / "wwic_cms_fixtures"


def timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def spreadsheet_names() -> list[str]:
    """The fixtures' unit names as a spreadsheet column might hold them."""
    names = sorted({r["fields"]["value"] for r in json.loads((FIXTURES / "organization.json").read_text(encoding="utf-8"))
                    if r["model"] == "organization.organizationname"})  # fmt: skip
    written = []
    for i, name in enumerate(names):
        plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
        words = plain.split()
        written.append([name, plain.lower(), " ".join(words[1:] + words[:1])][i % 3])
    return written


def batches(names: list[str], size: int, count: int) -> list[dict[str, dict[str, str]]]:
    return [{f"q{j}": {"query": names[(i * size + j) % len(names)]} for j in range(size)} for i in range(count)]


def import_run(path: Path) -> dict[str, float]:
    """One fresh store: the import, then the same folder again; derived links as the CLI leaves them."""
    store = open_store(path)
    setup.init_store(store, demo=True)
    figures = {
        "CMS fixtures, first import": timed(lambda: sfm.import_cms_fixtures(store, FIXTURES)),
        "same folder again": timed(lambda: sfm.import_cms_fixtures(store, FIXTURES)),
    }
    derivation.reason(store)
    store.flush()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds over the reconciliation batches")
    args = parser.parse_args()
    if not FIXTURES.exists():
        out(f"skipped: {FIXTURES} is absent")
        return
    with tempfile.TemporaryDirectory(prefix="actorgraph-reconcile-") as tmp:
        runs = [import_run(Path(tmp) / f"store-{run}") for run in range(args.repeat)]
        out(f"SFM CMS fixtures ({FIXTURES.name}), {args.repeat} runs, seconds")
        out(f"| {'step':<28} | median | runs |")
        for step in runs[0]:
            values = [r[step] for r in runs]
            out(f"| {step:<28} | {statistics.median(values):6.2f} | {', '.join(f'{v:.2f}' for v in values)} |")

        served_path, local_path = Path(tmp) / "store-0", Path(tmp) / "local"
        clone_store(served_path, local_path)
        local = open_store(local_path)
        dataset = sparql.dataset_for(local)
        digest = data_version(local, dataset).digest
        out(f"\nname index for the demo and the CMS fixtures: built in {timed(lambda: NameIndex.build(local, dataset)):.2f} s (once per data version)")
        names = spreadsheet_names()
        server = Server(served_path, label="reconcile bench")
        try:
            server.wait_ready()
            for size, count in ((10, 10), (100, 3)):
                inputs = batches(names, size, count)

                def direct(batch: dict[str, dict[str, str]]) -> object:
                    return reconcile(local, dataset, parse_batch(batch), version_digest=digest)

                def http(batch: dict[str, dict[str, str]]) -> object:
                    answer = server.client.post("/reconcile", data={"queries": json.dumps(batch)})
                    answer.raise_for_status()
                    return answer

                samples = interleaved([("in-process reconcile()", direct), ("POST /reconcile (HTTP)", http)], inputs, args.rounds)
                out(f"\nbatches of {size} queries ({count} batches x {args.rounds} rounds), milliseconds per batch")
                out(f"| {'variant':<24} |    p50 |    p95 | per query p50 |")
                for name, sample in samples.items():
                    out(f"| {name:<24} | {sample.p50():6.1f} | {sample.p95():6.1f} | {sample.p50() / size:13.2f} |")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
