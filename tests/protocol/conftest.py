"""One live `actorgraph serve` for the protocol tests, with an editor's and an admin's client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.support import cli, create_key, served


@dataclass(frozen=True)
class Served:
    base: str
    editor_key: str
    editor: httpx.Client
    admin: httpx.Client


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = tmp_path_factory.mktemp("protocol") / "store"
    cli("init", store=store)
    editor, admin = create_key(store, "editor", "protocol editor"), create_key(store, "admin", "protocol admin")
    with (
        served(store, log=store.parent / "server.log") as (base, _),
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {editor}"}, timeout=60) as as_editor,
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {admin}"}, timeout=60) as as_admin,
    ):
        yield Served(base, editor, as_editor, as_admin)
