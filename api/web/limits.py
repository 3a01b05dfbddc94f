"""Query limits for the web app: one set of worker slots per app, shared by every query it runs.

Routes get the limits through api.web.dependencies (LimitsDep, LibraryLimitsDep); a limit that is
hit raises graph.store.limits errors, which api.web.errors answers like any other: 503 with
Retry-After for a timeout or when every query worker is busy (the server could answer, just not
this query now; SPARQL servers such as Fuseki do the same), 422 for a result over the cap (the
client should narrow the query), 500 for a query that failed while evaluating.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.settings import Settings
from graph.store.limits import QueryLimits


def install(app: FastAPI, settings: Settings) -> None:
    """Create the app's limits: the ones for any query, and the library's variant, on the same slots."""
    app.state.query_limits = settings.query_limits()
    app.state.library_query_limits = library_variant(app.state.query_limits)


def library_variant(limits: QueryLimits) -> QueryLimits:
    """Limits for the query library's own .rq files: same timeout, cap and worker slots, run in a thread.

    A forked child per query is what lets the server stop an arbitrary /sparql query, but it costs
    far more than a library query itself (README, "API latency"). Library queries are reviewed
    files whose values are bound as typed parameters, so a thread is enough: the caller still gets
    the timeout error on time. The slots are the same object, so library and /sparql queries
    together never run more than the configured number at once."""
    return limits.variant(isolation="thread")
