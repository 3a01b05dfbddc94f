"""Engines shared by a whole test session (a pytest plugin, see tests/conftest.py): started once,
on first use, and stopped at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.engines.engines import Engine, oxigraph_missing, oxigraph_server
from tests.engines.virtuoso import virtuoso_missing, virtuoso_server


@pytest.fixture(scope="session")
def oxigraph_engine() -> Iterator[Engine]:
    missing = oxigraph_missing()
    if missing:
        pytest.skip(missing)
    with oxigraph_server(timeout_s=2) as engine:
        yield engine


@pytest.fixture(scope="session")
def virtuoso_engine() -> Iterator[Engine]:
    missing = virtuoso_missing()
    if missing:
        pytest.skip(missing)
    with virtuoso_server() as engine:
        yield engine
