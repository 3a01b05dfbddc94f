"""Browser tests: a real `actorgraph serve` process and Debian's Chromium driven by Playwright.

The store is initialized with the demo data (`actorgraph init --demo`) plus a small fictional file
whose names, aliases and sources carry script payloads (fixtures/xss.ttl, loaded --trusted because
SHACL would refuse its javascript: source URL: the pages must be safe even for data that bypassed
validation), and a fictional program with 24 partners (fixtures/star.py, validated) for the
check that a large program star stays readable.

Every page a test opens records the requests it makes; the `page` fixture fails the test if any
of them went anywhere but the local server (no CDN: field offices may be offline), or if a dialog
opened, or if a script error happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.fixtures.star import star_turtle
from tests.support import cli, create_key, served

CHROMIUM = Path("/usr/bin/chromium")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def served_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("e2e") / "store"
    cli("init", "--demo", store=store)
    cli("load", str(FIXTURES / "xss.ttl"), "--graph", "xss", "--trusted", store=store)
    star = store.parent / "star.ttl"
    star.write_text(star_turtle(), encoding="utf-8")
    cli("load", str(star), "--graph", "star", store=store)
    return store


@pytest.fixture(scope="session")
def analyst_key(served_store: Path) -> str:
    """An analyst's API key for the served store (made before the server opens the store)."""
    return create_key(served_store, "analyst", "e2e analyst")


@pytest.fixture(scope="session")
def reviewer_key(served_store: Path, analyst_key: str) -> str:
    """A second analyst's key, for a vetting case's sign-off (which the deciding key may not give)."""
    return create_key(served_store, "analyst", "e2e reviewer")


@pytest.fixture(scope="session")
def server(served_store: Path, analyst_key: str, reviewer_key: str) -> Iterator[str]:
    """`actorgraph serve` on a free local port, for the whole session."""
    with served(served_store, log=served_store.parent / "server.log") as (base, _):
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Watch:
    """What a page did: every request URL, dialogs that opened, uncaught script errors."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        found = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if parts.hostname not in LOCAL_HOSTS:
                found.append(url)
        return found


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: object, server: str, watch: Watch) -> Iterator[object]:
    """A fresh page at laptop size that records requests, dialogs and errors; the test fails if a
    request left localhost, a dialog opened or a script threw."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=server)  # type: ignore[attr-defined]
    page = context.new_page()
    page.on("request", lambda request: watch.requests.append(request.url))

    def on_dialog(dialog: object) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not watch.outside(), f"requests left localhost: {watch.outside()}"
    assert not watch.dialogs, f"dialogs opened: {watch.dialogs}"
    assert not watch.errors, f"script errors: {watch.errors}"


def wait_for_graph(page: object, timeout: float = 15_000) -> None:
    """Until the graph view's layout has settled (physics off, interactive)."""
    page.wait_for_function("window.actorGraphView && window.actorGraphView.ready()", timeout=timeout)  # type: ignore[attr-defined]


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


__all__ = ["Watch", "artifact", "wait_for_graph"]
