"""A query worker of graph.store.embedded.pool: `python -m graph.store.embedded.pool_worker NICENESS`.

It answers requests from stdin until stdin closes (which the server's exit does), reading the
checkpoint each request names, with no network. Each query is parsed before it is evaluated, and
the worker says so, so that its death while parsing reads as a parser crash (graph.errors.ParserCrash).
"""

from __future__ import annotations

import os
import sys

import pyoxigraph as ox

from graph.guards.parse_check import parse_only
from graph.store.embedded import netguard
from graph.store.embedded.forking import outcome_of
from graph.store.embedded.isolation import evaluate_into
from graph.store.embedded.pool import Request, receive, send


def serve(niceness: int) -> None:
    if niceness:
        os.nice(niceness)
    if netguard.works():
        netguard.forbid_network()
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the answer stream
    send(answers, "ready")
    store: ox.Store | None = None
    opened: str | None = None
    while True:
        try:
            request: Request = receive(requests.fileno(), None)
        except EOFError:
            return
        if request.text is not None:
            # Parsed first, before anything else is done: a text that overflows the parser's stack
            # kills this worker before "parsed" is sent, so the server reports a ParserCrash.
            parse_only(request.text)
            send(answers, "parsed")
        if request.checkpoint != opened:
            store = None  # closes the older checkpoint first
            store, opened = ox.Store.read_only(request.checkpoint), request.checkpoint
        assert store is not None
        if request.text is None:
            send(answers, (b"", {"kind": "opened"}))
            continue
        chunks: list[bytes] = []
        work = evaluate_into(
            store, request.text, request.substitutions, request.default_graph, request.named_graphs, request.result_cap, request.result_bytes
        )
        outcome = outcome_of(work, chunks.append)
        send(answers, (b"".join(chunks), outcome))


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
