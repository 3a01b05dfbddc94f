"""The app registers one router per resource, explicitly, and no route depends on their order."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web import app as web_app
from api.web.app import create_app
from graph.access import keys
from graph.ingest import setup
from graph.store import EmbeddedStore


@pytest.mark.parametrize("order", ["as registered", "reversed"])
def test_routes_do_not_depend_on_the_order_of_routers(order: str, store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    setup.init_store(store, demo=True)
    if order == "reversed":
        monkeypatch.setattr(web_app, "ROUTERS", tuple(reversed(web_app.ROUTERS)))
    token = keys.create_key(store, "analyst", "order analyst").token
    client = TestClient(create_app(Settings(store=None), store=store))
    key = {"Authorization": f"Bearer {token}"}
    cases = client.get("/vetting/cases", headers=key)
    assert cases.status_code == 200 and "cases" in cases.json()  # not a subject called "cases"
    assert client.get("/vetting/runs", headers=key).json()["runs"] is not None
    assert client.get("/actors/fictional/unit/bn-72/network").json()["center"].endswith("unit/bn-72")
    assert client.get("/programs/fictional/program/vsspp/vetting", headers=key).json()["participants"]
    assert client.get("/programs/fictional/program/vsspp").json()["id"].endswith("program/vsspp")
    page = client.get("/pages/actors/fictional/unit/bn-72")
    assert page.status_code == 200 and 'href="/view/actors/' in page.text  # the templates' link helpers
