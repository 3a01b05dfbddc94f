"""Query limits for the web app: one QueryLimits per app, and clear HTTP errors when one is hit.

Routes run queries with `graph.query.sparql.run_query(..., limits=limits_of(request))`. A limit error
that a route does not catch itself becomes, through the handlers installed here:
- 503 Service Unavailable with Retry-After for a timeout or when every query worker is busy
  (the server could answer, just not this query now; SPARQL servers such as Fuseki do the same);
- 422 Unprocessable Content for a result over the cap (the client should narrow the query);
- 500 for a query that failed while evaluating, with the engine's message.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.settings import Settings
from graph.store.limits import QueryBusy, QueryFailed, QueryLimitExceeded, QueryLimits, QueryTimeout, ResultCapExceeded


def install(app: FastAPI, settings: Settings) -> None:
    """Create the app's limits (with its worker semaphore) and the error handlers."""
    app.state.query_limits = settings.query_limits()
    app.state.library_query_limits = library_variant(app.state.query_limits)

    async def limit_error(request: Request, error: Exception) -> JSONResponse:
        status, headers = status_for(error)
        return JSONResponse({"detail": str(error)}, status_code=status, headers=headers)

    app.add_exception_handler(QueryLimitExceeded, limit_error)
    app.add_exception_handler(QueryFailed, limit_error)


def limits_of(request: Request) -> QueryLimits:
    """The limits of the app serving this request (defaults if the app was built without them)."""
    limits = getattr(request.app.state, "query_limits", None)
    if limits is None:
        settings: Settings = getattr(request.app.state, "settings", None) or Settings()
        limits = request.app.state.query_limits = settings.query_limits()
    return limits


def library_variant(limits: QueryLimits) -> QueryLimits:
    """Limits for the query library's own .rq files: same timeout, cap and worker slots, run in a thread.

    A forked child per query is what lets the server stop an arbitrary /sparql query, but it costs
    20-30 ms on a million-triple store (bench/api_latency.py), far more than a library query
    itself. Library queries are reviewed files whose values are bound as typed parameters, so a
    thread is enough: the caller still gets the timeout error on time."""
    return limits.variant(isolation="thread")


def library_limits_of(request: Request) -> QueryLimits:
    """The thread-isolated limits for library queries of the app serving this request."""
    limits = getattr(request.app.state, "library_query_limits", None)
    if limits is None:
        limits = request.app.state.library_query_limits = library_variant(limits_of(request))
    return limits


def status_for(error: Exception) -> tuple[int, dict[str, str]]:
    """The HTTP status (and headers) for a limit error."""
    if isinstance(error, (QueryTimeout, QueryBusy)):
        return 503, {"Retry-After": "10"}
    if isinstance(error, ResultCapExceeded):
        return 422, {}
    return 500, {}
