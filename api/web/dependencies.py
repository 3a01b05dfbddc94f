"""What a route may ask for, as `Annotated[..., Depends(...)]` types: the store, the settings,
the caller, the caller's dataset, the query limits and the index warmer.

create_app puts the app's store, settings and limits on `app.state`; this module is the only one
that reads them there, so a route names what it needs in its signature and a test replaces any of
them with `app.dependency_overrides`. All are coroutines, so FastAPI calls them on the event loop
(a sync dependency costs a trip to the threadpool on every request); what may wait on the store
goes to the threadpool itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.settings import Settings
from api.web import auth
from api.web.errors import KeyRequired, RoleRequired
from api.web.security import Caller, Role
from graph.index import cache as index_cache
from graph.index.warming import Warmer
from graph.query import sparql
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.store.limits import QueryLimits
from graph.vetting.screening import name_index


async def store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


async def settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def query_limits(request: Request) -> QueryLimits:
    """The limits of every query a request runs: one instance per app, whose slots bound how
    many queries run at once."""
    limits: QueryLimits = request.app.state.query_limits
    return limits


def index_warmer(store: GraphStore) -> Warmer:
    """The background builder of the indexes a request would otherwise wait for: the subject
    index (search, the subject look-up) and the screening name index (vetting, screening)."""
    return Warmer(store, (index_cache.warm, name_index.warm))


async def warmer(request: Request) -> Warmer:
    """The app's background builder of indexes, which a write starts as it ends."""
    state = request.app.state
    found: Warmer | None = getattr(state, "warmer", None)
    if found is None or found.store is not state.store:  # an app served without its lifespan (tests)
        state.warmer = found = index_warmer(state.store)
    return found


async def library_limits(request: Request) -> QueryLimits:
    """The limits of the query library's own queries: the same slots, in a thread (api.web.limits)."""
    limits: QueryLimits = request.app.state.library_query_limits
    return limits


StoreDep = Annotated[GraphStore, Depends(store)]
SettingsDep = Annotated[Settings, Depends(settings)]
LimitsDep = Annotated[QueryLimits, Depends(query_limits)]
LibraryLimitsDep = Annotated[QueryLimits, Depends(library_limits)]
WarmerDep = Annotated[Warmer, Depends(warmer)]


# Declares the Bearer scheme in OpenAPI, so /docs has an Authorize button; api.web.auth reads the key.
BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="Bearer",
    description="An API key from `actorgraph keys create` (README, Roles and API keys). Without one you read public graphs.",
)


async def current_caller(
    request: Request, settings: SettingsDep, store: StoreDep, _: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)]
) -> Caller:
    """The caller of this request, from `Authorization: Bearer KEY` (api.web.auth). Only a key is
    looked up in the store, in the threadpool; an anonymous caller costs no trip there."""
    header = request.headers.get("authorization")
    if header is None:
        return auth.authenticate(None, settings, store)
    return await run_in_threadpool(auth.authenticate, header, settings, store)


CallerDep = Annotated[Caller, Depends(current_caller)]


def require(minimum: Role) -> Callable[[Caller], Awaitable[Caller]]:
    """A dependency that refuses callers below `minimum`, saying which role is needed: a 401 for an
    anonymous caller (send a key), a 403 for a key whose role is too low."""

    async def check(caller: CallerDep) -> Caller:
        if caller.role < minimum and caller.key_id is None:
            raise KeyRequired(f"this needs the {minimum.label} role; you are {caller.display}: send an {minimum.label}'s API key as 'Authorization: Bearer KEY'")
        if caller.role < minimum:
            raise RoleRequired(f"this needs the {minimum.label} role; you are {caller.display}")
        return caller

    return check


Analyst = Annotated[Caller, Depends(require(Role.ANALYST))]
Editor = Annotated[Caller, Depends(require(Role.EDITOR))]


def dataset_for_caller(store: GraphStore, caller: Caller) -> Dataset:
    """The graphs this caller may read: restricted graphs only for analysts and above."""
    return sparql.dataset_for(store, include_restricted=caller.can_read_restricted)


async def caller_dataset(store: StoreDep, caller: CallerDep) -> Dataset:
    """The caller's graphs. They are memoized by data version: reading the version from a store in
    this process takes microseconds, and the first request after a write reads the graph records
    (one small query of the meta graph) there too; only a remote store's reads go to the threadpool."""
    if store.local_scans:
        return dataset_for_caller(store, caller)
    return await run_in_threadpool(dataset_for_caller, store, caller)


DatasetDep = Annotated[Dataset, Depends(caller_dataset)]
