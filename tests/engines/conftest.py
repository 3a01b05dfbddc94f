"""The `engine` fixture of the modules that run one test on each SPARQL engine in turn."""

from __future__ import annotations

import pytest

from tests.engines.engines import Engine


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each engine in turn (its session fixture: oxigraph_engine, virtuoso_engine)."""
    found: Engine = request.getfixturevalue(f"{request.param}_engine")
    return found
