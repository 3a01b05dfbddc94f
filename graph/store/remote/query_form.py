"""Which form a query has (SELECT, ASK, CONSTRUCT, DESCRIBE), read from its text.

Some engines choose the result format by the order of the Accept header rather than by what the
form can return, so the backend asks for one format once it knows the form. The form is the first
keyword after the prologue (BASE and PREFIX declarations, whitespace and comments).
"""

from __future__ import annotations

import re

_SKIP = re.compile(r"(?:\s+|#[^\n]*)*")
_DECLARATION = re.compile(r"(?:BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)", re.IGNORECASE)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![A-Za-z0-9_])", re.IGNORECASE)


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, in capitals; None when the text starts with none of them."""
    at = _SKIP.match(text, 0)
    index = at.end() if at else 0
    while declaration := _DECLARATION.match(text, index):
        skip = _SKIP.match(text, declaration.end())
        index = skip.end() if skip else declaration.end()
    form = _FORM.match(text, index)
    return form.group(1).upper() if form else None
