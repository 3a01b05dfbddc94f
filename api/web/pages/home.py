"""The home page: what the graph holds, recent imports, programs, and example queries to start from."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.web.dependencies import DatasetDep, StoreDep
from api.web.templating import templates
from graph.index.cache import index_for
from graph.index.terms import Terms
from graph.ingest import registry
from graph.query import stats
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing import programs
from ontology.namespaces import AG
from queries import catalog

router = APIRouter(tags=["Pages"])


# The "By class" table in groups a reader tells apart: what is in the world, and the records about it.
CLASS_GROUPS = (
    ("Actors", AG + "Actor"),
    ("Programs", AG + "Program"),
    ("Incidents", AG + "Incident"),
    ("Relations", AG + "Relation"),
)
OTHER_GROUP = "Sources and other records"


@dataclass(frozen=True)
class HomeExtras:
    recent_imports: list[registry.GraphInfo]
    programs: list[programs.ProgramSummary]
    actor_classes: frozenset[str]
    actor_count: int
    class_groups: list[tuple[str, list[stats.Count]]]


def group_classes(counts: list[stats.Count], terms: Terms) -> list[tuple[str, list[stats.Count]]]:
    """The class counts under the first of CLASS_GROUPS each class falls in, the rest last."""
    groups: dict[str, list[stats.Count]] = {title: [] for title, _ in CLASS_GROUPS}
    groups[OTHER_GROUP] = []
    for count in counts:
        title = next((t for t, top in CLASS_GROUPS if terms.is_a(count.iri, top)), OTHER_GROUP)
        groups[title].append(count)
    return [(title, members) for title, members in groups.items() if members]


def home_extras(store: GraphStore, dataset: Dataset, counts: list[stats.Count]) -> HomeExtras:
    """What home.html adds to the statistics: recent imports the caller may see, programs, and
    which classes are actor classes (their counts link to the actor list)."""
    visible = {g.value for g in dataset.graphs}
    recent = sorted((g for g in registry.registered_graphs(store) if g.graph.value in visible), key=lambda g: g.imported_at, reverse=True)
    index = index_for(store, dataset)
    actor_top = AG + "Actor"
    classes = frozenset(c for s in index.of_kind("actor") for c in s.types if index.terms.is_a(c, actor_top))
    listed = programs.list_programs(store, dataset, limit=12)
    return HomeExtras(recent[:8], listed.programs, classes, len(index.of_kind("actor")), group_classes(counts, index.terms))


def _example_links() -> list[dict[str, str]]:
    links = []
    for named in catalog.list_queries("library"):
        if named.params:
            continue  # parameterized queries need values; the query API covers them
        links.append(
            {
                "title": named.title,
                "description": named.description,
                "name": named.name,
                "href": "/sparql?" + urlencode({"query": named.text}),
            }
        )
    return links


@router.get("/", response_class=HTMLResponse, summary="Home page")
async def home(request: Request, store: StoreDep, dataset: DatasetDep) -> HTMLResponse:
    figures = await run_in_threadpool(stats.statistics, store, list(dataset.graphs))
    extras = await run_in_threadpool(home_extras, store, dataset, figures.classes)
    return templates.TemplateResponse(request, "home.html", {"stats": figures, "examples": _example_links(), "extras": extras})
