"""Running the named queries of the library (queries/library/*.rq) with typed parameters.

The web API and the CLI both come through here, so a parameter means the same everywhere:

- `iri`: an absolute IRI, a `kind/slug` name or an identifier, resolved with
  graph.index.identifiers.resolve against the graphs the caller may see (so a subject that only a
  restricted graph mentions does not resolve for a reader);
- `date`: exactly YYYY-MM-DD, a real calendar day, bound as an xsd:date literal;
- `integer`: an optionally signed run of ASCII digits, bound as xsd:integer;
- `string`: any text up to MAX_STRING characters, bound as a plain literal.

Values are bound by the store (`bindings`) and never enter the query text, so a value can
only ever match or not match: it cannot change what the query does. An optional parameter that
is not given stays unbound (see queries/catalog.py for how the .rq files handle that).
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import islice

from graph.errors import InternalError, InvalidValueError, NotFoundError, WrongOnThisEngine
from graph.index import identifiers
from graph.query.sparql import Dataset, run_query
from graph.store import GraphStore, QueryResult, Solutions, rdf
from graph.store.limits import QueryLimits
from ontology.namespaces import RDF, XSD
from queries import catalog
from queries.catalog import NamedQuery, Param

LIBRARY = "library"
# Names of request options that share the parameters' namespace (query string, JSON body).
RESERVED = frozenset({"limit", "offset"})
MAX_LIMIT = 10_000
# Rows a page may skip: far beyond any result the result cap lets through, and within what
# itertools.islice (a C ssize_t) accepts.
MAX_OFFSET = 1_000_000_000
# After a page, rows are counted up to this many more to report a total; beyond, it stays unknown.
COUNT_CAP = 10_000
MAX_STRING = 1_000
MAX_IRI = 2_000

_QUERY_NAME = re.compile(r"[a-z0-9_]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_XSD_STRING = XSD + "string"
_RDF_LANG_STRING = RDF + "langString"

# Text from a URL, a form or the command line; a whole number from JSON; or, from code that has
# already resolved a subject, its IRI (still checked against what the caller may see).
RawValue = str | int | rdf.NamedNode


class NamedQueryError(InternalError):
    """A named query could not be run as asked; the message says why."""


class UnknownQuery(NotFoundError, NamedQueryError, LookupError):
    """No query of that name in the library."""

    def __init__(self, name: str) -> None:
        super().__init__(f"no query named {name!r} in the library")
        self.name = name


class ParameterError(InvalidValueError, NamedQueryError, ValueError):
    """A parameter is unknown, missing or invalid; `param` names it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"parameter {param!r}: {message}")
        self.param = param
        self.message = message


@dataclass(frozen=True)
class Page:
    """One page of a named query's results, with what is needed to ask for the next one."""

    query: NamedQuery
    params: Mapping[str, str]  # the values as given, for links to other pages
    bound: Mapping[str, rdf.Term]  # the values as bound (IRIs resolved)
    variables: tuple[str, ...]
    rows: tuple[tuple[rdf.Term | None, ...], ...]
    offset: int
    limit: int | None
    has_more: bool
    total: int | None  # None when there were more than COUNT_CAP rows after this page

    @property
    def next_offset(self) -> int | None:
        return self.offset + len(self.rows) if self.has_more else None

    def records(self) -> Iterator[dict[str, rdf.Term | None]]:
        for row in self.rows:
            yield dict(zip(self.variables, row))

    def to_sparql_json(self) -> dict[str, object]:
        """The page as SPARQL 1.1 Query Results JSON; unbound variables are left out of a row."""
        bindings = [
            {name: term_json(term) for name, term in zip(self.variables, row) if term is not None}
            for row in self.rows
        ]
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}

    def solutions(self) -> Solutions:
        """The page as store solutions, for the serializers in api.web.results (CSV, TSV, XML,
        tables). A fresh iterator on each call."""
        parsed = rdf.parse_query_results(json.dumps(self.to_sparql_json()), rdf.QueryResultsFormat.JSON)
        assert isinstance(parsed, rdf.SolutionStream)  # a results document with a head and rows
        return Solutions(parsed)


