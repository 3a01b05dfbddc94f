"""The SPARQL page serves the committed YASGUI build, unchanged since `make vendor-yasgui` made it,
under a policy that keeps every fetch on this server."""

from __future__ import annotations

import hashlib
import re

from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from api.web.templating import STATIC_DIR
from graph.store import open_store

VENDOR = STATIC_DIR / "vendor" / "yasgui"


def test_the_vendored_build_matches_its_checksums_and_version() -> None:
    sums = {name: digest for digest, name in (line.split("  ") for line in (VENDOR / "SHA256SUMS").read_text().splitlines())}
    assert set(sums) == {"yasgui.min.js", "yasgui.min.css"}
    for name, digest in sums.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    makefile = (STATIC_DIR.parents[2] / "Makefile").read_text()
    assert f"YASGUI_VERSION := {(VENDOR / 'VERSION').read_text().strip()}" in makefile
    assert "MIT License" in (VENDOR / "LICENSE").read_text()


def test_the_page_loads_local_assets_under_a_policy() -> None:
    client = TestClient(create_app(Settings(store=None), store=open_store(None)))
    page = client.get("/query")
    assert page.status_code == 200
    assert "connect-src 'self'" in page.headers["content-security-policy"]
    assets = re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", page.text)
    assert "/static/vendor/yasgui/yasgui.min.js" in assets and "/static/vendor/yasgui/yasgui.min.css" in assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
