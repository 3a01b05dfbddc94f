"""Does an engine keep a query to the dataset the protocol names? Restricted graphs depend on it.

ActorGraph hides a restricted graph by leaving it out of `default-graph-uri` / `named-graph-uri`.
An engine that lets FROM, FROM NAMED or GRAPH in the text reach past them would leak it. So on
opening, a marked graph is written, the tricks of the leak battery are tried against a dataset
that leaves it out, and the graph is dropped; an engine that shows the marker is refused
restricted graphs (graph.store.open_store).
"""

from __future__ import annotations

import uuid

from graph.store import rdf
from graph.store.base import StoreError
from graph.store.remote.store import RemoteStore
from graph.store.results import Boolean, Solutions, Triples
from queries import catalog

_TRICKS = (
    "SELECT ?o WHERE {{ ?s ?p ?o }}",
    "SELECT ?o FROM <{g}> WHERE {{ ?s ?p ?o }}",
    "SELECT ?o FROM NAMED <{g}> WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}",
    "SELECT ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}",
    "SELECT ?o FROM <{g}> FROM NAMED <{g}> WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "SELECT ?o WHERE {{ {{ SELECT ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} }} }}",
    "ASK FROM <{g}> {{ ?s ?p \"{marker}\" }}",
)


class LeakyEngine(StoreError):
    """The engine lets a query reach graphs outside the protocol's dataset."""


def leaks(store: RemoteStore) -> list[str]:
    """The queries through which the engine showed a graph left out of the dataset (empty: none).
    The probe graphs are removed whatever happens."""
    token = uuid.uuid4().hex
    probe = rdf.NamedNode(f"urn:actorgraph:probe:{token}")
    visible = rdf.NamedNode(f"urn:actorgraph:probe-visible:{token}")
    marker = f"actorgraph-probe-{token}"
    store.add([rdf.Quad(probe, probe, rdf.Literal(marker), probe), rdf.Quad(visible, visible, rdf.Literal("visible"), visible)])
    found = []
    try:
        for trick in _TRICKS:
            text = trick.format(g=probe.value, marker=marker)
            result = store.evaluate(text, default_graph=[visible], named_graphs=[visible])
            if isinstance(result, Boolean):
                shown = result.value
            elif isinstance(result, Solutions):
                shown = any(marker in str(term) for row in result for term in row if term is not None)
            else:
                assert isinstance(result, Triples)
                shown = any(marker in str(triple.object) for triple in result)
            if shown:
                found.append(text)
    finally:
        store.drop_graph(probe)
        store.drop_graph(visible)
    return found


def refuse_if_leaky(store: RemoteStore) -> None:
    """Raise LeakyEngine when the engine leaks and the store holds restricted graphs: serving them
    there would show them to every reader. An engine that leaks may still serve public data."""
    found = leaks(store)
    if not found:
        return
    # Read with GRAPH in the text: on this engine the protocol's dataset cannot be relied on.
    rows = store.select(catalog.text("store/restricted_graphs"))
    restricted = [row["g"] for row in rows]
    if restricted:
        raise LeakyEngine(
            f"{store.dialect.engine} lets a query reach graphs outside the protocol's dataset "
            f"({len(found)} of {len(_TRICKS)} probes, e.g. {found[0]!r}), so it cannot keep restricted graphs from "
            f"readers; refusing to serve a store with {len(restricted)} restricted graph(s) on it: unrestrict them "
            "(actorgraph graphs unrestrict) or use an engine that honours default-graph-uri and named-graph-uri"
        )
