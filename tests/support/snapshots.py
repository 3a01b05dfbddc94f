"""A store's content as sorted N-Quads, to compare before and after a write that must write
nothing. The store version (graph.store.versioning) is left out: a failed load that staged and
dropped a graph did write, and says so in the version, while the data is as it was."""

from __future__ import annotations

import io
from collections.abc import Iterable

from graph.store import GraphStore, versioning

_VERSION_LINE = f"{versioning.NODE} {versioning.PREDICATE} ".encode()


def without_version(lines: Iterable[bytes]) -> list[bytes]:
    """N-Quads lines, sorted, without the store version's."""
    return sorted(line for line in lines if not line.startswith(_VERSION_LINE))


def snapshot(store: GraphStore) -> bytes:
    """Every quad of the store but the version, as sorted N-Quads."""
    output = io.BytesIO()
    store.dump(output)
    return b"\n".join(without_version(output.getvalue().splitlines()))
