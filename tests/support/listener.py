"""A loopback HTTP listener that counts the connections a server under test opens to it."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


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
