"""Every backend this machine has, as one parametrized fixture: the contract tests run on each.

A backend is a factory from a scratch directory to an empty GraphStore; a remote engine is one more
entry here (skipped when it is not reachable).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.store import GraphStore, open_store

BACKENDS: dict[str, Callable[[Path], GraphStore]] = {
    "embedded-memory": lambda _directory: open_store(None),
    "embedded-disk": lambda directory: open_store(directory / "store", recover=False),
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each backend."""
    opened = BACKENDS[backend](tmp_path)
    yield opened
    opened.close()
