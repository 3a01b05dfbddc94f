"""Each request reads the store version once (api.web.store_version), however many caches it
consults, and once more after each write it makes itself; the headers say who answered and what
version it saw."""

from __future__ import annotations

import os
import threading

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web.app import create_app
from api.web.store_version import VERSION, WORKER
from graph.access import keys
from graph.index import warming
from graph.ingest import loader
from graph.store import EmbeddedStore, versioning
from tests.conftest import FIXTURES

SAMPLE = FIXTURES / "valid_relation.ttl"


@pytest.fixture
def counted(ontology_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every read of the store version from now on by a request, as the version it read (the
    background builder of search indexes, which a write starts, reads it on its own thread)."""
    reads: list[str] = []
    real = versioning.read

    def read(store: object) -> str:
        version = real(store)
        if threading.current_thread().name != warming.THREAD_NAME:
            reads.append(version)
        return version

    monkeypatch.setattr(versioning, "read", read)
    return reads


def test_a_request_reads_the_version_once_whatever_it_looks_up(ontology_store: EmbeddedStore, counted: list[str]) -> None:
    loader.load_file(ontology_store, SAMPLE, graph="sample")
    token = keys.create_key(ontology_store, "analyst").token
    client = TestClient(create_app(Settings(store=None), store=ontology_store))
    auth = {"Authorization": f"Bearer {token}"}
    # A key, the caller's dataset, the registry, the search index, the network's labels.
    for path in ("/actors?q=North", "/actors/unit/unit-north-division/network", "/vetting/runs"):
        counted.clear()
        response = client.get(path, headers=auth)
        assert response.status_code in (200, 404), response.text
        assert len(counted) == 1, f"{path} read the store version {len(counted)} times"
        assert response.headers[VERSION] == counted[0] == versioning.read(ontology_store)
        assert response.headers[WORKER] == str(os.getpid())


def test_a_request_that_writes_reads_the_version_again(ontology_store: EmbeddedStore, counted: list[str]) -> None:
    editor = keys.create_key(ontology_store, "editor").token
    client = TestClient(create_app(Settings(store=None), store=ontology_store))
    counted.clear()
    response = client.put(
        "/graph-store",
        params={"graph": "sample"},
        content=SAMPLE.read_bytes(),
        headers={"Authorization": f"Bearer {editor}", "Content-Type": "text/turtle"},
    )
    assert response.status_code == 201, response.text
    assert len(set(counted)) >= 2, "the request did not see its own write"
    assert response.headers[VERSION] == counted[-1]  # the last it read, after a write of its own
    found = client.get("/actors", params={"q": "North Division"}).json()
    assert found["total"] >= 1


def test_a_request_that_reads_no_store_sends_no_version(ontology_store: EmbeddedStore, counted: list[str]) -> None:
    client = TestClient(create_app(Settings(store=None), store=ontology_store))
    counted.clear()
    response = client.get("/openapi.json")
    assert response.status_code == 200 and counted == []
    assert VERSION not in response.headers and WORKER in response.headers
