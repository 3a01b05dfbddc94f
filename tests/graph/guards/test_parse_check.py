"""The contained parse: a helper process parses SPARQL, dies instead of the caller, and reaches nothing."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from graph.guards import parse_check
from graph.guards.nesting import NestingTooDeep
from graph.guards.parse_check import ParserCrash, check_parses, check_text
from graph.store.limits import QueryTimeout

BANGS = "ASK { FILTER(" + "!" * 100_000 + "true) }"
VALUES = " ".join(str(i) for i in range(300))
# Three VALUES of 300 rows each: 27 million rows to count if anything evaluated it.
CUBE = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {VALUES} }} VALUES ?b {{ {VALUES} }} VALUES ?c {{ {VALUES} }} }}"


@pytest.fixture
def listener() -> Iterator[tuple[int, list[int]]]:
    """A TCP listener on 127.0.0.1 that counts the connections it gets."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted: list[int] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            accepted.append(1)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


def test_a_valid_text_passes_and_a_syntax_error_keeps_its_message() -> None:
    check_parses("SELECT ?s WHERE { ?s ?p ?o }")
    check_parses("INSERT DATA { <urn:a> <urn:b> <urn:c> }", update=True)
    with pytest.raises(SyntaxError, match=r"error at 1:25"):
        check_parses("SELECT * WHERE { ?s ?p }")
    with pytest.raises(SyntaxError):
        check_parses("SELECT * WHERE { ?s ?p ?o }", update=True)  # a query is no update


def test_a_crash_kills_only_the_helper_and_the_next_check_works() -> None:
    with pytest.raises(ParserCrash, match="parser crashed"):
        check_parses(BANGS)
    check_parses("ASK { }")  # a fresh helper


def test_a_query_is_parsed_not_evaluated() -> None:
    started = time.monotonic()
    check_parses(CUBE)
    assert time.monotonic() - started < 1.0, "counting the cube takes seconds: the check evaluated the query"


def test_the_helper_reaches_no_network(listener: tuple[int, list[int]]) -> None:
    port, accepted = listener
    target = f"http://127.0.0.1:{port}/x"
    check_parses(f"ASK {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
    check_parses(f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
    check_parses(f"LOAD <{target}>", update=True)
    check_parses(f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}", update=True)
    time.sleep(0.3)
    assert accepted == []


def test_a_check_that_runs_too_long_is_stopped() -> None:
    update = f"INSERT {{ <urn:a> <urn:b> ?n }} WHERE {{ {{ {CUBE} }} }}"
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        check_parses(update, update=True, timeout=0.5)
    assert time.monotonic() - started < 3
    check_parses("ASK { }")


def test_check_text_refuses_deep_brackets_before_starting_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_check, "_take", lambda: pytest.fail("no helper should be needed"))
    with pytest.raises(NestingTooDeep):
        check_text("SELECT * WHERE " + "{" * 5000 + "}" * 5000)


def test_helpers_are_reused_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    check_parses("ASK { }")
    pids = {helper.process.pid for helper in parse_check._idle}
    check_parses("ASK { }")
    assert {helper.process.pid for helper in parse_check._idle} == pids
    started: list[int] = []
    helper_class = parse_check._Helper

    def counted() -> parse_check._Helper:
        started.append(1)
        return helper_class()

    monkeypatch.setattr(parse_check, "_Helper", counted)
    threads = [threading.Thread(target=check_parses, args=("ASK { }",)) for _ in range(parse_check._MAX_HELPERS * 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(started) + len(pids) <= parse_check._MAX_HELPERS
    assert len(parse_check._idle) <= parse_check._MAX_HELPERS
    assert all(helper.process.poll() is None for helper in parse_check._idle)
