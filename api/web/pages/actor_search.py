"""The actors page: find actors by name, and narrow them by type, country, level, sector and
whether the data is real or fictional, the filters the /actors API already offers, as menus
listing only values some actor has.

The menus are read from the in-process subject index (graph.index), once per index: the index is
rebuilt after every import, and with it the menus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.web.dependencies import DatasetDep, StoreDep
from api.web.templating import templates
from api.web.views import prose
from graph.errors import InvalidValueError
from graph.index.cache import index_for
from graph.index.names import local_name
from graph.index.subjects import Hit, SubjectIndex
from graph.query.sparql import Dataset
from graph.store import GraphStore
from ontology.namespaces import AG

router = APIRouter(tags=["Pages"])

PAGE_SIZE = 25


@dataclass(frozen=True)
class Option:
    """One entry of a filter menu: the value the search takes, the label shown, how many actors."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    types: list[Option]
    countries: list[Option]
    levels: list[Option]
    sectors: list[Option]


@dataclass(frozen=True)
class TypeRef:
    id: str
    label: str


@dataclass(frozen=True)
class HitRow:
    iri: str
    label: str
    types: list[TypeRef]
    country: str | None
    match: str
    matched_name: str


@lru_cache(maxsize=1)
def facets(index: SubjectIndex) -> Facets:
    """The values of each filter that some actor has, by label, with counts."""
    terms = index.terms
    types: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    sectors: Counter[str] = Counter()
    for actor in index.of_kind("actor"):
        types.update(terms.most_specific(actor.types, within=AG + "Actor"))
        for counter, value in ((countries, actor.country), (levels, actor.level), (sectors, actor.sector)):
            if value is not None:
                counter[value] += 1

    def options(counter: Counter[str], label: Callable[[str], str], value: Callable[[str], str] = str) -> list[Option]:
        found = [Option(value(iri), label(iri), n) for iri, n in counter.items()]
        return sorted(found, key=lambda o: o.label.casefold())

    return Facets(
        types=options(types, terms.label, local_name),
        countries=options(countries, index.label),
        levels=options(levels, terms.label),
        sectors=options(sectors, terms.label),
    )


def _row(index: SubjectIndex, hit: Hit) -> HitRow:
    subject = hit.subject
    types = index.terms.most_specific(subject.types, within=AG + "Actor")
    return HitRow(
        iri=subject.iri,
        label=subject.label,
        types=[TypeRef(t, index.terms.label(t)) for t in types],
        country=index.label(subject.country) if subject.country else None,
        match=hit.match,
        matched_name=hit.matched_name,
    )


def search(store: GraphStore, dataset: Dataset, q: str | None, filters: dict[str, str], origin: str | None, offset: int) -> tuple[int, list[HitRow], Facets]:
    """One page of actors matching the name and filters. The real/fictional filter is applied to
    the ranked list, which the name index does not know about, so it reads every match once."""
    index = index_for(store, dataset)
    wanted = {key: filters.get(key) or None for key in ("type", "country", "level", "sector")}
    if origin is None:
        page = index.search(q, type_=wanted["type"], country=wanted["country"], level=wanted["level"], sector=wanted["sector"], limit=PAGE_SIZE, offset=offset)
        return page.total, [_row(index, h) for h in page.hits], facets(index)
    everything = index.search(
        q, type_=wanted["type"], country=wanted["country"], level=wanted["level"], sector=wanted["sector"], limit=max(index.actor_count, 1)
    )
    kept = [h for h in everything.hits if prose.origin(h.subject.iri) == origin]
    return len(kept), [_row(index, h) for h in kept[offset : offset + PAGE_SIZE]], facets(index)


@router.get("/pages/search", response_class=HTMLResponse, summary="Find actors (page)")
async def search_page(
    request: Request,
    store: StoreDep,
    dataset: DatasetDep,
    q: str | None = None,
    type: str | None = None,
    country: str | None = None,
    level: str | None = None,
    sector: str | None = None,
    data: Annotated[str | None, Query(description="real, fictional or synthetic; all without it")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    """Names, aliases and other-language names, accents and case ignored: "Brigada Serra" finds
    the unit also called "Brigada Sêrra"; menus narrow the list by type, country, level, sector
    and real or fictional data."""
    filters = {k: v for k, v in {"type": type, "country": country, "level": level, "sector": sector}.items() if v}
    origin = data if data in prose.ORIGINS else None
    error = None if data in (None, "", *prose.ORIGINS) else f"data: {data!r} is not one of real, fictional, synthetic"
    total, hits, menus = 0, list[HitRow](), None
    if error is None:
        try:
            total, hits, menus = await run_in_threadpool(search, store, dataset, q, filters, origin, offset)
        except InvalidValueError as problem:  # an unknown type or country: said on the form itself
            error = str(problem)
    if menus is None:
        menus = await run_in_threadpool(lambda: facets(index_for(store, dataset)))
    params = {k: v for k, v in {"q": q, **filters, "data": origin}.items() if v}
    more = urlencode({**params, "offset": offset + PAGE_SIZE}) if offset + PAGE_SIZE < total else None
    back = urlencode({**params, "offset": max(offset - PAGE_SIZE, 0)}) if offset else None
    context = {
        "q": q or "", "filters": filters, "data": origin or "", "facets": menus, "total": total, "hits": hits,
        "offset": offset, "more": more, "back": back, "error": error,
    }  # fmt: skip
    return templates.TemplateResponse(request, "search.html", context, status_code=422 if error else 200)
