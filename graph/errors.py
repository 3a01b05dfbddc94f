"""One base for every error ActorGraph raises, carrying the HTTP status it answers with.

The graph layer knows nothing of HTTP, yet it is the one that knows what went wrong: a subject
that is not there, a value that cannot be used, a query that ran out of time. So each error says
its category here, once, and api.web.errors turns any of them into a response the same way on
every route; the command line prints the message. A domain error derives from one of the
categories below and, where callers already catch it as such, from the built-in it used to be
(`class UnknownSubject(NotFoundError, LookupError)`). Exceptions used for control flow inside
one package, which never reach a caller, derive from `Signal` instead.
"""

from __future__ import annotations

import signal
from collections.abc import Mapping
from typing import ClassVar


class ActorGraphError(Exception):
    """An error with an HTTP status and a short machine-readable code; the message is for people."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    headers: ClassVar[Mapping[str, str]] = {}


class BadRequestError(ActorGraphError):
    """The request cannot be read: a syntax error, a missing parameter, a malformed body."""

    status = 400
    code = "bad_request"


class UnauthorizedError(ActorGraphError):
    """No usable API key: missing where one is needed, unknown, malformed or revoked."""

    status = 401
    code = "unauthorized"
    headers: ClassVar[Mapping[str, str]] = {"WWW-Authenticate": 'Bearer realm="actorgraph"'}


class ForbiddenError(ActorGraphError):
    """The caller is known, and may not do this."""

    status = 403
    code = "forbidden"


class NotFoundError(ActorGraphError):
    """What the request names is not there, or not among what the caller may see."""

    status = 404
    code = "not_found"


class NotAcceptableError(ActorGraphError):
    """No format the client accepts can carry the answer."""

    status = 406
    code = "not_acceptable"


class ConflictError(ActorGraphError):
    """The request is understood, but the current state of what it names forbids it."""

    status = 409
    code = "conflict"


class TooLargeError(ActorGraphError):
    """A body or a result beyond a size limit."""

    status = 413
    code = "too_large"


class UnsupportedMediaError(ActorGraphError):
    """A body in a format this route does not read."""

    status = 415
    code = "unsupported_media_type"


class InvalidValueError(ActorGraphError):
    """The request is well formed, but a value in it cannot be used: it names nothing, names
    several things, or is out of range."""

    status = 422
    code = "invalid_value"


class BusyError(ActorGraphError):
    """The server could answer, just not now: every worker is taken."""

    status = 503
    code = "busy"
    headers: ClassVar[Mapping[str, str]] = {"Retry-After": "10"}


class WrongOnThisEngine(ActorGraphError):
    """What was asked is known to come out wrong on the store's engine (an engine bug the query
    could not be written around without costing every other engine): refused, never answered."""

    status = 501
    code = "wrong_on_this_engine"


class ParserCrash(BadRequestError, SyntaxError):
    """The SPARQL parser died on this text (a stack overflow on deep nesting); the server did not.
    Raised by whichever process parsed it apart from the server: the parse check's helper or a
    query worker of the pool."""

    @classmethod
    def of(cls, returncode: int | None) -> ParserCrash:
        """The error for a parsing process that ended with `returncode` (negative: a signal)."""
        how = f"killed by {signal.Signals(-returncode).name}" if returncode is not None and returncode < 0 else f"exit status {returncode}"
        return cls(f"the SPARQL parser crashed on this text ({how}); it nests too deeply (long runs of '!', '<<' or brackets): simplify it")


class DeadlineError(ActorGraphError):
    """The work ran past its time limit and was stopped; a later or narrower request may succeed."""

    status = 503
    code = "timeout"
    headers: ClassVar[Mapping[str, str]] = {"Retry-After": "10"}


class InternalError(ActorGraphError):
    """Something failed that the client cannot fix: a broken store, a query that failed to run."""


class Signal(Exception):
    """Not an error: control flow inside one package (stop a serializer, fork again), caught there
    and never raised to a caller, so it carries no status."""