def term_json(term: rdf.Term) -> dict[str, object]:
    """One RDF term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, rdf.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, rdf.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, rdf.Literal):
        encoded: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            encoded["datatype"] = term.datatype.value
        return encoded
    return {
        "type": "triple",
        "value": {
            "subject": term_json(term.subject),
            "predicate": term_json(term.predicate),
            "object": term_json(term.object),
        },
    }


def list_queries() -> list[NamedQuery]:
    """Every query of the library, sorted by name."""
    return catalog.list_queries(LIBRARY)


def get(name: str) -> NamedQuery:
    """The library query called `name` (its file name without .rq). Only plain names are
    accepted, so a name can never reach a query outside the library folder."""
    if not _QUERY_NAME.fullmatch(name):
        raise UnknownQuery(name)
    try:
        query = catalog.load(f"{LIBRARY}/{name}")
    except catalog.QueryNotFound:
        raise UnknownQuery(name) from None
    if query.form != "SELECT":
        raise NamedQueryError(f"query {name!r} is a {query.form or 'malformed'} query; the library runs SELECT queries only")
    return query


def _text(param: Param, raw: RawValue, limit: int) -> str:
    if not isinstance(raw, str):
        raise ParameterError(param.name, f"expected text, got {type(raw).__name__}")
    if len(raw) > limit:
        raise ParameterError(param.name, f"the value is too long ({len(raw):,} characters; at most {limit:,})")
    return raw


def _date(param: Param, raw: RawValue) -> rdf.Literal:
    text = _text(param, raw, 32).strip()
    if not _DATE.fullmatch(text):
        raise ParameterError(param.name, f"expected a date as YYYY-MM-DD, got {text!r}")
    try:
        date.fromisoformat(text)
    except ValueError:
        raise ParameterError(param.name, f"{text!r} is not a day of the calendar") from None
    return rdf.Literal(text, datatype=rdf.NamedNode(XSD + "date"))


def _integer(param: Param, raw: RawValue) -> rdf.Literal:
    # bool is an int in Python, but true/false is not a number anyone meant.
    if isinstance(raw, bool):
        raise ParameterError(param.name, f"expected a whole number, got {str(raw).lower()}")
    if isinstance(raw, int):
        text = str(raw)
    else:
        text = _text(param, raw, 20).strip()
    if not _INTEGER.fullmatch(text):
        raise ParameterError(param.name, f"expected a whole number, got {text!r}")
    return rdf.Literal(str(int(text)), datatype=rdf.NamedNode(XSD + "integer"))


def _iri(store: GraphStore, dataset: Dataset, param: Param, raw: RawValue) -> rdf.NamedNode:
    text = raw.value if isinstance(raw, rdf.NamedNode) else _text(param, raw, MAX_IRI).strip()
    try:
        return identifiers.resolve(store, dataset, text)
    except (identifiers.UnknownSubject, identifiers.AmbiguousSubject) as error:
        raise ParameterError(param.name, str(error)) from None


def convert(store: GraphStore, dataset: Dataset, param: Param, raw: RawValue) -> rdf.Term:
    """One given value as the RDF term to bind, or ParameterError naming the parameter."""
    if param.type == "date":
        return _date(param, raw)
    if param.type == "integer":
        return _integer(param, raw)
    if param.type == "iri":
        return _iri(store, dataset, param, raw)
    return rdf.Literal(_text(param, raw, MAX_STRING))


def _as_text(raw: RawValue) -> str:
    return raw.value if isinstance(raw, rdf.NamedNode) else str(raw)


def _given(raw: RawValue | None) -> bool:
    # An empty field (an HTML form, `--param at=`) means "not given", as an absent one does.
    return raw is not None and not (isinstance(raw, str) and not raw.strip())


def bind(store: GraphStore, dataset: Dataset, query: NamedQuery, params: Mapping[str, RawValue | None]) -> dict[str, rdf.Term]:
    """Check `params` against the query's header and convert each given value; the result is
    ready for `bindings=`. Unknown names and missing required parameters are errors."""
    declared = {param.name for param in query.params}
    for name in sorted(params):
        if name not in declared:
            takes = ", ".join(param.name for param in query.params) or "no parameters"
            raise ParameterError(name, f"unknown parameter; {query.short_name} takes {takes}")
    bound: dict[str, rdf.Term] = {}
    for param in query.params:
        raw = params.get(param.name)
        if not _given(raw):
            if not param.optional:
                raise ParameterError(param.name, f"is required ({param.type}: {param.description})")
            continue
        assert raw is not None
        bound[param.name] = convert(store, dataset, param, raw)
    return bound


def _check_window(limit: int | None, offset: int) -> None:
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise ParameterError("limit", f"must be between 1 and {MAX_LIMIT:,}, got {limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise ParameterError("offset", f"must be between 0 and {MAX_OFFSET:,}, got {offset}")


def _cut(
    result: QueryResult, offset: int, limit: int | None
) -> tuple[tuple[str, ...], int, tuple[tuple[rdf.Term | None, ...], ...], int]:
    """Variables, rows skipped, the window's rows, and rows counted after it (up to COUNT_CAP + 1).

    The embedded store's solutions may only be touched, and dropped, on the thread that made them. An
    exception raised while they are alive carries this frame, and with it the solutions, to
    whichever thread handles it (the event loop, for a web request); so the frame lets go of them
    before anything leaves it."""
    try:
        if not isinstance(result, Solutions):
            raise NamedQueryError("a library query must be a SELECT query")
        variables = tuple(result.variables)
        solutions = iter(result)
        skipped = sum(1 for _ in islice(solutions, offset))
        window = islice(solutions, limit) if limit is not None else solutions
        rows = tuple(tuple(solution[variable] for variable in variables) for solution in window)
        after = sum(1 for _ in islice(solutions, COUNT_CAP + 1))
        return variables, skipped, rows, after
    except BaseException as error:
        traceback.clear_frames(error.__traceback__)  # the generators' frames below this one
        raise
    finally:
        del result
        solutions = window = iter(())  # drop the references here, on this thread


def refuse_if_wrong_on(store: GraphStore, query: NamedQuery) -> None:
    """Raise WrongOnThisEngine when the query is known to answer wrongly on the store's engine:
    a wrong answer about who is linked to whom is worse than none."""
    reason = query.wrong_on_engine(store.engine)
    if reason is not None:
        raise WrongOnThisEngine(
            f"the query {query.short_name!r} is known to give wrong answers on this store's engine ({store.engine}): {reason}. "
            "Run it on the embedded store or on Oxigraph server (README, Deploying for a team)"
        )


def run(
    store: GraphStore,
    dataset: Dataset,
    name: str,
    params: Mapping[str, RawValue | None],
    *,
    limit: int | None = None,
    offset: int = 0,
    limits: QueryLimits | None = None,
) -> Page:
    """Run the library query `name` over `dataset` and return rows offset..offset+limit (all of
    them when `limit` is None). The query text is never changed: the window is cut from the
    result stream, which every library query orders, so pages are stable. Pass the app's
    `limits` for a query run for a request (a timeout and a result cap, see graph.store.limits)."""
    query = get(name)
    refuse_if_wrong_on(store, query)
    _check_window(limit, offset)
    bound = bind(store, dataset, query, params)
    # Handed straight to _cut, never held in this frame: see _cut for why.
    variables, skipped, rows, after = _cut(
        run_query(store, query.text, dataset, bindings=bound, limits=limits), offset, limit
    )
    total = skipped + len(rows) + after if after <= COUNT_CAP else None
    return Page(
        query=query,
        params={key: _as_text(value) for key, value in params.items() if value is not None and _given(value)},
        bound=bound,
        variables=variables,
        rows=rows,
        offset=offset,
        limit=limit,
        has_more=after > 0,
        total=total,
    )
