"""The PDF buttons of the vetting pages in a real browser: the file saved is a valid PDF whose
text names the subject and the outcome the JSON API gives for the same request."""

from __future__ import annotations

import io
import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_vetting_pages import use_key

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint", reason="PDF reports need WeasyPrint and Pango (.ci/run installs Pango)")


def vetting_json(server: str, path: str, key: str) -> Any:
    request = urllib.request.Request(server + path, headers={"Authorization": f"Bearer {key}", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def saved_text(page: Any, selector: str, folder: Path) -> str:
    with page.expect_download(timeout=60_000) as info:
        page.click(selector)
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in reader.pages))


def test_report_page_downloads_a_pdf_naming_subject_and_outcome(page: Any, analyst_key: str, server: str, tmp_path: Path) -> None:
    use_key(page, analyst_key)
    expected = vetting_json(server, "/vetting/unit/bn-72", analyst_key)
    page.goto("/pages/vetting/report?subject=unit/bn-72")
    page.wait_for_selector("#vetting-report[data-state=loaded]", timeout=60_000)
    text = saved_text(page, "button[data-download=pdf]", tmp_path)
    assert f"Vetting report: {expected['subject_label']}" in text
    assert expected["outcome"].upper() in text
    assert "Page 1 of" in text


def test_program_page_downloads_the_vetting_table_as_pdf(page: Any, analyst_key: str, server: str, tmp_path: Path) -> None:
    use_key(page, analyst_key)
    expected = vetting_json(server, "/programs/program/vsspp/vetting", analyst_key)
    page.goto("/pages/programs/program/vsspp")
    text = saved_text(page, "[data-vetting-panel] button[data-download=pdf]", tmp_path)
    assert f"Program vetting: {expected['label']}" in text
    for participant in expected["participants"]:
        assert re.sub(r"\s+", " ", participant["label"]) in text
