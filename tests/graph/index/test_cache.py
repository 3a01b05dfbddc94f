"""Indexes are built once per store, kind and state, and only the newest few of each kind are kept."""

from __future__ import annotations

from graph.index import cache


class FakeStore:
    """Any object that can be weakly referenced stands for a store here."""


def test_built_once_per_state_and_reused() -> None:
    store, builds = FakeStore(), []

    def build() -> object:
        builds.append(1)
        return object()

    first = cache.cached(store, "things", ("v1",), build)  # type: ignore[arg-type]  # a stand-in store
    assert cache.cached(store, "things", ("v1",), build) is first  # type: ignore[arg-type]
    assert cache.cached(store, "things", ("v2",), build) is not first  # type: ignore[arg-type]
    assert len(builds) == 2


def test_each_kind_keeps_its_own_newest_states() -> None:
    store = FakeStore()
    kept = cache.cached(store, "subjects", "s", object)  # type: ignore[arg-type]
    for version in range(cache._MAX_STATES + 2):
        cache.cached(store, "names", version, object)  # type: ignore[arg-type]
    assert cache.cached(store, "subjects", "s", object) is kept  # type: ignore[arg-type]


def test_a_kind_may_keep_only_its_newest_state() -> None:
    store = FakeStore()
    first = cache.cached(store, "big", 1, object, keep=1)  # type: ignore[arg-type]
    cache.cached(store, "big", 2, object, keep=1)  # type: ignore[arg-type]
    assert cache.cached(store, "big", 1, object, keep=1) is not first  # type: ignore[arg-type]
