"""Vetting in the pages: an analyst's key colours a program's partners, fills the vetting panels,
screens a CSV and shows a report; a reader is told what role it takes."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from tests.e2e.conftest import wait_for_graph

F = "https://w3id.org/actorgraph/fictional/id/"
OUTCOME_COLORS = {"#2e7d32": "clear", "#f9a825": "review", "#c62828": "flag"}


def use_key(page: Any, key: str) -> None:
    page.goto("/")
    page.fill("#api-key-form input[name=key]", key)
    page.click("#api-key-form button[type=submit]")
    assert page.locator("#api-key-state").inner_text() == "API key set"


def test_program_view_colours_partners_by_vetting_outcome(page: Any, analyst_key: str, server: str) -> None:
    use_key(page, analyst_key)
    page.goto("/view/programs/program/vsspp")
    wait_for_graph(page)
    page.wait_for_selector("[data-graph][data-vetting=loaded]", timeout=60_000)
    colours = page.evaluate("Object.fromEntries(window.actorGraphView.page.nodeSet.get().map(n => [n.id, n.color && n.color.background]))")
    drawn = {iri: OUTCOME_COLORS.get(colour) for iri, colour in colours.items()}
    import json
    import urllib.request

    request = urllib.request.Request(server + "/programs/program/vsspp/vetting", headers={"Authorization": f"Bearer {analyst_key}", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        vetting = json.load(response)
    expected = {p["iri"]: p["vetting"]["outcome"] for p in vetting["participants"]}
    assert expected and all(drawn[iri] == outcome for iri, outcome in expected.items())
    assert "flag" in expected.values()
    assert "Vetting: flag" in page.locator("[data-role=legend]").inner_text()


def test_a_reader_is_told_vetting_needs_an_analyst(page: Any) -> None:
    page.goto("/view/programs/program/vsspp")
    wait_for_graph(page)
    page.wait_for_selector("[data-graph][data-vetting=unavailable]")
    assert "analyst" in page.locator("[data-role=vetting-note]").inner_text()
    page.goto("/pages/actors/unit/bn-72")
    page.wait_for_function("!document.querySelector('[data-role=vetting-body]').innerText.includes('Loading')")
    assert "analyst" in page.locator("[data-role=vetting-body]").inner_text()


def test_actor_and_program_pages_show_vetting_to_an_analyst(page: Any, analyst_key: str) -> None:
    use_key(page, analyst_key)
    page.goto("/pages/actors/unit/bn-72")
    outcome = page.locator("[data-role=outcome]")
    outcome.wait_for(timeout=60_000)
    assert outcome.locator(".outcome").inner_text().lower() == "flag"
    assert "Karst Hollow" in outcome.inner_text()
    page.goto("/pages/programs/program/vsspp")
    page.locator(".vetting-table tbody tr").first.wait_for(timeout=60_000)
    assert page.locator(".vetting-table tbody tr").count() >= 20
    assert page.locator(".vetting-table tr[data-outcome=flag]").count() > 0
    # every partner is badged real or fictional, by its IRI's namespace
    badges = page.locator(".vetting-table tbody tr").evaluate_all(
        "rows => rows.map(r => [r.dataset.subject, (r.querySelector('[data-origin]') || {dataset: {}}).dataset.origin])")
    assert badges and all(origin == ("fictional" if subject.startswith(F) else "real") for subject, origin in badges), badges


def test_screening_a_csv_and_downloading_the_results(page: Any, analyst_key: str, tmp_path: Path) -> None:
    use_key(page, analyst_key)
    upload = tmp_path / "names.csv"
    upload.write_text("name,type,country\nBrigada Serra,unit,Veldoria\nNobody Known At All,person,Veldoria\n", encoding="utf-8")
    page.goto("/pages/vetting")
    page.set_input_files("#screen-form input[type=file]", str(upload))
    page.click("#screen-form button[type=submit]")
    page.locator("#screen-table tbody tr").first.wait_for(timeout=60_000)
    table = page.locator("#screen-table").inner_text()
    assert "7th Mountain Brigade (Veldoria)" in table and "FLAG" in table.upper()
    assert page.locator("#screen-table tbody tr").first.locator("[data-origin=fictional]").count() == 1
    with page.expect_download() as download_info:
        page.click("#screen-download")
    saved = tmp_path / "screening.csv"
    download_info.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert [r["name"] for r in rows] == ["Brigada Serra", "Nobody Known At All"]
    assert rows[0]["outcome"] == "flag" and rows[0]["subject"] == F + "unit/bde-7"
    assert rows[1]["match"] == "none"


def test_screening_errors_read_as_messages(page: Any, analyst_key: str, tmp_path: Path) -> None:
    use_key(page, analyst_key)
    bad = tmp_path / "bad.csv"
    bad.write_text("who,where\nx,y\n", encoding="utf-8")
    page.goto("/pages/vetting")
    page.set_input_files("#screen-form input[type=file]", str(bad))
    page.click("#screen-form button[type=submit]")
    error = page.locator("#screen-results p.error")
    error.wait_for()
    assert "missing column" in error.inner_text()


def test_report_page_shows_the_vetting_report_in_a_sandbox(page: Any, analyst_key: str) -> None:
    use_key(page, analyst_key)
    page.goto("/pages/vetting/report?subject=unit/bn-72")
    page.wait_for_selector("#vetting-report[data-state=loaded]", timeout=60_000)
    frame = page.frame_locator("iframe.report-frame")
    assert "72nd Mountain Battalion" in frame.locator("h1").inner_text()
    assert frame.locator("header.site").count() == 0  # the page's own header is not repeated
    assert page.get_attribute("iframe.report-frame", "sandbox") == ""
