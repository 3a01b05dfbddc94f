"""The SPARQL 1.1 Protocol and Graph Store Protocol over one pooled HTTP client.

Queries go as form posts with the dataset in `default-graph-uri` / `named-graph-uri`, never in
the text. Answers are read as TSV or SPARQL XML (solutions, booleans) or N-Triples (graphs), in
which each result is a line or a `<result>` element, so the result cap is checked while the body
streams.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import httpx

from graph.store import rdf
from graph.store.base import StoreError
from graph.store.limits import QueryFailed, QueryLimits, QueryTimeout, ResultCapExceeded
from graph.store.remote.dialects import NQUADS, NTRIPLES, TSV, XML, Dialect
from graph.store.remote.query_form import query_form

EMPTY = "urn:actorgraph:empty-dataset"  # stands for an empty graph list, which the protocol cannot say
# What marks one result in each format, and how many of those the header holds.
_RESULT_MARK: dict[str, tuple[bytes, int]] = {TSV: (b"\n", 1), NTRIPLES: (b"\n", 0), XML: (b"<result>", 0)}


@dataclass(frozen=True)
class Answer:
    media_type: str
    body: bytes


def _graph_list(graphs: Sequence[rdf.NamedNode]) -> list[str]:
    return [graph.value for graph in graphs] or [EMPTY]


class Protocol:
    """One engine's endpoints, reached through a connection pool shared by every thread."""

    def __init__(self, dialect: Dialect, *, connect_timeout: float = 5.0, pool: int = 32) -> None:
        self.dialect = dialect
        limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool)
        self._client = httpx.Client(limits=limits, timeout=httpx.Timeout(None, connect=connect_timeout))

    def close(self) -> None:
        self._client.close()

    def _unreachable(self, error: httpx.TransportError) -> StoreError:
        return StoreError(f"cannot reach {self.dialect.engine} at {self.dialect.query}: {error or type(error).__name__}")

    def query(
        self,
        text: str,
        *,
        default_graph: Sequence[rdf.NamedNode] | None,
        named_graphs: Sequence[rdf.NamedNode] | None,
        union: bool = False,
        limits: QueryLimits | None = None,
        deadline: float | None = None,
    ) -> Answer:
        """Run a query and read its whole answer; raises SyntaxError, QueryTimeout, ResultCapExceeded."""
        form: dict[str, str | list[str]] = {"query": text}
        if union and self.dialect.union_parameter:
            form[self.dialect.union_parameter] = ""
        elif default_graph is not None:
            form["default-graph-uri"] = _graph_list(default_graph)
        if named_graphs is not None:
            form["named-graph-uri"] = _graph_list(named_graphs)
        if limits is not None and self.dialect.timeout_parameter:
            form[self.dialect.timeout_parameter] = str(max(1, round(limits.timeout * 1000)))
        timeout = None if deadline is None else max(0.001, deadline - time.monotonic())
        headers = {"Accept": self.dialect.accept(query_form(text))}
        try:
            with self._client.stream("POST", self.dialect.query, data=form, headers=headers, timeout=httpx.Timeout(timeout, connect=5.0)) as response:
                if response.status_code >= 400:
                    message = response.read().decode("utf-8", "replace").strip()
                    if response.status_code == 400:
                        raise SyntaxError(message or "the engine refused the query")
                    if self.dialect.timeout_error and self.dialect.timeout_error in message:
                        raise self._cancelled(limits)
                    raise QueryFailed(f"{self.dialect.engine} answered {response.status_code}: {message[:500]}")
                media_type = response.headers.get("content-type", "").split(";")[0].strip()
                body = self._read(response, limits, media_type, deadline)
                self._check_whole(response.headers, body, limits)
        except httpx.TimeoutException:
            if limits is None:
                raise StoreError(f"{self.dialect.engine} did not answer in time") from None
            raise QueryTimeout(limits.timeout) from None
        except httpx.TransportError as error:
            raise self._unreachable(error) from None
        return Answer(media_type, body)

    def _cancelled(self, limits: QueryLimits | None) -> Exception:
        if limits is None:
            return StoreError(f"{self.dialect.engine} cancelled the query at its own timeout")
        return QueryTimeout(limits.timeout)

    def _check_whole(self, headers: httpx.Headers, body: bytes, limits: QueryLimits | None) -> None:
        """Raise when the engine says, in its headers or at the end of the body, that it cut the
        result short: a partial answer must never read as the whole one."""
        marker, header = self.dialect.cancelled_marker, self.dialect.cancelled_header
        if (marker is not None and body.endswith(marker)) or (header is not None and headers.get(header[0], "").strip() == header[1]):
            raise self._cancelled(limits)
        truncated = self.dialect.truncated_header
        if truncated is not None and truncated in headers:
            raise QueryFailed(
                f"{self.dialect.engine} cut the result at its row limit ({headers[truncated]} rows, ResultSetMaxRows in "
                "virtuoso.ini); raise that limit above ActorGraph's result cap"
            )

    @staticmethod
    def _read(response: httpx.Response, limits: QueryLimits | None, media_type: str, deadline: float | None) -> bytes:
        """The body, stopped as soon as it passes the result cap (lines), the byte budget or the
        deadline (a result that keeps streaming never trips the client's read timeout)."""
        chunks: list[bytes] = []
        results = size = 0
        mark, header = _RESULT_MARK.get(media_type, (b"\n", 0))
        tail = b""  # the end of the last chunk, where a mark may have begun
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            if limits is None:
                continue
            if deadline is not None and time.monotonic() > deadline:
                raise QueryTimeout(limits.timeout)
            results += (tail + chunk).count(mark)
            tail = (tail + chunk)[-(len(mark) - 1) :] if len(mark) > 1 else b""
            size += len(chunk)
            if size > limits.result_bytes:
                raise ResultCapExceeded(limits.result_bytes, in_bytes=True)
            if results > limits.result_cap + header:
                raise ResultCapExceeded(limits.result_cap)
        return b"".join(chunks)

    def update(self, text: str) -> None:
        """Run a SPARQL Update; raises SyntaxError when the engine cannot parse it."""
        try:
            response = self._client.post(self.dialect.update, data={"update": self.dialect.update_text(text)})
        except httpx.TransportError as error:
            raise self._unreachable(error) from None
        if response.status_code == 400:
            raise SyntaxError(response.text.strip() or "the engine refused the update")
        if response.status_code >= 300:
            raise StoreError(f"{self.dialect.engine} refused an update ({response.status_code}): {response.text[:500]}")

    def post_quads(self, data: bytes, graph: str | None = None) -> None:
        """Add to the dataset through the Graph Store Protocol, in one request: N-Quads, or the
        N-Triples of one named graph where `graph` is given."""
        params = {} if graph is None else {"graph-uri": graph}
        content_type = NQUADS if graph is None else NTRIPLES
        try:
            response = self._client.post(self.dialect.store, params=params, content=data, headers={"Content-Type": content_type})
        except httpx.TransportError as error:
            raise self._unreachable(error) from None
        if response.status_code >= 300:
            raise StoreError(f"{self.dialect.engine} refused the quads ({response.status_code}): {response.text[:500]}")

    def get_dataset(self) -> Iterator[bytes]:
        """The whole dataset as N-Quads, streamed."""
        try:
            with self._client.stream("GET", self.dialect.store, headers={"Accept": NQUADS}) as response:
                if response.status_code >= 300:
                    raise StoreError(f"{self.dialect.engine} refused to dump the store ({response.status_code})")
                yield from response.iter_bytes()
        except httpx.TransportError as error:
            raise self._unreachable(error) from None
