"""What /sparql and /update do alike with the text of a request: read one value of a parameter,
give the text the endpoint URL as its base, and check it before the engine runs it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from api.web.auth import check_outbound
from api.web.security import Caller
from api.web.text_checks import check_text_now
from graph.errors import BadRequestError, UnsupportedMediaError
from graph.query.dataset import unshift_positions, with_base
from graph.store.limits import QueryLimits

T = TypeVar("T")


def single(values: Mapping[str, Sequence[str]], name: str) -> str | None:
    """The one value of parameter `name`; a 400 when it is given more than once, since running
    either would be a guess (SPARQL 1.1 Protocol, bad_multiple_queries / bad_multiple_updates)."""
    given = values.get(name) or []
    if len(given) > 1:
        raise BadRequestError(f"the '{name}' parameter is given {len(given)} times: send exactly one")
    return given[0] if given else None


def utf8_body(request: Request, body: bytes) -> str:
    """The body as text: the protocol's bodies are UTF-8, so another declared charset is a 415
    rather than a text decoded wrongly into a confusing syntax error."""
    for parameter in request.headers.get("content-type", "").split(";")[1:]:
        key, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if key.strip().lower() == "charset" and charset not in {"utf-8", "utf8", "us-ascii"}:
            raise UnsupportedMediaError(f"the body must be UTF-8 (SPARQL 1.1 Protocol); got charset={value.strip()}")
    return body.decode("utf-8", errors="replace")


def endpoint_url(request: Request) -> str:
    """The URL of the endpoint that answers, without its query string: the base IRI of the text."""
    return str(request.url.replace(query="", fragment=""))


def unshifted(error: BadRequestError) -> BadRequestError:
    """The same 400, with the parser's positions counted in the caller's own text."""
    message = str(error)
    fixed = unshift_positions(message)
    return error if fixed == message else BadRequestError(fixed)


def checked(endpoint: str, text: str, caller: Caller, limits: QueryLimits, *, update: bool = False, parsed_apart: bool = False) -> str:
    """The text with the endpoint's base IRI, once it passed the outbound and parse checks. It
    waits on the parse-check helper: call it off the event loop, in the thread that runs the query.
    `parsed_apart`: the engine parses in a process of its own and reports a crash there (the
    store's parses_apart), so the helper's parse is skipped."""
    based = with_base(text, endpoint)
    try:
        check_outbound(based, caller, update=update)  # measures nesting first
        # A parse in the helper before Oxigraph parses it in this process (or only the nesting,
        # when the engine parses it apart).
        check_text_now(based, limits=limits, update=update, parse=not parsed_apart)
    except BadRequestError as error:
        raise unshifted(error) from None
    return based


async def checked_text(request: Request, text: str, caller: Caller, limits: QueryLimits, *, update: bool = False) -> str:
    """`checked`, in the threadpool."""
    return await run_in_threadpool(checked, endpoint_url(request), text, caller, limits, update=update)


async def engine_call(work: Callable[[], Awaitable[T]]) -> T:
    """Run engine work on a based text; a parse error becomes a 400 in the caller's own lines."""
    try:
        return await work()
    except SyntaxError as error:
        message = str(error.args[0]) if error.args else str(error)
        raise BadRequestError(f"SPARQL syntax error: {unshift_positions(message)}") from None
