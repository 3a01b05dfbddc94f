"""The query library over HTTP: list the named queries, and run one with parameters.

`GET /queries/{name}?actor=unit/bn-72&at=2018-04-14` and `POST /queries/{name}` with a JSON
object (or a form) of parameters do the same thing. Results are JSON rows by default, or SPARQL
JSON, XML, CSV or TSV when the Accept header asks. Pages are cut with `limit` and `offset`; the
`next` link (and the `Link: rel="next"` header, for the non-JSON formats) asks for the next page.
The query sees only the graphs the caller's role may read, through graph.query.named_queries.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.web import json_body, negotiation, results
from api.web.dependencies import DatasetDep, LibraryLimitsDep, SettingsDep, StoreDep
from api.web.models.queries import QueryInfo, QueryRows
from api.web.openapi_schema import SPARQL_JSON, TEXT
from api.web.protocol import media_type
from api.web.worker_threads import run_store_work
from graph.errors import InvalidValueError, NotAcceptableError, NotFoundError, UnsupportedMediaError
from graph.query import named_queries
from graph.query.named_queries import Page, ParameterError, RawValue, UnknownQuery
from queries.catalog import NamedQuery

router = APIRouter(prefix="/queries", tags=["Query library"])

DEFAULT_LIMIT = 100
ROWS = "rows"
# Media type -> format. The first entry is the default: plain JSON rows.
MEDIA_TYPES: dict[str, str] = {
    "application/json": ROWS,
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}

RUN_DOC = (
    "Run a named query of the library. Pass its parameters (see `GET /queries`) as query-string "
    "fields, or, with POST, as a JSON object or a form. `limit` and `offset` select a page. "
    "Results: JSON rows by default; SPARQL JSON, SPARQL XML, CSV or TSV by the Accept header. "
    "An unknown query is a 404; an unknown, missing or invalid parameter is a 422 that names it."
)
# The other formats a page of rows comes in, by the Accept header.
ROW_FORMATS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SPARQL JSON or XML results, CSV or TSV",
        "content": {
            "application/sparql-results+json": SPARQL_JSON,
            "application/sparql-results+xml": TEXT,
            "text/csv": TEXT,
            "text/tab-separated-values": TEXT,
        },
    }
}
BODY_SCHEMA = {
    "requestBody": {
        "required": False,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "additionalProperties": {"type": ["string", "integer"]},
                    "example": {"unit": "unit/bn-72", "at": "2018-04-14"},
                }
            }
        },
    }
}


def _describe(query: NamedQuery) -> dict[str, Any]:
    return {
        "name": query.short_name,
        "title": query.title,
        "description": query.description,
        "params": [
            {"name": p.name, "type": p.type, "description": p.description, "optional": p.optional}
            for p in query.params
        ],
        "example": query.example_params(),
        "href": f"/queries/{query.short_name}",
    }


@router.get("", response_model=list[QueryInfo], summary="List the named queries")
async def list_queries() -> list[dict[str, Any]]:
    """Every query of the library with its title, description, parameters and an example."""
    return [_describe(query) for query in named_queries.list_queries()]


def _single_values(pairs: Mapping[str, list[str]]) -> dict[str, str]:
    """One value per name: a repeated parameter is ambiguous, so it is refused."""
    values = {}
    for name, given in pairs.items():
        if len(given) > 1:
            raise ParameterError(name, "is given more than once")
        values[name] = given[0]
    return values


def _query_string_params(request: Request) -> dict[str, str]:
    """The query parameters of the URL, without the paging ones."""
    pairs: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if key not in named_queries.RESERVED:
            pairs.setdefault(key, []).append(value)
    return _single_values(pairs)


async def _body_params(request: Request, max_depth: int) -> dict[str, RawValue | None]:
    """Parameters from a POST body: a JSON object, or a form."""
    body = await request.body()
    if not body.strip():
        return {}
    content_type = media_type(request)
    if content_type == "application/x-www-form-urlencoded":
        return dict(_single_values(parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)))
    if content_type not in ("application/json", ""):
        raise UnsupportedMediaError(f"send the parameters as application/json or a form, not {content_type}")
    decoded = json_body.decode(body, max_depth)  # depth-checked first: a body without Content-Type too
    if not isinstance(decoded, dict):
        raise InvalidValueError("the body must be a JSON object of parameters")
    params: dict[str, RawValue | None] = {}
    for name, value in decoded.items():
        if isinstance(value, bool) or (value is not None and not isinstance(value, (str, int))):
            raise ParameterError(name, f"expected a string or a whole number, got {json.dumps(value)}")
        params[name] = value
    return params


def _window(params: dict[str, RawValue | None], limit: int, offset: int) -> tuple[int, int]:
    """limit and offset may also come in a POST body; the body's win over the defaults."""
    values = {"limit": limit, "offset": offset}
    for name in named_queries.RESERVED:
        if name in params:
            raw = params.pop(name)
            try:
                values[name] = int(raw) if isinstance(raw, (str, int)) and not isinstance(raw, bool) else values[name]
            except ValueError:
                raise ParameterError(name, f"expected a whole number, got {raw!r}") from None
    return values["limit"], values["offset"]


