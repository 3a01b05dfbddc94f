"""The program view: a program in the middle, its implementers, funders, partners and targets
around it, each edge saying the participant's role and period.

Nodes and edges come from graph.tracing.network.network (depth 1 around the program), so the program view
and an actor's view agree on every link; graph.tracing.programs.program_detail adds what only programs
have, the finer program role (trainer, beneficiary...), which goes into the edge label.

Vetting outcomes are not computed here: the page fetches the program's vetting
(`/programs/{id}/vetting`, graph.vetting.engine) with the user's API key, so the vetting router's own role
rules decide who sees them, and recolours each partner clear / review / flag.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from api.web.views import build, graph_view
from graph.index.cache import index_for
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing import export, programs
from graph.tracing.naming import resolve_kind
from graph.tracing.network import Network, network


def program_view(
    store: GraphStore, dataset: Dataset, name: str, *, at: date | None = None
) -> tuple[programs.ProgramDetail, graph_view.GraphView]:
    """The program's details (graph.tracing.programs) and its participants as a view around it, with
    roles on the edges. The program page shows both; the program view only the graph."""
    index = index_for(store, dataset)
    detail, ego, roles = _program_network(store, dataset, name, None)
    notes = {e.id: roles[e.id] for e in ego.edges if e.id in roles and roles[e.id].casefold() not in e.label.casefold()}
    view = build.from_network(ego, index, kind="program", edge_notes=notes)
    view.at = at.isoformat() if at else None
    view.vetting_url = "/programs/" + quote(detail.id, safe="/:") + "/vetting"
    view.subtitle = ", ".join(t.label for t in detail.types)
    return detail, view


def program_export(store: GraphStore, dataset: Dataset, name: str, *, at: date | None = None) -> export.Exported:
    """The program view as a file: the participants related to the program at `at` (all without
    it), each relation carrying its program role."""
    index = index_for(store, dataset)
    detail, ego, roles = _program_network(store, dataset, name, at)
    return export.from_network(ego, export.file_stem(index, detail.id, at), roles=roles)


def _program_network(
    store: GraphStore, dataset: Dataset, name: str, at: date | None
) -> tuple[programs.ProgramDetail, Network, dict[str, str]]:
    index = index_for(store, dataset)
    iri = resolve_kind(store, dataset, index, name, ("program",))
    ego = network(store, dataset, iri, depth=1, at=at, max_nodes=graph_view.MAX_NODE_LIMIT, index=index)
    detail = programs.program_detail(store, dataset, iri, index=index)
    return detail, ego, export.program_roles(detail)
