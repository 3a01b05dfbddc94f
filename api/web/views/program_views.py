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

from api.web.views import build
from graph.index.cache import index_for
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing import programs
from graph.tracing.naming import resolve_kind
from graph.tracing.network import network


def program_view(store: GraphStore, dataset: Dataset, name: str, *, at: date | None = None) -> tuple[programs.ProgramDetail, build.GraphView]:
    """The program's details (graph.tracing.programs) and its participants as a view around it, with
    roles on the edges. The program page shows both; the program view only the graph."""
    index = index_for(store, dataset)
    iri = resolve_kind(store, dataset, index, name, ("program",))
    ego = network(store, dataset, iri, depth=1, max_nodes=build.MAX_NODE_LIMIT, index=index)
    detail = programs.program_detail(store, dataset, iri)
    roles = {
        p.id: p.program_role.label
        for group in (detail.implementers, detail.funders, detail.partners, detail.targets, detail.participants)
        for p in group
        if p.program_role is not None
    }
    notes = {e.id: roles[e.id] for e in ego.edges if e.id in roles and roles[e.id].casefold() not in e.label.casefold()}
    view = build.from_network(ego, index, kind="program", edge_notes=notes)
    view.at = at.isoformat() if at else None
    view.vetting_url = "/programs/" + quote(iri, safe="/:") + "/vetting"
    view.subtitle = ", ".join(t.label for t in detail.types)
    return detail, view
