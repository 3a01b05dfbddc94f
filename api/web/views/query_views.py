"""Query views: a library query, or a CONSTRUCT (or SELECT) query posted from a form, as a graph.

Library queries run through graph.query.named_queries (typed, bound parameters, the caller's dataset).
A posted query runs through graph.query.sparql.run_query over the caller's dataset, with the same
safety rules as /sparql: SERVICE and LOAD (which make pyoxigraph open outbound connections) are
refused for anyone but an admin (api.web.auth.outbound_refusal), and the query runs under the app's
timeout and result cap (api.web.limits). A limit hit becomes a readable error page, not a trace.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

import pyoxigraph as ox
from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool

from api.web import limits as api_limits
from api.web.auth import outbound_refusal
from api.web.security import Caller
from api.web.text_checks import TextRefused, check_request_text
from api.web.views import build
from api.web.worker_threads import run_store_work
from graph.index.cache import index_for
from graph.query import named_queries
from graph.query.sparql import Dataset, SparqlSyntaxError, run_query
from graph.store import GraphStore
from graph.store.limits import QueryFailed, QueryLimitExceeded, QueryLimits

# A posted query reads at most this many triples or rows: a view of more is unreadable anyway.
MAX_RESULTS = 20_000
MAX_QUERY_CHARS = 50_000

def form_context() -> dict[str, Any]:
    """The library's queries with their parameters, for the form that picks one."""
    return {"queries": named_queries.list_queries()}


def _iri_variables(variables: tuple[str, ...], records: list[dict[str, Any]]) -> set[str]:
    return {v for v in variables if any(isinstance(r.get(v), ox.NamedNode) for r in records)}


async def library_view(store: GraphStore, dataset: Dataset, name: str, params: dict[str, str]) -> build.GraphView:
    """A library query run with `params`, its rows drawn as chains of the IRIs they hold."""

    def work() -> build.GraphView:
        page = named_queries.run(store, dataset, name, params, limit=named_queries.MAX_LIMIT)
        records = list(page.records())
        iris = _iri_variables(page.variables, records)
        rows = [{k: (v.value if isinstance(v, ox.NamedNode) else None) for k, v in r.items()} for r in records]
        view = build.from_rows(page.query.title, page.variables, rows, iris, index_for(store, dataset))
        view.subtitle = page.query.description
        return view

    try:
        return await run_store_work(work)
    except named_queries.UnknownQuery as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    except named_queries.NamedQueryError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    except SparqlSyntaxError as error:
        raise HTTPException(status_code=400, detail=f"SPARQL syntax error: {error}") from None


async def posted_view(store: GraphStore, dataset: Dataset, caller: Caller, text: str, limits: QueryLimits) -> build.GraphView:
    """A posted query as a graph: CONSTRUCT/DESCRIBE triples, or SELECT rows."""
    if not text.strip():
        raise HTTPException(status_code=400, detail="the form's 'query' field is empty: paste a CONSTRUCT or SELECT query")
    if len(text) > MAX_QUERY_CHARS:
        raise HTTPException(status_code=413, detail=f"the query is {len(text):,} characters long; at most {MAX_QUERY_CHARS:,}")
    refusal = await run_in_threadpool(outbound_refusal, text, caller)
    if refusal:
        raise HTTPException(status_code=refusal[0], detail=refusal[1])
    try:
        await check_request_text(text, limits=limits)
    except TextRefused as refused:
        raise HTTPException(status_code=refused.status, detail=refused.message) from None

    def work() -> build.GraphView:
        index = index_for(store, dataset)
        result = run_query(store, text, dataset, limits=limits, network=caller.is_admin)
        if isinstance(result, ox.QueryTriples):
            triples = [
                build.Triple(t.subject.value, t.predicate.value, t.object.value, isinstance(t.object, ox.Literal))
                for t in islice(result, MAX_RESULTS)
                if isinstance(t.subject, ox.NamedNode) and not isinstance(t.object, (ox.BlankNode, ox.Triple))
            ]
            return build.from_triples("CONSTRUCT result", triples, index)
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            records = [{v: s[v] for v in variables} for s in islice(result, MAX_RESULTS)]
            rows = [{k: (v.value if isinstance(v, ox.NamedNode) else None) for k, v in r.items()} for r in records]
            return build.from_rows("SELECT result", variables, rows, _iri_variables(variables, records), index)
        raise HTTPException(status_code=422, detail="an ASK query answers yes or no; there is nothing to draw. Use CONSTRUCT or SELECT.")

    try:
        return await run_store_work(work)
    except SparqlSyntaxError as error:
        raise HTTPException(status_code=400, detail=f"SPARQL syntax error: {error}") from None
    except (QueryLimitExceeded, QueryFailed) as error:
        status, headers = api_limits.status_for(error)
        raise HTTPException(status_code=status, detail=str(error), headers=headers or None) from None
