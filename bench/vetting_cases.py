"""Vetting cases: what recording a decision, signing it off and listing cases cost.

Listing runs the engine again for every case that still stands (to find those new data changed),
so its cost grows with the number of standing cases; this measures it on the demo data (in
memory) with every vettable demo and fictional subject decided once, and then twice (the older
case of each subject superseded, so not run again), and compares, interleaved, the listing's one
shared fact cache with the re-vetting alone done with one cache per case. It measures and prints;
it does not pass or fail.

    .venv/bin/python bench/vetting_cases.py --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from harness import percentile

from graph.ingest import setup
from graph.query import sparql
from graph.store import open_store
from graph.vetting import audit
from graph.vetting.cases import records as cases
from graph.vetting.cases.review import recheck, review
from graph.vetting.engine import NotVettable
from graph.vetting.policy import DEFAULT_POLICY

SUBJECTS = """
PREFIX ag: <https://w3id.org/actorgraph/ontology#>
SELECT DISTINCT ?s WHERE { { ?s a ag:Person } UNION { ?s a ag:MilitaryUnit } UNION { ?s a ag:PoliceUnit } UNION { ?s a ag:ArmedGroup } }
"""


def ms(values: list[float]) -> str:
    p95 = percentile(values, 0.95)
    return f"p50 {statistics.median(values) * 1000:9.2f} ms   p95 {p95 * 1000:9.2f} ms   (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="How many times each listing is timed.")
    args = parser.parse_args()
    store = open_store(None)
    setup.init_store(store, demo=True)
    dataset = sparql.dataset_for(store)
    decider, reviewer = audit.Agent("a" * 12, "bench decider", "analyst"), audit.Agent("b" * 12, "bench reviewer", "analyst")
    subjects = sorted(row["s"].value for row in store.select(SUBJECTS, default_graph=list(dataset.graphs)))
    created, signed = [], []
    for rounds in (1, 2):
        for subject in subjects:
            started = time.perf_counter()
            try:
                case = cases.create(store, dataset, subject, agent=decider, decision="suspend", justification="bench",
                                    on=date(2025, 6, 1), policy=DEFAULT_POLICY)
            except NotVettable:
                continue
            created.append(time.perf_counter() - started)
            started = time.perf_counter()
            cases.sign_off(store, case.id, agent=reviewer)
            signed.append(time.perf_counter() - started)
        everything = cases.list_cases(store)
        standing = len({c.subject for c in everything})
        listing, separate = [], []
        for _ in range(args.repeat):  # interleaved: the shared fact cache against one cache per case
            started = time.perf_counter()
            views = review(store, dataset, cases.list_cases(store), on=date.today())
            listing.append(time.perf_counter() - started)
            started = time.perf_counter()
            for view in views:
                if view.change is not None:
                    recheck(store, dataset, view.case)
            separate.append(time.perf_counter() - started)
        statuses = {s: sum(1 for v in views if v.status == s) for s in {v.status for v in views}}
        print(f"{len(everything):>4} cases, {standing} standing: list with status  {ms(listing)}   "
              f"{statistics.median(listing) / standing * 1000:.2f} ms per standing case   {statuses}")
        print(f"{'':>4}   re-vetting only, one fact cache per case  {ms(separate)}   "
              f"shared/separate {statistics.median(listing) / statistics.median(separate):.2f}")
    print(f"record a decision (vet + audit run + case)  {ms(created)}")
    print(f"sign off                                    {ms(signed)}")


if __name__ == "__main__":
    main()
