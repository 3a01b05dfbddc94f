"""Library queries run in a thread; arbitrary /sparql queries keep the killable forked child."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.store import EmbeddedStore
from graph.store.limits import DEFAULT_ISOLATION


def test_library_queries_use_thread_isolation_with_the_same_limits(demo_store: EmbeddedStore) -> None:
    app = create_app(Settings(store=None), store=demo_store)
    with TestClient(app) as client:
        sparql_limits = app.state.query_limits
        library_limits = app.state.library_query_limits
        assert sparql_limits.isolation == DEFAULT_ISOLATION
        assert library_limits.isolation == "thread"
        assert (library_limits.timeout, library_limits.result_cap) == (sparql_limits.timeout, sparql_limits.result_cap)
        response = client.get("/queries/unit_commanders", params={"unit": "fictional/unit/bn-72"})
        assert response.status_code == 200, response.text
        assert response.json()["rows"]
