"""What a write through the API may change: graph names, system graphs, and restricted data.

Every rule is checked on what a write would do (graph.ingest.writes runs an update in a sandbox and
compares the result; a Graph Store upload is parsed), never on how its text looks.

1. Graph names. A graph written through /update or /graph-store is named
   `https://w3id.org/actorgraph/graph/NAME`: NAME is one or more segments of letters, digits,
   `.`, `_` and `-`, joined by `/`, none of them `.` or `..`. A bare NAME means that IRI. Anything
   else (`http://evil.example/g`, `file:///etc/passwd`, `urn:x`) is refused with a 400: the store
   holds ActorGraph's graphs, and a foreign name would pass for someone else's data.
2. System graphs. `meta` (the registry, whose flags decide who reads what), `keys`, `audit` and
   `vetting-cases` change only through their own commands. No API write reaches them, whatever
   the role (403), and an update's sandbox never holds them, so none can read them either.
3. Information flow. Restricted data stays in restricted graphs:
   - an update that can read a restricted graph (it names one, so its sandbox holds it) may
     change restricted graphs only;
   - no write may add to a public graph a triple that a restricted graph holds and no public
     graph does (a copy made with GSP GET then PUT, or pasted into INSERT DATA).
   What no rule can see: someone who reads restricted data and retypes it in other words.
   Editors are trusted with restricted data; these rules stop the server doing the copying.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from graph.errors import BadRequestError, ForbiddenError
from graph.store import GraphStore, rdf
from ontology.namespaces import GRAPH, PROTECTED_GRAPHS
from queries import catalog

_SEGMENT = re.compile(r"[A-Za-z0-9._\-]+")
# Below this many triples per restricted triple, a written triple is looked up one by one;
# above it, the restricted graphs are read through once.
_LOOKUP_RATIO = 20


class WriteRefused(ForbiddenError):
    """The caller may not make this change (HTTP 403)."""


class BadWrite(BadRequestError, ValueError):
    """The request cannot be carried out as asked (HTTP 400)."""


def _valid_name(name: str) -> bool:
    segments = name.split("/")
    return all(_SEGMENT.fullmatch(s) and s not in {".", ".."} for s in segments)


def graph_for_write(name: str) -> rdf.NamedNode:
    """The graph a write names, by the one rule of the module docstring; BadWrite otherwise."""
    local = name[len(GRAPH) :] if name.startswith(GRAPH) else None
    if local is None and ("://" in name or ":" in name):
        raise BadWrite(
            f"graph {name!r} is outside ActorGraph's graph namespace: name it {GRAPH}NAME, or just NAME "
            "(letters, digits, '.', '_', '-', segments joined by '/')"
        )
    local = name if local is None else local
    if not local or not _valid_name(local):
        raise BadWrite(
            f"graph {name!r} is not a valid graph name: NAME is letters, digits, '.', '_', '-', in segments "
            "joined by '/', none of them '.' or '..'"
        )
    return rdf.NamedNode(GRAPH + local)


def check_reachable(graph: rdf.NamedNode) -> None:
    """Refuse any API write to a system graph that only its own commands change."""
    if graph.value in PROTECTED_GRAPHS:
        raise WriteRefused(
            f"graph {graph.value} is one of ActorGraph's system graphs (registry, keys, audit, vetting cases); "
            "it changes only through its own commands (actorgraph keys, graphs, vetting), never through "
            "/update or /graph-store, whatever the role"
        )


def check_update_flow(
    sandboxed: Sequence[rdf.NamedNode], changed: Sequence[tuple[rdf.NamedNode, str]], restricted: Callable[[rdf.NamedNode], bool]
) -> None:
    """Refuse an update that could read a restricted graph (one of `sandboxed`) and changes a
    public one. `restricted` tells, for any graph, whether it is (or will be created) restricted."""
    readable = [graph for graph in sandboxed if restricted(graph)]
    if not readable:
        return
    for graph, change in changed:
        if not restricted(graph):
            raise WriteRefused(
                f"the update can read the restricted graph {readable[0].value} and {change} the public graph "
                f"{graph.value}: what is read from a restricted graph may only be written into restricted graphs. "
                "Write into a restricted graph (a new one with ?restricted=true), or split the update so that "
                "the part that changes public graphs names no restricted graph"
            )


def _ground(triple: rdf.Triple) -> bool:
    return not isinstance(triple.subject, (rdf.BlankNode, rdf.Triple)) and not isinstance(triple.object, (rdf.BlankNode, rdf.Triple))


def _held(store: GraphStore, triple: rdf.Triple, graphs: Sequence[rdf.NamedNode]) -> bool:
    if not graphs:
        return False
    bound = {"s": triple.subject, "p": triple.predicate, "o": triple.object}
    rows = store.select(catalog.text("policy/triple_held"), bindings=bound, default_graph=[], named_graphs=list(graphs))
    return any(True for _ in rows)


def restricted_copies(
    store: GraphStore, triples: Iterable[rdf.Triple], flags: Mapping[str, bool], *, limit: int = 5
) -> list[rdf.Triple]:
    """Up to `limit` of `triples` that a restricted graph holds and no public graph does.
    `flags` maps every registered graph to whether it is restricted. Triples with a blank node
    are not compared: their nodes are renamed on every load, so no copy can be recognised."""
    restricted = [rdf.NamedNode(g) for g, closed in flags.items() if closed]
    public = [rdf.NamedNode(g) for g, closed in flags.items() if not closed]
    written = {t for t in triples if _ground(t)}
    if not restricted or not written:
        return []
    restricted_size = sum(store.graph_size(graph) for graph in restricted)
    if len(written) * _LOOKUP_RATIO < restricted_size:
        candidates = [t for t in written if _held(store, t, restricted)]
    else:
        candidates = []
        for graph in restricted:
            for quad in store.quads(graph):
                triple = rdf.Triple(quad.subject, quad.predicate, quad.object)
                if triple in written:
                    candidates.append(triple)
                    written.discard(triple)
    found: list[rdf.Triple] = []
    for triple in sorted(candidates, key=str):
        if not _held(store, triple, public):
            found.append(triple)
            if len(found) >= limit:
                break
    return found


def check_no_restricted_copies(store: GraphStore, graph: rdf.NamedNode, triples: Iterable[rdf.Triple], flags: Mapping[str, bool]) -> None:
    """Refuse writing into the public `graph` triples copied from a restricted graph."""
    copies = restricted_copies(store, triples, flags)
    if copies:
        shown = "; ".join(f"{t.subject} {t.predicate} {t.object}" for t in copies[:3])
        raise WriteRefused(
            f"the write puts into the public graph {graph.value} triples that only restricted graphs hold "
            f"(for example {shown}); restricted data may only be written into restricted graphs"
        )
