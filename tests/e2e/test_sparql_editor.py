"""The SPARQL page's YASGUI in a real browser: it loads from this server alone, queries /sparql with
the user's key, shows errors as sentences, runs the library's examples with their parameters, and
downloads results."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from tests.e2e.conftest import Watch

UNITS = "SELECT ?x WHERE { ?x a ag:MilitaryUnit }"


def editor_text(page: Any) -> str:
    return str(page.evaluate("window.actorGraphYasgui.getTab().getYasqe().getValue()"))


def set_query(page: Any, text: str) -> None:
    page.evaluate("(text) => window.actorGraphYasgui.getTab().getYasqe().setValue(text)", text)


def run(page: Any) -> None:
    page.locator(".tabPanel.active .yasqe_queryButton").click()


def result_rows(page: Any) -> Any:
    return page.locator(".tabPanel.active .yasr table.dataTable tbody tr")


def open_editor(page: Any) -> None:
    assert page.goto("/query").status == 200
    page.locator(".tabPanel.active .CodeMirror").wait_for()


def test_loads_with_actorgraph_prefixes_and_the_local_endpoint_only(page: Any, watch: Watch) -> None:
    open_editor(page)
    text = editor_text(page)
    assert "PREFIX ag: <https://w3id.org/actorgraph/ontology#>" in text
    assert text.count("PREFIX ag:") == 1  # the starter's own declaration is not repeated
    endpoint = page.evaluate("window.actorGraphYasgui.getTab().getEndpoint()")
    assert endpoint.endswith("/sparql") and endpoint.startswith(page.evaluate("window.location.origin"))
    assert "dbpedia" not in page.content().lower()


def test_runs_a_query_with_the_key_and_completes_offline(page: Any, watch: Watch, analyst_key: str) -> None:
    open_editor(page)
    page.fill("#api-key-form input[name=key]", analyst_key)
    page.click("#api-key-form button[type=submit]")
    sent: list[str | None] = []
    page.on("request", lambda request: sent.append(request.headers.get("authorization")) if request.url.endswith("/sparql") else None)
    set_query(page, "PREFIX ag: <https://w3id.org/actorgraph/ontology#>\n" + UNITS)
    run(page)
    result_rows(page).first.wait_for()
    assert result_rows(page).count() >= 10
    assert sent and sent[-1] == f"Bearer {analyst_key}"
    # Typing asks for completions; none may come from elsewhere (the page fixture checks every request).
    page.locator(".tabPanel.active .CodeMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n# ?x")
    page.keyboard.press("Control+Space")


def test_errors_read_as_sentences(page: Any, watch: Watch) -> None:
    open_editor(page)
    set_query(page, "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o ==) }")
    run(page)
    message = page.locator(".tabPanel.active .readable-error").inner_text()
    assert message.startswith("Syntax error on line 3, column")
    assert "CEIL, LANG" not in message or "…" in message  # the parser's long list is cut


def test_library_example_runs_with_its_parameters(page: Any, watch: Watch) -> None:
    open_editor(page)
    library = json.loads(page.locator("#library-data").text_content())
    with_params = next(q for q in library if any(not p["optional"] for p in q["params"]) and any(p["type"] == "iri" for p in q["params"]))
    page.select_option("#library-picker", with_params["name"])
    for param in with_params["params"]:
        assert page.locator(f"#library-params input[name={param['name']}]").count() == 1
    tabs_before = page.locator(".tabsList .tab").count()
    page.click("#library-form button[type=submit]")  # required fields empty: the browser refuses
    assert page.locator(".tabsList .tab").count() == tabs_before
    iri = next(p for p in with_params["params"] if p["type"] == "iri")
    page.fill(f"#library-params input[name={iri['name']}]", "unit/bde-7")
    for param in with_params["params"]:
        if not param["optional"] and param["type"] == "date":
            page.fill(f"#library-params input[name={param['name']}]", "2018-04-14")
    page.click("#library-form button[type=submit]")
    page.locator("#query-status", has_text="rows in").wait_for()
    assert page.locator(".tabsList .tab").count() == tabs_before + 1
    assert with_params["text"].split("SELECT", 1)[1][:40] in editor_text(page)


def test_downloads_csv_of_the_current_query(page: Any, watch: Watch, tmp_path: Path) -> None:
    open_editor(page)
    set_query(page, "PREFIX ag: <https://w3id.org/actorgraph/ontology#>\n" + UNITS)
    with page.expect_download() as download_info:
        page.click("#download-csv")
    saved = tmp_path / "results.csv"
    download_info.value.save_as(saved)
    table = list(csv.reader(io.StringIO(saved.read_text())))
    assert table[0] == ["x"] and len(table) > 10


def test_a_refused_key_reads_as_a_sentence_and_json_downloads(page: Any, watch: Watch, tmp_path: Path) -> None:
    open_editor(page)
    set_query(page, "PREFIX ag: <https://w3id.org/actorgraph/ontology#>\n" + UNITS)
    with page.expect_download() as download_info:
        page.click("#download-json")
    download_info.value.save_as(tmp_path / "results.json")
    assert len(json.loads((tmp_path / "results.json").read_text())["results"]["bindings"]) > 10
    page.fill("#api-key-form input[name=key]", "not-a-real-key")
    page.click("#api-key-form button[type=submit]")
    run(page)
    message = page.locator(".tabPanel.active .readable-error").inner_text()
    assert message.startswith("The API key was not accepted")
