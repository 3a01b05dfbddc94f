"""What tracing refuses, and why: the API answers a NotFound with 404, a BadParameter with 422."""

from __future__ import annotations


class NotFound(LookupError):
    """Nothing with that name, or not the kind of thing asked for; the message says which."""


class BadParameter(ValueError):
    """A parameter value is not usable; `parameter` names it for a 422."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter, self.message = parameter, message