def _page_url(request: Request, page: Page, offset: int) -> str:
    query = urlencode({**page.params, "limit": page.limit, "offset": offset})
    return str(request.url.replace(query=query))


def _plain(term: object) -> str | None:
    return None if term is None else getattr(term, "value", str(term))


def _respond(request: Request, response: Response, page: Page, chosen: str) -> Response | dict[str, Any]:
    next_url = _page_url(request, page, page.next_offset) if page.next_offset is not None else None
    headers = {}
    if next_url:
        headers["Link"] = f'<{next_url}>; rel="next"'
    if page.total is not None:
        headers["X-Total-Count"] = str(page.total)
    if chosen == ROWS:
        content = {
            "query": page.query.short_name,
            "title": page.query.title,
            "params": dict(page.params),
            "bound": {name: _plain(term) for name, term in page.bound.items()},
            "variables": list(page.variables),
            "rows": [{name: _plain(term) for name, term in record.items()} for record in page.records()],
            "offset": page.offset,
            "limit": page.limit,
            "count": len(page.rows),
            "total": page.total,
            "next": next_url,
        }
        response.headers.update(headers)
        return content
    body, media_type = results.serialize(page.solutions(), chosen)
    return Response(content=body, media_type=media_type, headers=headers)


async def _run(
    request: Request, response: Response, store: StoreDep, dataset: DatasetDep, limits: LibraryLimitsDep, name: str, params: dict[str, RawValue | None],
    limit: int, offset: int,
) -> Response | dict[str, Any]:
    chosen = negotiation.choose(request.headers.get("accept"), MEDIA_TYPES)
    if chosen is None:
        offered = ", ".join(MEDIA_TYPES)
        raise NotAcceptableError(f"cannot produce any type in the Accept header; offered: {offered}")

    # A timeout or a result over the cap raises graph.store.limits errors, which api.web.errors answers;
    # an unknown query is a 404, a bad parameter a 422 naming it, a query that cannot run a 500.
    def execute() -> Page:
        return named_queries.run(store, dataset, name, params, limit=limit, offset=offset, limits=limits)

    try:
        page = await run_store_work(execute)
    except UnknownQuery as error:
        raise NotFoundError(f"{error}; GET /queries lists them") from None
    return _respond(request, response, page, chosen)


QueryName = Annotated[str, Path(description="The query's name, as GET /queries lists it", examples=["actor_links", "chain_of_command"])]
LimitQuery = Query(DEFAULT_LIMIT, ge=1, le=named_queries.MAX_LIMIT, description="Rows per page.")
OffsetQuery = Query(0, ge=0, le=named_queries.MAX_OFFSET, description="Rows to skip.")


@router.get("/{name}", response_model=QueryRows, responses=ROW_FORMATS, summary="Run a named query (GET)", description=RUN_DOC)
async def run_get(
    request: Request,
    response: Response,
    store: StoreDep,
    dataset: DatasetDep,
    limits: LibraryLimitsDep,
    name: QueryName,
    limit: int = LimitQuery,
    offset: int = OffsetQuery,
) -> Response | dict[str, Any]:
    return await _run(request, response, store, dataset, limits, name, dict(_query_string_params(request)), limit, offset)


@router.post(
    "/{name}", response_model=QueryRows, responses=ROW_FORMATS, summary="Run a named query (POST)", description=RUN_DOC,
    openapi_extra=BODY_SCHEMA,
)
async def run_post(
    request: Request,
    response: Response,
    store: StoreDep,
    dataset: DatasetDep,
    limits: LibraryLimitsDep,
    settings: SettingsDep,
    name: str,
    limit: int = LimitQuery,
    offset: int = OffsetQuery,
) -> Response | dict[str, Any]:
    params = await _body_params(request, settings.max_json_depth)
    limit, offset = _window(params, limit, offset)
    if not 1 <= limit <= named_queries.MAX_LIMIT:
        raise ParameterError("limit", f"must be between 1 and {named_queries.MAX_LIMIT:,}, got {limit}")
    if not 0 <= offset <= named_queries.MAX_OFFSET:
        raise ParameterError("offset", f"must be between 0 and {named_queries.MAX_OFFSET:,}, got {offset}")
    for key, value in _query_string_params(request).items():
        if key in params:
            raise ParameterError(key, "is given both in the query string and in the body")
        params[key] = value
    return await _run(request, response, store, dataset, limits, name, params, limit, offset)
