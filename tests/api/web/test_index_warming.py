"""A write starts building the search indexes in the background (the subject index, and the
screening name index that vetting reads), so the first search or vetting after a load does not
wait for them; writes that come while a build runs get one more build after it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.settings import Settings
from api.web.app import create_app
from graph.access import keys
from graph.index import cache
from graph.index.warming import THREAD_NAME, Warmer
from graph.query.sparql import Dataset, dataset_for
from graph.store import GraphStore, open_store
from graph.vetting import audit
from graph.vetting.screening.name_index import NameIndex, name_index
from tests.api.web.test_access_control import build_store

UNIT = b"""
@prefix ag: <https://w3id.org/actorgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/actorgraph/fictional/id/unit-warm> a ag:MilitaryUnit ; rdfs:label "Warmed Battalion" ; ag:name "Warmed Battalion" .
"""


@pytest.fixture
def served() -> Iterator[tuple[TestClient, GraphStore, str]]:
    store = build_store()
    token = keys.create_key(store, "editor", "editor").token
    with TestClient(create_app(Settings(store=None), store=store)) as client:  # with: the lifespan runs
        yield client, store, token


INSERT = (
    "PREFIX ag: <https://w3id.org/actorgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "INSERT DATA { GRAPH <https://w3id.org/actorgraph/graph/warmed> { <https://w3id.org/actorgraph/fictional/id/unit-warm> "
    'a ag:MilitaryUnit ; rdfs:label "Warmed Battalion" ; ag:name "Warmed Battalion" } }'
)
TURTLE = {"Content-Type": "text/turtle"}


def put(client: TestClient, auth: dict[str, str]) -> Response:
    return client.put("/graph-store", params={"graph": "warmed"}, content=UNIT, headers={**TURTLE, **auth})


# Each write the API offers, and whether the unit is there after it. A deletion first needs the graph.
WRITES: dict[str, tuple[Callable[[TestClient, dict[str, str]], Response], bool]] = {
    "PUT /graph-store": (put, True),
    "POST /graph-store": (lambda client, auth: client.post("/graph-store", params={"graph": "warmed"}, content=UNIT, headers={**TURTLE, **auth}), True),
    "POST /update": (lambda client, auth: client.post("/update", content=INSERT, headers={"Content-Type": "application/sparql-update", **auth}), True),
    "DELETE /graph-store": (lambda client, auth: client.delete("/graph-store", params={"graph": "warmed"}, headers=auth), False),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_builds_the_indexes_before_any_search_asks(write: str, served: tuple[TestClient, GraphStore, str], monkeypatch: pytest.MonkeyPatch) -> None:
    client, store, token = served
    auth = {"Authorization": f"Bearer {token}"}
    warmer: Warmer = client.app.state.warmer  # type: ignore[attr-defined]
    send, present = WRITES[write]
    if not present:
        assert put(client, auth).status_code == 201
    assert warmer.wait(60)
    builds: list[str] = []
    build = cache.build_subject_index

    def counted(*args: object, **kwargs: object) -> object:
        builds.append(threading.current_thread().name)
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "build_subject_index", counted)
    screening_builds: list[str] = []
    build_names = NameIndex.build

    def counted_names(store: GraphStore, dataset: Dataset) -> NameIndex:
        screening_builds.append(threading.current_thread().name)
        return build_names(store, dataset)

    monkeypatch.setattr(NameIndex, "build", staticmethod(counted_names))
    answer = send(client, auth)
    assert answer.status_code in (200, 201, 204), answer.text
    assert warmer.wait(60)
    assert builds and set(builds) == {THREAD_NAME}  # built by the warmer, for readers and analysts
    found = client.get("/actors", params={"q": "Warmed Battalion"}).json()
    assert ("Warmed Battalion" in [item["label"] for item in found["results"]]) is present
    assert set(builds) == {THREAD_NAME}  # the search used what the warmer built
    analysts = dataset_for(store, include_restricted=True)
    name_index(store, analysts, audit.data_version(store, analysts).digest)  # as a vetting reads it
    assert screening_builds == [THREAD_NAME]


def test_a_request_while_warming_gets_one_more_run_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    started, release = threading.Event(), threading.Event()
    runs: list[int] = []

    def slow_warm(store: GraphStore) -> None:
        runs.append(1)
        started.set()
        release.wait(30)

    warmer = Warmer(open_store(None), (slow_warm,))
    warmer.start()
    assert started.wait(30)
    warmer.start()
    warmer.start()  # both asked while the first ran: one more run, not two
    release.set()
    assert warmer.wait(30)
    assert len(runs) == 2


def test_a_failing_build_is_logged_and_the_warmer_stays_usable(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(store: GraphStore) -> None:
        raise RuntimeError("engine gone")

    warmer = Warmer(open_store(None), (broken,))
    with caplog.at_level("WARNING", logger="actorgraph.index"):
        warmer.start()
        assert warmer.wait(30)
    assert "the next request builds them" in caplog.text
    warmer.start()
    assert warmer.wait(30)
