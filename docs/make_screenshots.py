"""Make the README's screenshots at a laptop's 1366×900: docs/home.png, docs/actors.png (the
filters), docs/actor-page.png, docs/actor-view.png, docs/program-view.png and
docs/vetting-report.png. Every shot is the 1366×900 viewport, nothing taller.

Uses the same setup as the browser tests: a fresh store with the demo data (`actorgraph init
--demo`), `actorgraph serve` on a free local port, and Debian's Chromium through Playwright
(never a downloaded browser). Run from the project root:

    .venv/bin/python docs/make_screenshots.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import FloatRect, Page, ViewportSize, sync_playwright

DOCS = Path(__file__).resolve().parent
ACTORGRAPH = Path(sys.executable).with_name("actorgraph")
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT: ViewportSize = {"width": 1366, "height": 900}
SHOTS = ("home.png", "actors.png", "actor-page.png", "actor-view.png", "program-view.png", "vetting-report.png")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_graph(page: Page) -> None:
    page.wait_for_function("window.actorGraphView && window.actorGraphView.ready()", timeout=30_000)


def canvas_box(page: Page) -> FloatRect:
    box = page.locator(".graph-canvas").bounding_box()
    assert box is not None, "the graph canvas is drawn"
    return box


def click_node(page: Page, iri: str) -> None:
    position = page.evaluate("(iri) => window.actorGraphView.positionOf(iri)", iri)
    box = canvas_box(page)
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    page.locator("[data-role=details-title]").wait_for()
    rest_pointer(page)


def rest_pointer(page: Page) -> None:
    """Move the pointer to an empty corner of the canvas, so no tooltip is in the picture."""
    box = canvas_box(page)
    page.mouse.move(box["x"] + 4, box["y"] + 4)
    page.wait_for_timeout(300)


def shoot(base: str, analyst_key: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page(viewport=VIEWPORT, base_url=base)
        page.goto("/")
        page.fill("input[name=q]", "Brigada Serra")
        page.screenshot(path=str(DOCS / "home.png"))

        page.goto("/pages/search?type=MilitaryUnit&data=fictional")
        page.screenshot(path=str(DOCS / "actors.png"))

        page.goto("/pages/actors/unit/bde-7")
        page.locator("[data-role=incidents-below]").scroll_into_view_if_needed()
        page.screenshot(path=str(DOCS / "actor-page.png"))

        page.goto("/view/actors/unit/bde-7?depth=2&at=2018-06-01")
        wait_for_graph(page)
        click_node(page, "https://w3id.org/actorgraph/fictional/id/unit/bde-7")
        # The panel stays open; the selection goes, or its edges' labels (type and dates, shown
        # for the selected node) would cover the neighbours' names in the picture.
        page.evaluate("() => { const n = window.actorGraphView.page.network; n.unselectAll(); n.redraw(); }")
        page.wait_for_timeout(300)
        page.screenshot(path=str(DOCS / "actor-view.png"))

        # The program view as an analyst sees it: partners coloured by their vetting outcome.
        page.evaluate("key => sessionStorage.setItem('actorgraph.apiKey', key)", analyst_key)
        page.goto("/view/programs/program/vsspp")
        wait_for_graph(page)
        page.wait_for_selector("[data-graph][data-vetting=loaded]", timeout=60_000)
        # The graph's controls at the top of the window, so the canvas and its legend fill it.
        page.locator("[data-graph]").evaluate("node => window.scrollTo(0, node.getBoundingClientRect().top + window.scrollY - 8)")
        rest_pointer(page)
        page.screenshot(path=str(DOCS / "program-view.png"))

        # A vetting report as the report page shows it: dates in words, labels, the badge.
        page.goto("/pages/vetting/report?subject=unit/bde-7&date=2019-01-01")
        frame = page.frame_locator("iframe.report-frame")
        frame.locator("article.vetting-report").wait_for(timeout=60_000)
        page.locator("iframe.report-frame").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(DOCS / "vetting-report.png"))
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="actorgraph-screenshots-") as tmp:
        store = Path(tmp) / "store"
        env = {**os.environ, "ACTORGRAPH_STORE": ""}
        subprocess.run([str(ACTORGRAPH), "init", "--demo", "--store", str(store)], check=True, capture_output=True, env=env)
        created = subprocess.run(
            [str(ACTORGRAPH), "keys", "create", "--role", "analyst", "--name", "screenshots", "--store", str(store)],
            check=True, capture_output=True, text=True, env=env,
        )
        analyst_key = created.stdout.split()[0]
        port = free_port()
        server = subprocess.Popen(
            [str(ACTORGRAPH), "serve", "--store", str(store), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/openapi.json", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            shoot(base, analyst_key)
        finally:
            server.terminate()
            server.wait(timeout=10)
    for name in SHOTS:
        print(DOCS / name)


if __name__ == "__main__":
    main()
