"""`actorgraph serve --workers 2` on Oxigraph server, and a second `serve` beside it (another host),
as real processes: a key made or revoked beside them, and a write through one of them, are seen by
every worker on its next request, the caches of search and screening included.

uvicorn's workers share one listening socket and the kernel hands each new connection to one of
them, so every request here opens its own connection, and the X-ActorGraph-Worker header says
which process answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from api.web.store_version import VERSION, WORKER
from tests.conftest import FIXTURES
from tests.engines.engines import Engine, clear
from tests.support.server import Server, cli

EACH = 3  # answers wanted from each worker
MOST = 120  # requests at most to reach both workers that often
SCREEN = "name,type,country\nQuorvane Division,unit,\n"


def fresh(server: Server, method: str, path: str, **kwargs: object) -> httpx.Response:
    """One request on a connection of its own (so any worker may take it)."""
    with httpx.Client(base_url=server.base, timeout=60) as client:
        return client.request(method, path, **kwargs)  # type: ignore[arg-type]


def from_every_worker(server: Server, ask: Callable[[], httpx.Response], workers: int = 2) -> dict[str, list[httpx.Response]]:
    """Ask until `workers` processes have each answered EACH times; the answers by process id."""
    answers: dict[str, list[httpx.Response]] = {}
    for _ in range(MOST):
        response = ask()
        answers.setdefault(response.headers[WORKER], []).append(response)
        if len(answers) >= workers and all(len(found) >= EACH for found in answers.values()):
            return answers
    raise AssertionError(f"{MOST} requests reached {len(answers)} worker(s) ({ {k: len(v) for k, v in answers.items()} }), not {workers}")


def store_cli(location: str, *args: str) -> str:
    return cli(*args, store=location, timeout=300)


def new_key(location: str, role: str) -> tuple[str, str]:
    """(token, key id) of a key made by the command line beside the running servers."""
    token = store_cli(location, "keys", "create", "--role", role, "--name", f"workers test {role}").split()[0]
    return token, token.split("_")[1]  # ag_<key id>_<secret>


@pytest.fixture(scope="module")
def engine_store(oxigraph_engine: Engine) -> Iterator[str]:
    clear(oxigraph_engine.location)
    store_cli(oxigraph_engine.location, "init")
    yield oxigraph_engine.location
    clear(oxigraph_engine.location)


@pytest.fixture(scope="module")
def two_workers(engine_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("workers") / "serve.log"
    server = Server(engine_store, args=("--workers", "2"), log=log, label="two-worker")
    try:
        server.wait_ready(120)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def other_host(engine_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("host") / "serve.log"
    server = Server(engine_store, log=log, label="second host")
    try:
        server.wait_ready(120)
        yield server
    finally:
        server.stop()


def test_any_worker_accepts_a_key_made_beside_it_and_refuses_it_once_revoked(two_workers: Server, engine_store: str) -> None:
    token, key_id = new_key(engine_store, "analyst")
    bearer = {"Authorization": f"Bearer {token}"}
    accepted = from_every_worker(two_workers, lambda: fresh(two_workers, "GET", "/vetting/runs", headers=bearer))
    assert {r.status_code for found in accepted.values() for r in found} == {200}
    store_cli(engine_store, "keys", "revoke", key_id)
    refused = from_every_worker(two_workers, lambda: fresh(two_workers, "GET", "/vetting/runs", headers=bearer))
    assert {r.status_code for found in refused.values() for r in found} == {401}
    assert all("revoked" in r.json()["detail"] for found in refused.values() for r in found)


def _quorvane() -> bytes:
    text = (FIXTURES / "valid_relation.ttl").read_text(encoding="utf-8")
    return text.replace("fictional/id/", "fictional/id/quorvane-").replace("North Division", "Quorvane Division").encode()


def _search(server: Server) -> Callable[[], httpx.Response]:
    return lambda: fresh(server, "GET", "/actors", params={"q": "Quorvane"})


def _screen(server: Server, token: str) -> Callable[[], httpx.Response]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
    return lambda: fresh(server, "POST", "/vetting/screen", params={"format": "json", "date": "2025-06-01"}, content=SCREEN, headers=headers)


def _found(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


def _screened(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return str(response.json()["rows"][0]["match"])


def test_a_write_through_one_worker_is_seen_by_every_worker_and_host_on_the_next_request(
    two_workers: Server, other_host: Server, engine_store: str
) -> None:
    analyst, _ = new_key(engine_store, "analyst")
    editor, _ = new_key(engine_store, "editor")
    servers = {"worker": two_workers, "host": other_host}
    # Every process builds its search and screening indexes before the write, without the unit.
    for name, server in servers.items():
        count = 2 if name == "worker" else 1
        assert {_found(r) for found in from_every_worker(server, _search(server), count).values() for r in found} == {0}
        assert {_screened(r) for found in from_every_worker(server, _screen(server, analyst), count).values() for r in found} == {"none"}
    before = fresh(two_workers, "GET", "/actors", params={"q": "Quorvane"}).headers[VERSION]

    written = fresh(
        two_workers,
        "PUT",
        "/graph-store",
        params={"graph": "quorvane"},
        content=_quorvane(),
        headers={"Authorization": f"Bearer {editor}", "Content-Type": "text/turtle"},
    )
    assert written.status_code == 201, written.text

    for name, server in servers.items():
        count = 2 if name == "worker" else 1
        searched = from_every_worker(server, _search(server), count)
        assert {_found(r) for found in searched.values() for r in found} == {1}, f"a {name} missed the write"
        assert all(r.headers[VERSION] != before for found in searched.values() for r in found)
        screened = from_every_worker(server, _screen(server, analyst), count)
        assert {_screened(r) for found in screened.values() for r in found} == {"match"}, f"a {name}'s screening missed the write"


def test_more_than_one_worker_on_the_embedded_store_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(AssertionError) as refused:
        cli("serve", "--workers", "2", "--port", "1", store=tmp_path / "store", timeout=60)
    lines = [line for line in str(refused.value).splitlines()[1:] if line.strip()]
    assert len(lines) == 1 and "--workers 2 needs the store on an engine" in lines[0] and "one process" in lines[0]
    assert not (tmp_path / "store").exists()
