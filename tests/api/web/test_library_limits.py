"""Library queries run in a thread; arbitrary /sparql queries keep the killable forked child."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from graph.store import EmbeddedStore
from graph.store.limits import SERVER_ISOLATION


def test_library_queries_use_thread_isolation_with_the_same_limits(demo_store: EmbeddedStore) -> None:
    app = create_app(Settings(store=None), store=demo_store)
    with TestClient(app) as client:
        sparql_limits = app.state.query_limits
        library_limits = app.state.library_query_limits
        assert sparql_limits.isolation == SERVER_ISOLATION
        assert library_limits.isolation == "thread"
        assert (library_limits.timeout, library_limits.result_cap) == (sparql_limits.timeout, sparql_limits.result_cap)
        response = client.get("/queries/unit_commanders", params={"unit": "fictional/unit/bn-72"})
        assert response.status_code == 200, response.text
        assert response.json()["rows"]


def test_library_and_sparql_queries_share_one_set_of_worker_slots(demo_store: EmbeddedStore) -> None:
    """ACTORGRAPH_QUERY_WORKERS bounds every query of the app: with the one worker taken, a library
    query waits for it like a /sparql query would, rather than running beside it on slots of its own."""
    app = create_app(Settings(store=None, query_workers=1, query_timeout=1), store=demo_store)
    sparql_limits, library_limits = app.state.query_limits, app.state.library_query_limits
    assert library_limits.slots is sparql_limits.slots
    client = TestClient(app)
    assert sparql_limits.slots.acquire(timeout=1)
    try:
        busy = client.get("/queries/unit_commanders", params={"unit": "fictional/unit/bn-72"})
        assert busy.status_code == 503 and "query workers stayed busy" in busy.text and busy.headers["Retry-After"]
    finally:
        sparql_limits.slots.release()
    assert client.get("/queries/unit_commanders", params={"unit": "fictional/unit/bn-72"}).status_code == 200
