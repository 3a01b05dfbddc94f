"""The store version: a token in the meta graph that every write replaces, so that every process
on a shared store (API workers, hosts, the command line) can tell that something changed.

Why tokens, not a counter: two writers on an engine may run side by side, and an increment read
from the same snapshot by both would give one number for two writes. Each write instead inserts a
fresh random token and deletes the tokens it finds; the version is the sorted set of tokens in the
store. Every write leaves a set that holds a token never seen before, so no version ever comes
back, even when two writers race (both tokens then stay until the next write).

When: in the same transaction as the write where one operation can do both (a SPARQL update gets
the bump appended; an added batch carries its new token), else right after it. A version is never
visible before the data it stands for, so a cache built under a version holds that data or newer.

Reading it is one look-up of one subject (`read`). `current` reads it once per request
(`pinned`), and again in the same request only after this process wrote.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from graph.guards.sparql_scan import tokens
from graph.store import rdf
from graph.store.base import GraphStore
from ontology.namespaces import AG, ID, META_GRAPH

META = rdf.NamedNode(META_GRAPH)
NODE = rdf.NamedNode(ID + "store")
PREDICATE = rdf.NamedNode(AG + "storeVersion")

_T = TypeVar("_T")
# Per request: store id -> (this process's write count for that store, version read).
_PINS: ContextVar[dict[int, tuple[int, str]] | None] = ContextVar("store_version_pins", default=None)
_writes: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
_writes_lock = threading.Lock()


def new_token() -> str:
    return uuid.uuid4().hex


def token_quad(token: str) -> rdf.Quad:
    """The quad that carries `token`: added in the same batch as the data it versions."""
    return rdf.Quad(NODE, PREDICATE, rdf.Literal(token), META)


def bump_text(token: str) -> str:
    """A SPARQL update that replaces every token with `token` (one operation: on an engine that
    runs a request in one transaction, appended to a write it commits with it)."""
    return (
        f"DELETE {{ GRAPH {META} {{ {NODE} {PREDICATE} ?token }} }}\n"
        f"INSERT {{ GRAPH {META} {{ {NODE} {PREDICATE} {rdf.Literal(token)} }} }}\n"
        f"WHERE {{ OPTIONAL {{ GRAPH {META} {{ {NODE} {PREDICATE} ?token }} }} }}"
    )


def with_bump(update: str, token: str) -> str:
    """`update` followed by the bump, as one update request. The grammar allows one ';' after the
    last operation, so a text that ends with one (perhaps before a comment) does not get a second."""
    text = update.rstrip()
    if not text:
        return bump_text(token)
    last_line = text.rpartition("\n")[2]
    if "#" in last_line:  # perhaps a comment: ask the tokenizer (only then, it reads the whole text)
        significant = [t.text for t in tokens(text) if t.kind not in {"ws", "comment"}]
        ends_with_separator = bool(significant) and significant[-1] == ";"
    else:
        ends_with_separator = text.endswith(";")
    return f"{text}\n{'' if ends_with_separator else ';'}\n{bump_text(token)}"


def wrote(store: object) -> None:
    """Record that this process wrote to `store`: a request that pinned its version reads it again."""
    with _writes_lock:
        _writes[store] = _writes.get(store, 0) + 1


def read(store: GraphStore) -> str:
    """The version stored now: its tokens, sorted and joined ('' for a store never written)."""
    found = [quad.object for quad in store.quads(META, subject=NODE) if quad.predicate == PREDICATE]
    return " ".join(sorted(term.value for term in found if isinstance(term, rdf.Literal)))


def quads_besides_version(store: GraphStore) -> int:
    """How many quads the store holds, its version's left out: 0 for a store that was emptied."""
    return store.size() - sum(1 for _ in store.quads(META, subject=NODE))


def current(store: GraphStore) -> str:
    """The store's version for this request: read once per request (see `pinned`), and again after
    this process writes to the store; outside a request, read every time."""
    pins = _PINS.get()
    with _writes_lock:
        local = _writes.get(store, 0)
    if pins is not None:
        found = pins.get(id(store))
        if found is not None and found[0] == local:
            return found[1]
    version = read(store)
    if pins is not None:
        pins[id(store)] = (local, version)
    return version


@contextmanager
def pinned() -> Iterator[Mapping[int, str]]:
    """Read each store's version at most once in this block (one request), unless this process
    writes. The mapping is shared with the threads the block's context is copied to. Yields the
    versions read so far, by store id (live: it fills as the block reads)."""
    pins: dict[int, tuple[int, str]] = {}
    reset = _PINS.set(pins)
    try:
        yield _Seen(pins)
    finally:
        _PINS.reset(reset)


class _Seen(Mapping[int, str]):
    """The versions a pinned block read, by store id."""

    def __init__(self, pins: dict[int, tuple[int, str]]) -> None:
        self._pins = pins

    def __getitem__(self, key: int) -> str:
        return self._pins[key][1]

    def __iter__(self) -> Iterator[int]:
        return iter(list(self._pins))

    def __len__(self) -> int:
        return len(self._pins)


class _Memo:
    """Small results derived from a store, kept for its current version only: per store (weakly
    held) and kind, the value computed at the newest version seen; the least recently used kinds
    go beyond `size` (kinds may come from requests, as a key id does)."""

    def __init__(self, size: int = 1024) -> None:
        self._lock = threading.Lock()
        self._size = size
        self._values: weakref.WeakKeyDictionary[Any, OrderedDict[Hashable, tuple[str, object]]] = weakref.WeakKeyDictionary()

    def get(self, store: GraphStore, kind: Hashable, compute: Callable[[], _T]) -> _T:
        version = current(store)
        with self._lock:
            values = self._values.setdefault(store, OrderedDict())
            found = values.get(kind)
            if found is not None and found[0] == version:
                values.move_to_end(kind)
                return found[1]  # type: ignore[return-value]
        value = compute()  # read after the version: as new as it, or newer
        with self._lock:
            values[kind] = (version, value)
            values.move_to_end(kind)
            while len(values) > self._size:
                values.popitem(last=False)
        return value


_MEMO = _Memo()


def memoized(store: GraphStore, kind: Hashable, compute: Callable[[], _T]) -> _T:
    """`compute()` for this store at its current version, computed once per version and kind.
    Only for small values (the registry, a key's record): one per kind is kept."""
    return _MEMO.get(store, kind, compute)
