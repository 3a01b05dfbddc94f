"""bulk_add takes one transaction for a small batch and the bulk path for a large one: both land
every quad, and an input that fails part-way lands none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.store import EmbeddedStore
from graph.store.embedded import SMALL_BATCH

GRAPH = ox.NamedNode("https://w3id.org/actorgraph/graph/batch")


def quads(count: int, fail: bool = False) -> Iterator[ox.Quad]:
    for i in range(count):
        yield ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)), GRAPH)
    if fail:
        raise SyntaxError("line 7: bad input")


@pytest.mark.parametrize("count", [0, 1, SMALL_BATCH - 1, SMALL_BATCH, SMALL_BATCH + 7], ids=lambda c: f"{c}-quads")
@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk"])
def test_bulk_add_lands_every_quad_or_none(tmp_path: Path, count: int, on_disk: bool) -> None:
    store = EmbeddedStore(tmp_path / "store" if on_disk else None)
    store.bulk_add(quads(count))
    assert store.graph_size(GRAPH) == count
    store.drop_graph(GRAPH)
    with pytest.raises(SyntaxError, match="line 7"):
        store.bulk_add(quads(count, fail=True))
    assert store.graph_size(GRAPH) == 0
