"""Vetting reports and program vetting tables as documents: PDF through WeasyPrint with a header
and footer on every page, and saved HTML that carries its own styles and no page furniture.
Through the real app on the demo data; the PDF's text is read back with pypdf."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from api.web.templating import css_string
from graph.access import keys
from graph.ingest import setup
from graph.store import EmbeddedStore, open_store

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint", reason="PDF reports need WeasyPrint and Pango (.ci/run installs Pango)")

DAY = "2019-01-01"
DAY_IN_WORDS = "1 January 2019"  # as the printed header and the report say it


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    built = open_store(None)
    setup.init_store(built, demo=True)
    return built


@pytest.fixture(scope="module")
def client(store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None), store=store))


@pytest.fixture(scope="module")
def analyst(store: EmbeddedStore) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys.create_key(store, 'analyst', 'documents').token}"}


def pdf_text(content: bytes) -> tuple[int, str]:
    assert content.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("how", ["query", "accept"])
def test_vetting_report_pdf_names_subject_outcome_and_prints_header_and_footer(
    client: TestClient, analyst: dict[str, str], how: str
) -> None:
    expected = client.get(f"/vetting/unit/bde-7?date={DAY}", headers=analyst).json()
    if how == "query":
        response = client.get(f"/vetting/unit/bde-7?date={DAY}&format=pdf", headers=analyst)
    else:
        response = client.get(f"/vetting/unit/bde-7?date={DAY}", headers={**analyst, "Accept": "application/pdf"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].endswith(f'{DAY}.pdf"')
    pages, text = pdf_text(response.content)
    flat = squash(text)
    assert f"Vetting report: {expected['subject_label']}" in flat
    assert expected["outcome"].upper() in flat or expected["outcome"] in flat
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in flat
    assert flat.count(f"Vetting date {DAY_IN_WORDS}") >= pages  # the header of every page, the date in words
    assert flat.count(f"Policy: {expected['policy']['name']} · data version") == pages


def test_program_vetting_table_pdf_lists_every_participant(client: TestClient, analyst: dict[str, str]) -> None:
    expected = client.get(f"/programs/program/vsspp/vetting?date={DAY}", headers=analyst).json()
    response = client.get(f"/programs/program/vsspp/vetting?date={DAY}&format=pdf", headers=analyst)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    pages, text = pdf_text(response.content)
    flat = squash(text)
    assert f"Program vetting: {expected['label']}" in flat
    for participant in expected["participants"]:
        assert squash(participant["label"]) in flat
    assert f"Page {pages} of {pages}" in flat


def test_a_reader_gets_no_pdf(client: TestClient, store: EmbeddedStore) -> None:
    reader = {"Authorization": f"Bearer {keys.create_key(store, 'reader', 'reader').token}"}
    assert client.get("/vetting/unit/bde-7?format=pdf", headers=reader).status_code == 403


def test_saved_html_report_is_self_contained(client: TestClient, analyst: dict[str, str]) -> None:
    html = client.get(f"/vetting/unit/bde-7?date={DAY}&format=html", headers=analyst).text
    assert "<style>" in html and ".vetting-report" in html and ".badge" in html  # the site's and the report's styles, inline
    assert '<link rel="stylesheet"' not in html
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL)
    assert "<nav" not in body and 'id="api-key-form"' not in body and "<header" not in body
    assert "Vetting report: 7th Mountain Brigade (Veldoria)" in html


@pytest.mark.parametrize("value", ['Brigade "A"', "x</style><script>alert(1)</script>", "back\\slash\nnew line"])
def test_css_strings_cannot_end_the_string_or_the_style_element(value: str) -> None:
    quoted = str(css_string(value))
    assert quoted.startswith('"') and quoted.endswith('"')
    inner = quoted[1:-1]
    assert '"' not in inner and "<" not in inner and "\n" not in inner
    decoded = re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)), inner)
    assert decoded == value
