"""Dates at their recorded precision in what the browser writes: the graph view's details panel
(the server's period, written with textContent) and the vetting panel's reason (shared.js
datesInWords). In the demo, the 72nd Battalion's subordination to the 7th Brigade starts in 2010,
given to the year and stored 2010-01-01: no page may say "1 January 2010"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ontology.namespaces import FICTIONAL
from tests.e2e.conftest import wait_for_graph

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_details_panel_says_a_year_given_start_as_the_year(page: Any) -> None:
    page.goto("/view/actors/unit/bde-7")
    wait_for_graph(page)
    position = page.evaluate("(iri) => window.actorGraphView.positionOf(iri)", FICTIONAL + "unit/bde-7")
    box = page.locator(".graph-canvas").bounding_box()
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    page.locator("[data-role=details-title]").wait_for()
    text = page.locator("[data-role=details]").inner_text()
    assert "72nd Mountain Battalion" in text
    assert re.search(r"(since|from) 2010\b", text), text
    assert "1 January 2010" not in text and not ISO_DAY.search(text)


def test_vetting_panel_reason_says_dates_in_words(page: Any, analyst_key: str) -> None:
    page.goto("/")
    page.fill("#api-key-form input[name=key]", analyst_key)
    page.click("#api-key-form button[type=submit]")
    page.goto("/pages/actors/unit/bde-7")
    outcome = page.locator("[data-role=outcome]")
    outcome.wait_for(timeout=60_000)
    reason = outcome.inner_text()
    assert "Karst Hollow" in reason and "14 April 2018" in reason, reason
    assert not ISO_DAY.search(reason), reason


def test_screening_table_reason_says_dates_in_words(page: Any, analyst_key: str, tmp_path: Path) -> None:
    page.goto("/")
    page.fill("#api-key-form input[name=key]", analyst_key)
    page.click("#api-key-form button[type=submit]")
    upload = tmp_path / "names.csv"
    upload.write_text("name,type,country\nBrigada Serra,unit,Veldoria\n", encoding="utf-8")
    page.goto("/pages/vetting")
    page.set_input_files("#screen-form input[type=file]", str(upload))
    page.click("#screen-form button[type=submit]")
    page.locator("#screen-table tbody tr").first.wait_for(timeout=60_000)
    table = page.locator("#screen-table").inner_text()
    assert "Karst Hollow" in table and "14 April 2018" in table, table
    assert not ISO_DAY.search(table), table
