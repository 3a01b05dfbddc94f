"""Time to interactive of a large graph view in a real browser.

Prints figures; it does not pass or fail. It builds a synthetic force structure (an army with
divisions, brigades and battalions under dated subordinations, rotating commanders and a few
alliances across brigades; about --nodes units and people), loads it into a fresh store with
`actorgraph load --trusted`, serves it with `actorgraph serve`, and opens the actor view of the
army at depth 3 in Debian's Chromium through Playwright. For each run it reports, from the start
of navigation:

- the server's answer (responseEnd: the page with the view's JSON embedded),
- DOMContentLoaded,
- "interactive": the view's layout has stabilized and physics is off (graph/page.js marks
  `actorgraph-graph-ready`), so the view can be clicked, dragged and zoomed,
- and how long a click on a node takes to open its details panel.

    .venv/bin/python bench/views.py --nodes 2000 --repeat 3

Data is written under the SYNTHETIC namespace (bench/ path), never mixed with real actors.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from harness import Server, cli
from playwright.sync_api import sync_playwright

from ontology.namespaces import SYNTHETIC

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BASE = SYNTHETIC + "bench/"
PREFIXES = """@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def force_structure(target_nodes: int) -> tuple[str, int]:
    """Turtle for an army of about `target_nodes` nodes within three relations of its root:
    divisions under the army, brigades under divisions, battalions under brigades (each with a
    dated subordination, some re-parented), commanders of the brigades and alliances between
    neighbouring brigades. Returns the text and the number of nodes."""
    divisions = 10
    brigades_per_division = 10
    battalions = max(1, -(-(target_nodes - 1 - divisions - 2 * divisions * brigades_per_division) // (divisions * brigades_per_division)))
    lines = [PREFIXES, f"<{BASE}source/orbat> a ag:Source ; dcterms:title \"Synthetic order of battle\" ; dcterms:issued \"2020\"^^xsd:gYear ."]
    count = 0
    relation = 0

    def unit(iri: str, label: str, cls: str = "ag:MilitaryUnit") -> None:
        nonlocal count
        count += 1
        lines.append(f'<{iri}> a {cls} ; rdfs:label "{label}" ; ag:name "{label}" ; prov:wasDerivedFrom <{BASE}source/orbat> .')

    def link(kind: str, a_role: str, a: str, b_role: str, b: str, start: str, end: str | None, confidence: str = "ag:HighConfidence") -> None:
        nonlocal relation
        relation += 1
        dates = f' ; ag:startDate "{start}"^^xsd:date' + (f' ; ag:endDate "{end}"^^xsd:date' if end else "")
        lines.append(
            f"<{BASE}relation/r{relation}> a {kind} ; {a_role} <{a}> ; {b_role} <{b}>{dates} ; "
            f"ag:confidence {confidence} ; prov:wasDerivedFrom <{BASE}source/orbat> ."
        )

    army = BASE + "unit/army"
    unit(army, "Synthetic Army")
    for d in range(divisions):
        division = f"{BASE}unit/div-{d}"
        unit(division, f"Division {d}")
        link("ag:Subordination", "ag:childUnit", division, "ag:parentUnit", army, "2005-01-01", None)
        for b in range(brigades_per_division):
            brigade = f"{BASE}unit/bde-{d}-{b}"
            unit(brigade, f"Brigade {d}.{b}")
            moved = b % 4 == 0 and d > 0
            link("ag:Subordination", "ag:childUnit", brigade, "ag:parentUnit", division, "2008-01-01" if not moved else "2016-07-01", None)
            if moved:
                link("ag:Subordination", "ag:childUnit", brigade, "ag:parentUnit", f"{BASE}unit/div-{d - 1}", "2008-01-01", "2016-06-30")
            commander = f"{BASE}person/cdr-{d}-{b}"
            unit(commander, f"Colonel {d}.{b}", "ag:Person")
            link("ag:Command", "ag:commander", commander, "ag:commandedUnit", brigade, f"{2010 + (b % 8)}-03-01", f"{2014 + (b % 8)}-02-28" if b % 3 else None)
            if b:
                link("ag:Alliance", "ag:firstParty", brigade, "ag:ally", f"{BASE}unit/bde-{d}-{b - 1}", "2012-01-01", "2018-12-31", "ag:LowConfidence")
            for n in range(battalions):
                battalion = f"{BASE}unit/bn-{d}-{b}-{n}"
                unit(battalion, f"Battalion {d}.{b}.{n}")
                link("ag:Subordination", "ag:childUnit", battalion, "ag:parentUnit", brigade, f"{2009 + (n % 10)}-01-01", f"{2019 + (n % 5)}-12-31" if n % 2 else None)
    return "\n".join(lines) + "\n", count


def measure(browser: object, url: str) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    page.goto(url, wait_until="commit")
    page.wait_for_function("window.actorGraphView && window.actorGraphView.ready()", timeout=60_000, polling=50)
    figures: dict[str, float] = page.evaluate(
        """() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const ready = performance.getEntriesByName('actorgraph-graph-ready')[0];
            return {response: nav.responseEnd, dom: nav.domContentLoadedEventEnd, interactive: ready.startTime,
                    nodes: window.actorGraphView.nodeCount(), edges: window.actorGraphView.edgeCount()};
        }"""
    )
    # Interactive means it answers: time a click on a node until its details panel opens.
    iri = page.evaluate("window.actorGraphView.page.data.center")  # the largest node: easy to hit
    position = page.evaluate("(iri) => window.actorGraphView.positionOf(iri)", iri)
    box = page.locator(".graph-canvas").bounding_box()
    started = time.perf_counter()
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    page.locator("[data-role=details-title]").wait_for(timeout=10_000)
    figures["click_to_details"] = (time.perf_counter() - started) * 1000
    page.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=2000, help="about this many nodes in the view")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="actorgraph-bench-views-") as tmp:
        data, count = force_structure(args.nodes)
        path = Path(tmp) / "force.ttl"
        path.write_text(data, encoding="utf-8")
        store = Path(tmp) / "store"
        cli("init", store=store)
        cli("load", str(path), "--graph", "bench-views", "--trusted", store=store)
        server = Server(store)
        server.wait_ready(60)
        base = server.base
        url = f"{base}/view/actors/{BASE}unit/army?depth=3&limit={max(count + 10, 500)}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                measure(browser, url)  # warm-up: the server builds its name index on first use
                runs = [measure(browser, url) for _ in range(args.repeat)]
                browser.close()
        finally:
            server.stop(timeout=10)
    print(f"graph view of {runs[0]['nodes']:,} nodes and {runs[0]['edges']:,} edges (data: {count:,} nodes), Chromium headless, {args.repeat} runs")
    for key, label in [("response", "page received"), ("dom", "DOMContentLoaded"), ("interactive", "interactive (layout stabilized, physics off)"), ("click_to_details", "click -> details panel")]:
        values = [run[key] for run in runs]
        print(f"  {label:45s} median {statistics.median(values):7.0f} ms   (min {min(values):.0f}, max {max(values):.0f})")


if __name__ == "__main__":
    main()
