"""How long the importers take on the real files in ../shared/data. Prints figures; it does not
pass or fail.

For the UN Security Council consolidated list, on a fresh on-disk store that holds the ontology
and the demo data, each run times, in one process:
- the first import (read, check, build, validate against the store, write);
- the same file again (nothing changes: read, build, compare);
- a newer list over it (the same file with 20 entries removed and a later generation date,
  written to a temporary folder): history kept, the 20 listings ended.
Then, on a fresh store, OpenSanctions: yente's test entity file (t1), then its three delta files
applied over it (the "delta" figure), in ../shared/data/opensanctions/ftm_entities.
Then, on the last store (demo, SFM export and UN list), screening 1,000 names: the UN list's own
names and aliases, every third one with a letter dropped, through the batched matcher with a
fresh name index (built once, as the first request of a data version does, and timed apart).
Runs are repeated (`--repeat`) on new stores and the medians printed, with every run's figures.

    .venv/bin/python bench/importers.py --repeat 5
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness import out

from graph.ingest import setup
from graph.ingest.importers.opensanctions import importer as opensanctions
from graph.ingest.importers.sfm import importer as sfm
from graph.ingest.importers.unsc import importer as unsc
from graph.query import sparql
from graph.store import open_store
from graph.vetting.screening.matching import match_all
from graph.vetting.screening.name_index import NameIndex
from graph.vetting.screening.rows import ScreenInput

UN_LIST = ROOT.parent / "shared" / "data" / "unsc" / "unsc_consolidated_generated_2018-10-29.xml"
OS_FOLDER = ROOT.parent / "shared" / "data" / "opensanctions" / "ftm_entities"
SFM_EXPORT = ROOT.parent / "shared" / "data" / "sfm" / "wwic_export_format"
DROPPED = 20


def newer_list(original: Path, target: Path) -> Path:
    """The list with its first DROPPED individuals removed and a later generation date."""
    data = original.read_text(encoding="utf-8")
    data = re.sub(r'dateGenerated="[^"]*"', 'dateGenerated="2018-11-15T10:00:00.000-05:00"', data, count=1)
    data = re.sub(r"<INDIVIDUAL>.*?</INDIVIDUAL>", "", data, count=DROPPED, flags=re.DOTALL)
    target.write_text(data, encoding="utf-8")
    return target


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def screening_rows(count: int) -> list[ScreenInput]:
    names = [e.name for e in unsc.read_list(UN_LIST).consolidated.entries]
    names += [a.name for e in unsc.read_list(UN_LIST).consolidated.entries for a in e.aliases]
    rows = []
    for i, name in enumerate(names[:count]):
        written = name[:3] + name[4:] if i % 3 == 0 and len(name) > 6 else name
        rows.append(ScreenInput(i + 2, written, "", ""))
    return rows


def unsc_run(workdir: Path, newer: Path, rows: list[ScreenInput]) -> dict[str, float]:
    store = open_store(workdir / "store")
    setup.init_store(store, demo=True)
    if SFM_EXPORT.exists():
        sfm.import_export(store, SFM_EXPORT)
    figures = {
        "first import": timed(lambda: unsc.import_list(store, UN_LIST)),
        "same file again": timed(lambda: unsc.import_list(store, UN_LIST)),
        f"newer list ({DROPPED} delisted)": timed(lambda: unsc.import_list(store, newer)),
    }
    if OS_FOLDER.exists():
        other = open_store(workdir / "os-store")
        setup.load_ontology(other)
        figures["opensanctions: entity file"] = timed(lambda: opensanctions.import_files(other, [OS_FOLDER / "t1_entities.ftm.json"], dataset="t1"))
        deltas = sorted(OS_FOLDER.glob("t2_*.delta.json"))
        figures["opensanctions: 3 deltas"] = timed(lambda: opensanctions.import_files(other, deltas, dataset="t1"))
        other.flush()
    dataset = sparql.dataset_for(store)
    built: list[NameIndex] = []
    figures["screening: name index"] = timed(lambda: built.append(NameIndex.build(store, dataset)))
    figures[f"screening: {len(rows):,} names"] = timed(lambda: match_all(built[0], rows))
    store.flush()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not UN_LIST.exists():
        out(f"skipped: {UN_LIST} is absent")
        return
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="actorgraph-importers-") as tmp:
        newer = newer_list(UN_LIST, Path(tmp) / "newer.xml")
        rows = screening_rows(1000)
        for run in range(args.repeat):
            runs.append(unsc_run(Path(tmp) / f"run-{run}", newer, rows))
    out(f"importers (UN list {UN_LIST.name}, OpenSanctions test files) and screening, {args.repeat} runs, seconds")
    out(f"| {'step':<28} | median | runs |")
    for step in runs[0]:
        values = [r[step] for r in runs]
        out(f"| {step:<28} | {statistics.median(values):6.2f} | {', '.join(f'{v:.2f}' for v in values)} |")


if __name__ == "__main__":
    main()
