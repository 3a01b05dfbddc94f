"""The checks SPARQL text from a request passes before the engine sees it, as HTTP answers.

graph.guards.parse_check does the work (bounded nesting, then a parse in a helper process whose death
is contained); its errors carry their status (graph.errors), and a parse error gets the message a
SPARQL client expects.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

from api.web.errors import sparql_syntax_error
from graph.guards.nesting import check_nesting
from graph.guards.parse_check import check_text
from graph.store.limits import QueryLimits


def check_text_now(text: str, *, limits: QueryLimits, update: bool = False, parse: bool = True) -> None:
    """Raise a 400 for nesting beyond the limit (NestingTooDeep), a syntax error or a text that
    crashed the parser; QueryTimeout (503) when the check itself ran past its time (the query
    timeout, plus a second per MiB of text). It waits on a pipe to the helper process: call it off
    the event loop. Without `parse`, only the nesting is checked (the engine parses apart)."""
    if not parse:
        check_nesting(text)
        return
    # The helper applies an update to an empty store, so a large INSERT DATA takes it a while:
    # a second per MiB on top of the query timeout leaves room (README, "Depth limits").
    timeout = limits.timeout + len(text) / 2**20
    try:
        check_text(text, update=update, timeout=timeout)
    except SyntaxError as error:
        raise sparql_syntax_error(error) from None


async def check_request_text(text: str, *, limits: QueryLimits, update: bool = False) -> None:
    """check_text_now, run in the threadpool."""
    await run_in_threadpool(check_text_now, text, limits=limits, update=update)
