"""An engine that lets queries past the protocol's dataset must not serve restricted graphs.

The leaky engine is Oxigraph server behind a real HTTP front that drops `default-graph-uri` and
`named-graph-uri` from every query, as an engine that ignores them would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest

from graph.ingest import loader, setup
from graph.ingest.formats import format_named
from graph.ingest.loader import RdfSource
from graph.store import open_store
from graph.store.remote import RemoteStore
from graph.store.remote.probe import LeakyEngine, leaks
from tests.engines.engines import Engine, clear
from tests.store.support import data_graphs

DATASET = {"default-graph-uri", "named-graph-uri"}


@pytest.fixture
def leaky(oxigraph_engine: Engine) -> Iterator[str]:
    """The --store URL of the leaky front."""
    target = oxigraph_engine.location.removeprefix("oxigraph+")

    class Front(BaseHTTPRequestHandler):
        def _forward(self, method: str) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            if urlsplit(self.path).path == "/query" and method == "POST":
                body = urlencode([(k, v) for k, v in parse_qsl(body.decode(), keep_blank_values=True) if k not in DATASET]).encode()
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            answer = httpx.request(method, target + self.path, content=body, headers=headers, timeout=30)
            self.send_response(answer.status_code)
            self.send_header("Content-Type", answer.headers.get("content-type", "text/plain"))
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        def do_POST(self) -> None:
            self._forward("POST")

        def do_GET(self) -> None:
            self._forward("GET")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Front)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    clear(oxigraph_engine.location)
    try:
        yield f"oxigraph+http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        clear(oxigraph_engine.location)


def test_the_probe_finds_the_leak_and_cleans_up(leaky: str, oxigraph_engine: Engine) -> None:
    store = open_store(leaky, recover=False)  # no restricted graph yet: public data may be served
    assert isinstance(store, RemoteStore)
    found = leaks(store)
    assert found and any("GRAPH ?g" in text for text in found)
    honest = open_store(oxigraph_engine.location, recover=False)
    assert isinstance(honest, RemoteStore) and leaks(honest) == []
    assert data_graphs(honest) == []  # the probe graphs are gone
    store.close()
    honest.close()


def test_restricted_graphs_are_refused_on_a_leaky_engine(leaky: str, oxigraph_engine: Engine) -> None:
    store = open_store(oxigraph_engine.location, recover=False)
    setup.load_ontology(store)
    source = RdfSource.from_bytes("secret.ttl", b"<urn:a> <urn:b> <urn:c> .", format_named("turtle"))
    loader.load_sources(store, [source], graph="secret", restricted=True)
    store.close()
    open_store(oxigraph_engine.location).close()  # the honest engine serves it
    with pytest.raises(LeakyEngine, match=r"cannot keep restricted graphs from readers; refusing .* [12] restricted graph"):
        open_store(leaky)


def test_virtuoso_leaks_through_from_and_refuses_restricted_graphs(virtuoso_engine: Engine) -> None:
    """Virtuoso lets FROM in the text override the protocol's dataset (README, Deploying for a
    team): the probe must see that on the real engine, and a store with a restricted graph on it
    must not open, while one with public graphs only still does."""
    clear(virtuoso_engine.location)
    try:
        store = open_store(virtuoso_engine.location, recover=False)
        assert isinstance(store, RemoteStore)
        found = leaks(store)
        assert any("FROM <" in text for text in found), found
        setup.load_ontology(store)
        source = RdfSource.from_bytes("secret.ttl", b"<urn:a> <urn:b> <urn:c> .", format_named("turtle"))
        loader.load_sources(store, [source], graph="public", trusted=True)
        store.close()
        open_store(virtuoso_engine.location).close()  # public data only: served
        store = open_store(virtuoso_engine.location, recover=False)
        loader.load_sources(store, [source], graph="secret", trusted=True, restricted=True)
        store.close()
        with pytest.raises(LeakyEngine, match=r"Virtuoso lets a query reach graphs outside the protocol's dataset .* 1 restricted graph"):
            open_store(virtuoso_engine.location)
    finally:
        clear(virtuoso_engine.location)
