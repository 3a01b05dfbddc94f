"""Running the real `actorgraph serve` in tests (a uvicorn process on a free loopback port), and a
loopback listener that counts the connections a server opens to it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

ACTORGRAPH = Path(sys.executable).with_name("actorgraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(
    store: Path, *, env: Mapping[str, str] | None = None, log: Path | None = None, timeout: float = 60
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Serve `store` until the block ends; yields the base URL and the process. The server's
    output goes to `log` (or nowhere), and is shown if it fails to start."""
    environment = {**os.environ, "ACTORGRAPH_STORE": "", **(env or {})}
    port = free_port()
    with open(log or os.devnull, "wb") as output:
        process = subprocess.Popen(
            [str(ACTORGRAPH), "serve", "--store", str(store), "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=environment,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(base + "/openapi.json", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    shown = log.read_text(errors="replace") if log and log.exists() else "(no log kept)"
                    raise AssertionError(f"the server did not start within {timeout:g} s:\n{shown}") from None
                time.sleep(0.2)
        try:
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


class Listener:
    """An HTTP server on 127.0.0.1 (a free port) that counts every TCP connection made to it,
    even one that never sends a request. It answers any GET or POST as a SPARQL endpoint would
    (one row binding ?x to "from-listener"), and paths ending in .ttl with one Turtle triple, so
    an admin's SERVICE or LOAD through it really works. Use as a context manager."""

    ROW = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"from-listener"}}]}}'
    TURTLE = b'<https://w3id.org/actorgraph/id/x/listener> <http://www.w3.org/2000/01/rdf-schema#label> "from-listener" .\n'

    def __init__(self) -> None:
        listener = self
        self._lock = threading.Lock()
        self._connections = 0

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                turtle = self.path.split("?")[0].endswith(".ttl")
                body = listener.TURTLE if turtle else listener.ROW
                self.send_response(200)
                self.send_header("Content-Type", "text/turtle" if turtle else "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def process_request(self, request: object, client_address: object) -> None:
                with listener._lock:
                    listener._connections += 1
                super().process_request(request, client_address)  # type: ignore[arg-type]

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port: int = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="listener", daemon=True)

    @property
    def connections(self) -> int:
        with self._lock:
            return self._connections

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
