"""The checks SPARQL text from a request passes before the engine sees it, as HTTP answers.

graph.guards.parse_check does the work (bounded nesting, then a parse in a helper process whose death
is contained); this turns what it raises into the status and message a route sends back.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

from graph.guards.nesting import NestingTooDeep
from graph.guards.parse_check import check_text
from graph.store.limits import QueryLimitExceeded, QueryLimits


class TextRefused(Exception):
    """The text may not reach the engine; `status` and the message are the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


async def check_request_text(text: str, *, limits: QueryLimits, update: bool = False) -> None:
    """Raise TextRefused: 400 for nesting beyond the limit, a syntax error or a text that crashed
    the parser; 503 when the check itself ran past its time (the query timeout, plus a second
    per MiB of text)."""
    # The helper applies an update to an empty store, so a large INSERT DATA takes it a while:
    # a second per MiB on top of the query timeout leaves room (README, "Depth limits").
    timeout = limits.timeout + len(text) / 2**20
    try:
        # Off the event loop: the check waits on a pipe to the helper process.
        await run_in_threadpool(check_text, text, update=update, timeout=timeout)
    except NestingTooDeep as error:
        raise TextRefused(400, str(error)) from None
    except SyntaxError as error:
        raise TextRefused(400, f"SPARQL syntax error: {error.args[0] if error.args else error}") from None
    except QueryLimitExceeded as error:
        raise TextRefused(503, str(error)) from None
