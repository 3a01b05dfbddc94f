"""Shared fixtures: in-memory stores, the ontology loaded once per test, and the shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.ingest import setup
from graph.store import EmbeddedStore, open_store

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

pytest_plugins = ["tests.engines.fixtures"]  # SPARQL engines (Oxigraph server), one per session


@pytest.fixture
def store() -> EmbeddedStore:
    """An empty in-memory store."""
    return open_store(None)


@pytest.fixture
def ontology_store(store: EmbeddedStore) -> EmbeddedStore:
    """An in-memory store with the ontology graph loaded and registered."""
    setup.load_ontology(store)
    return store


@pytest.fixture(scope="session")
def demo_store() -> EmbeddedStore:
    """An in-memory store initialized with the demo data, shared by read-only tests."""
    demo = open_store(None)
    setup.init_store(demo, demo=True)
    return demo


def shared_data(relative: str) -> Path:
    """A path under ../shared/data, or skip the test with the reason when it is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"shared data not available: {path} is absent (tests that use ../shared/data need it beside the project)")
    return path
