"""Every backend this machine has, as one parametrized fixture: the contract tests run on each.

A backend is a factory from a scratch directory to an empty GraphStore. A remote engine is started
once per session (tests/engines) and emptied before each test; it is skipped, with the reason,
where it is not installed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.store import GraphStore, open_store
from tests.engines.engines import clear

BACKENDS: dict[str, Callable[[Path], GraphStore]] = {
    "embedded-memory": lambda _directory: open_store(None),
    "embedded-disk": lambda directory: open_store(directory / "store", recover=False),
}
ENGINES = {"oxigraph-server": "oxigraph_engine", "virtuoso": "virtuoso_engine"}  # backend name -> the session fixture that runs it


@pytest.fixture(params=sorted(BACKENDS) + sorted(ENGINES))
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """An empty store of each backend."""
    if backend in ENGINES:
        location = request.getfixturevalue(ENGINES[backend]).location
        clear(location)
        opened = open_store(location, recover=False)
    else:
        opened = BACKENDS[backend](tmp_path)
    yield opened
    opened.close()
