"""The requests a fuzzer found that gave a 500: deep JSON bodies, a subject that is no IRI, an
offset past 2^63, and pyoxigraph results dropped on a thread other than the one that made them."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from api.web import worker_threads
from api.web.app import create_app
from api.web.json_body import MAX_JSON_DEPTH, JsonBodyError, check_depth
from graph.access import keys
from graph.query import named_queries, sparql
from graph.store import EmbeddedStore

UNIT = "fictional/unit/bn-72"


@pytest.fixture(scope="module")
def client(demo_store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(Settings(store=None, max_upload_bytes=1_000_000), store=demo_store), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def analyst(demo_store: EmbeddedStore) -> dict[str, str]:
    return {"Authorization": "Bearer " + keys.create_key(demo_store, "analyst", "bounds analyst").token}


@pytest.fixture(scope="module")
def admin(demo_store: EmbeddedStore) -> dict[str, str]:
    return {"Authorization": "Bearer " + keys.create_key(demo_store, "admin", "bounds admin").token}


# --- deep and oversized JSON -----------------------------------------------------------------


@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000], ids=["arrays", "objects"])
def test_deep_json_is_a_400_naming_the_limit(client: TestClient, body: bytes) -> None:
    response = client.post(f"/queries/unit_commanders?unit={UNIT}", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert f"more than {MAX_JSON_DEPTH} deep" in response.json()["detail"]


def test_deep_json_without_a_content_type_is_a_400_too(client: TestClient) -> None:
    # The query library reads a body without Content-Type as JSON, so the guard is in its decoder too.
    response = client.post("/queries/unit_commanders", content=b"[" * 100_000 + b"]" * 100_000, headers={"Content-Type": ""})
    assert response.status_code == 400 and "deep" in response.json()["detail"]


def test_the_guard_covers_every_json_route(client: TestClient, analyst: dict[str, str]) -> None:
    # /vetting/screen takes CSV; a deep JSON body is refused before the route or a parser runs.
    response = client.post("/vetting/screen", content=b"[" * 5000, headers={**analyst, "Content-Type": "application/merge-patch+json"})
    assert response.status_code == 400 and "deep" in response.json()["detail"]


def test_json_over_the_upload_limit_is_a_413(client: TestClient) -> None:
    body = b'{"unit": "' + b"x" * 1_000_001 + b'"}'
    response = client.post("/queries/unit_commanders", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and "1,000,000" in response.json()["detail"]


def test_json_within_the_limits_still_works(client: TestClient) -> None:
    nested_ok = {"unit": UNIT}
    response = client.post("/queries/unit_commanders", json=nested_ok)
    assert response.status_code == 200, response.text
    assert response.json()["rows"]
    # Brackets inside strings do not nest, escaped quotes included.
    check_depth(b'{"unit": "' + b'[\\"' * 10_000 + b'"}')
    with pytest.raises(JsonBodyError):
        check_depth(b"[" * (MAX_JSON_DEPTH + 1))
    check_depth(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)


# --- a subject that is not an IRI -------------------------------------------------------------


@pytest.mark.parametrize("subject", ["null", "not an iri", "http://bad iri/x"])
def test_a_subject_that_is_no_iri_is_a_422_naming_it(client: TestClient, analyst: dict[str, str], subject: str) -> None:
    response = client.get("/vetting/runs", params={"subject": subject}, headers=analyst)
    assert response.status_code == 422, response.text
    assert "'subject'" in response.json()["detail"] and "absolute IRI" in response.json()["detail"]


def test_an_unknown_absolute_iri_still_lists_its_runs(client: TestClient, analyst: dict[str, str]) -> None:
    response = client.get("/vetting/runs", params={"subject": "urn:example:gone"}, headers=analyst)
    assert response.status_code == 200
    assert response.json()["subject"] == "urn:example:gone" and response.json()["runs"] == []


# --- offsets past what a page can skip --------------------------------------------------------


@pytest.mark.parametrize("offset", [2**63, 2**64, named_queries.MAX_OFFSET + 1])
def test_an_offset_beyond_the_bound_is_a_422(client: TestClient, offset: int) -> None:
    got = client.get("/queries/unit_commanders", params={"unit": UNIT, "offset": offset})
    assert got.status_code == 422 and got.json()["detail"][0]["loc"] == ["query", "offset"]
    assert got.json()["detail"][0]["ctx"] == {"le": named_queries.MAX_OFFSET}
    posted = client.post("/queries/unit_commanders", json={"unit": UNIT, "offset": offset})
    assert posted.status_code == 422
    assert posted.json()["detail"] == f"parameter 'offset': must be between 0 and {named_queries.MAX_OFFSET:,}, got {offset}"


def test_the_largest_offset_is_an_empty_page(client: TestClient) -> None:
    response = client.get("/queries/unit_commanders", params={"unit": UNIT, "offset": named_queries.MAX_OFFSET})
    assert response.status_code == 200 and response.json()["rows"] == []


# --- results stay on the thread that made them ------------------------------------------------


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What pyoxigraph reports when one of its objects is dropped on the wrong thread."""
    seen: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda report: seen.append(f"{report.exc_type.__name__}: {report.exc_value}"))
    yield seen


