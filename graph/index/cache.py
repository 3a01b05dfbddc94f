"""Indexes built per store and dataset, and rebuilt when a graph they read changes.

An index is keyed by the registered graphs' import records (`graph_state`): a load, a replacement
or a new reasoning run re-registers a graph with a new import activity, so the next request builds
a new index. The registry itself is read once per store version (graph.store.versioning), which
every write replaces, so every worker and host sees a change on its next request; a write that
changes no data graph (an API key, an audit record) costs one registry read, not an index.
Readers and analysts see different graphs, so each dataset gets its own index.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from graph.index.subjects import FIELDS, SearchPage, SubjectIndex
from graph.index.terms import Terms
from graph.ingest import registry
from graph.query.sparql import Dataset, dataset_for
from graph.store import GraphStore, rdf
from ontology.namespaces import ONTOLOGY_GRAPH
from queries import catalog

GraphState = tuple[tuple[str, str, int], ...]
_T = TypeVar("_T")
_MAX_STATES = 4  # per kind: readers and analysts, and a previous state while a new one is being built


def graph_state(store: GraphStore, dataset: Dataset) -> GraphState:
    """What an index depends on: each visible graph with its newest import activity and size. A new
    load, replacement or reasoning run changes it, so the index is rebuilt."""
    visible = {graph.value for graph in dataset.graphs}
    return tuple(
        (info.graph.value, info.activity, info.triples)
        for info in registry.registered_graphs(store)
        if info.graph.value in visible
    )


class _Cache:
    """Built objects per store (weakly held: a closed test store takes its indexes with it), kind
    and state, the few newest of each kind only.

    Concurrent first requests for one key build it once (the others wait on that key's lock);
    requests for keys already built, or for other keys, never wait for a build."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_store: weakref.WeakKeyDictionary[object, OrderedDict[tuple[str, Hashable], object]] = weakref.WeakKeyDictionary()
        self._building: dict[tuple[int, str, Hashable], threading.Lock] = {}

    def _lookup(self, store: GraphStore, key: tuple[str, Hashable]) -> tuple[bool, object]:
        entries = self._by_store.setdefault(store, OrderedDict())
        if key in entries:
            entries.move_to_end(key)
            return True, entries[key]
        return False, None

    def get(self, store: GraphStore, kind: str, state: Hashable, build: Callable[[], _T], keep: int = _MAX_STATES) -> _T:
        key = (kind, state)
        with self._lock:
            found, value = self._lookup(store, key)
            if found:
                return value  # type: ignore[return-value]
            building = self._building.setdefault((id(store), kind, state), threading.Lock())
        with building:
            with self._lock:
                found, value = self._lookup(store, key)
                if found:
                    return value  # type: ignore[return-value]
            built = build()
            with self._lock:
                entries = self._by_store.setdefault(store, OrderedDict())
                entries[key] = built
                of_kind = [k for k in entries if k[0] == kind]  # oldest first
                for old in of_kind[: max(0, len(of_kind) - keep)]:
                    del entries[old]
                self._building.pop((id(store), kind, state), None)
            return built


_CACHE = _Cache()


def cached(store: GraphStore, kind: str, state: Hashable, build: Callable[[], _T], *, keep: int = _MAX_STATES) -> _T:
    """The `kind` object built for `state` of this store, built by `build` on first use; only the
    `keep` newest states of each kind stay cached."""
    return _CACHE.get(store, kind, state, build, keep)


def _load_terms(store: GraphStore, dataset: Dataset) -> Terms:
    ontology = rdf.NamedNode(ONTOLOGY_GRAPH)
    graphs = [ontology] if ontology in dataset.graphs else list(dataset.graphs)
    rows = []
    for row in store.select(catalog.text("tracing/terms"), default_graph=graphs):
        label = row["label"]
        parent = row["super"]
        rows.append((row["term"].value, label.value, getattr(label, "language", None), parent.value if parent is not None else None))
    return Terms(rows)


def terms_for(store: GraphStore, dataset: Dataset, state: GraphState | None = None) -> Terms:
    """The ontology's labels and class hierarchy, as the dataset sees them (cached)."""
    state = graph_state(store, dataset) if state is None else state
    ontology_state = tuple(item for item in state if item[0] == ONTOLOGY_GRAPH) or state
    return _CACHE.get(store, "terms", ontology_state, lambda: _load_terms(store, dataset))


def index_for(store: GraphStore, dataset: Dataset, state: GraphState | None = None) -> SubjectIndex:
    """The subject index of this dataset, built on first use after any graph changed."""
    state = graph_state(store, dataset) if state is None else state
    terms = terms_for(store, dataset, state)
    return _CACHE.get(store, "subjects", state, lambda: build_subject_index(store, dataset, terms))


def build_subject_index(store: GraphStore, dataset: Dataset, terms: Terms) -> SubjectIndex:
    """A new subject index from one query (bench/index_build.py times it)."""
    solutions = store.select(catalog.text("tracing/subjects"), default_graph=list(dataset.graphs))
    return SubjectIndex(((row[0].value, FIELDS[int(row[1].value)], row[2].value) for row in solutions), terms)


def search_actors(
    store: GraphStore,
    dataset: Dataset,
    q: str | None,
    *,
    type_: str | None = None,
    country: str | None = None,
    level: str | None = None,
    sector: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Find actors by name (see SubjectIndex.search); the index is built or reused as needed."""
    index = index_for(store, dataset)
    return index.search(q, type_=type_, country=country, level=level, sector=sector, limit=limit, offset=offset)


def warm(store: GraphStore) -> None:
    """Build the indexes of the reader and the analyst datasets now, so that the first search after
    start-up (or after a load) does not pay for them. Meant for a background thread at start-up."""
    for include_restricted in (False, True):
        index_for(store, dataset_for(store, include_restricted=include_restricted))
