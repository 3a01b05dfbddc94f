"""Escaping every value that leaves the graph for a browser.

Why here and not in the templates only: Jinja2 autoescapes what a template prints, but a graph view
hands data to JavaScript (vis-network, and pyvis's own template would print `title` as HTML and
node ids into `<option>` tags unescaped). So every string that goes into a view's JSON is
HTML-escaped here first (`text`), whatever consumer ends up reading it; the page's script turns the
entities back into characters only to draw them on the canvas or to set `textContent`, never
`innerHTML`. JSON embedded in a page goes through Jinja's `tojson`, which also escapes `<`, `>`,
`&` and `'`, so a value cannot close the `<script>` element it sits in.

Links are built by the server, never taken from data as they are: a source URL becomes a link only
when it is http(s); anything else (`javascript:`, `data:`) is shown as text.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

# C0/C1 controls other than tab and newline: they have no business in a label and some break
# terminals, CSV readers and the canvas.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_TEXT = 500


def text(value: object, *, limit: int = MAX_TEXT) -> str:
    """A value as HTML-escaped text, control characters removed, cut to `limit` characters."""
    if value is None:
        return ""
    raw = _CONTROL.sub("", str(value))
    if len(raw) > limit:
        raw = raw[: limit - 1] + "…"
    return html.escape(raw, quote=True)


def texts(values: object) -> list[str]:
    """Each value of a list escaped with `text`."""
    return [text(v) for v in (values or [])]  # type: ignore[union-attr]


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, else None: data never chooses a link's scheme."""
    if not url:
        return None
    candidate = _CONTROL.sub("", url).strip()
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return candidate


# Page prefixes by the kind graph.index.subjects assigns to a subject (an incident's page is the actor
# page's template: its perpetrators, dates and sources are relations like any other).
_PAGE_PREFIX = {"actor": "/pages/actors/", "incident": "/pages/actors/", "program": "/pages/programs/"}


def page_href(kind: str, iri: str) -> str | None:
    """The local page of a subject, with its IRI percent-encoded into the path (so `<`, `"` or
    `javascript:` inside an identifier can only ever be part of a path on this server)."""
    prefix = _PAGE_PREFIX.get(kind)
    return None if prefix is None else prefix + quote(iri, safe="/:")


def view_href(kind: str, iri: str) -> str | None:
    """The local graph view of an actor, incident or program."""
    if kind in ("actor", "incident"):
        return "/view/actors/" + quote(iri, safe="/:")
    if kind == "program":
        return "/view/programs/" + quote(iri, safe="/:")
    return None