def _fail_in_a_thread(work: Callable[[], object], unraisable: list[str]) -> tuple[str, list[str]]:
    """Run `work` in a thread that hands its error to this one, as a request's worker thread does;
    drop the error here. Returns the error as text, and what pyoxigraph reported on the drop."""
    box: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except Exception as error:  # noqa: BLE001 - the thread hands any failure to the test
            box.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    described = f"{type(box[0]).__name__}: {box[0]}"
    box.clear()
    gc.collect()  # the traceback and the frames it holds go here, on this thread
    return described, [report for report in unraisable if "unsendable" in report]


def test_the_hazard_is_real(demo_store: EmbeddedStore, unraisable: list[str]) -> None:
    """A frame that holds results, carried to another thread by an exception, drops them there."""
    dataset = sparql.dataset_for(demo_store)

    def fail_while_holding() -> None:
        held = sparql.run_query(demo_store, "SELECT * WHERE { ?s ?p ?o } LIMIT 3", dataset)
        raise ValueError(f"failed while holding {type(held).__name__}")

    error, reports = _fail_in_a_thread(fail_while_holding, unraisable)
    assert error == "ValueError: failed while holding QuerySolutions"
    assert reports, "pyoxigraph should have reported results dropped on another thread"


def test_a_bad_offset_is_refused_before_any_result_exists(demo_store: EmbeddedStore, unraisable: list[str]) -> None:
    dataset = sparql.dataset_for(demo_store)
    error, reports = _fail_in_a_thread(
        lambda: named_queries.run(demo_store, dataset, "unit_commanders", {"unit": UNIT}, offset=2**64), unraisable
    )
    assert error.startswith("ParameterError: parameter 'offset': must be between 0 and")
    assert reports == []


def test_an_error_while_reading_results_leaves_them_on_their_thread(demo_store: EmbeddedStore, unraisable: list[str]) -> None:
    dataset = sparql.dataset_for(demo_store)
    query = named_queries.get("unit_commanders")
    bound = named_queries.bind(demo_store, dataset, query, {"unit": UNIT})

    def read_past_the_end() -> None:
        # As named_queries.run hands them over: islice refuses the offset while the results live.
        named_queries._cut(sparql.run_query(demo_store, query.text, dataset, substitutions=bound), sys.maxsize + 1, 10)

    error, reports = _fail_in_a_thread(read_past_the_end, unraisable)
    assert error.startswith("ValueError")
    assert reports == []


# --- every route that takes an IRI ------------------------------------------------------------

NOT_IRIS = ["null", "http://bad iri/x", "a:b c", "\x00", "urn:", "http://[::1", "x" * 3000]
IRI_ROUTES = [
    "/vetting/runs?subject={}", "/graph-store?graph={}", "/paths?from={}&to=fictional/unit/bn-72",
    "/paths?from=fictional/unit/bn-72&to={}", "/actors/{}", "/actors/{}/network", "/actors/{}/timeline",
    "/programs/{}", "/vetting/{}", "/programs/{}/vetting", "/view/actors/{}", "/view/programs/{}",
    "/view/data/network/{}", "/view/data/node/{}", "/pages/actors/{}", "/pages/programs/{}",
    "/sparql?query=ASK%7B%7D&default-graph-uri={}", "/sparql?query=ASK%7B%7D&named-graph-uri={}",
    "/actors?country={}", "/actors?type={}", "/pages/vetting/report?subject={}", "/view/paths?from={}&to=fictional/unit/bn-72",
    "/queries/unit_commanders?unit={}", "/pages/search?country={}",
]


@pytest.mark.parametrize("route", IRI_ROUTES)
def test_no_route_answers_a_bad_iri_with_a_server_error(client: TestClient, admin: dict[str, str], route: str) -> None:
    for value in NOT_IRIS:
        response = client.get(route.format(quote(value, safe="")), headers=admin)
        assert response.status_code < 500, (value, response.status_code, response.text[:200])


def test_route_work_keeps_its_results_on_its_thread(unraisable: list[str]) -> None:
    """What api.web.worker_threads wraps around a route's work: on an error, the frames are cleared
    on the thread that ran it, so the graph result they held is dropped there."""

    def work() -> object:
        held = ox.Store().query("CONSTRUCT WHERE { ?s ?p ?o }")
        raise LookupError(f"failed while holding {type(held).__name__}")

    error, reports = _fail_in_a_thread(work, unraisable)
    assert error == "LookupError: failed while holding QueryTriples" and reports  # unwrapped: carried over
    unraisable.clear()
    error, reports = _fail_in_a_thread(worker_threads._clearing(work), unraisable)
    assert error == "LookupError: failed while holding QueryTriples" and reports == []
