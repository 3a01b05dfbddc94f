"""Jinja2 templates with autoescaping on: every value from the graph is escaped in HTML.

The helpers templates build links with are registered here, where the templates are made, so a
URL is made the same way everywhere and no router has to be imported first for a page to render.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from api.dates import clean_date
from api.web.pages.ontology_terms import definitions, ontology_doc
from api.web.views import prose, safety
from graph.tracing.profile import TermRef
from ontology.namespaces import AG

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


def quoted(iri: str) -> str:
    """An IRI as a path segment run of a local URL (/actors/..., /vetting/...)."""
    return quote(iri, safe="/:")


def definition(iri: str) -> str:
    """The ontology's definition of a class or concept, shown when a label is hovered."""
    return definitions().get(iri, "")


def class_term(name: str) -> TermRef:
    """A class or concept named the way vetting findings and graph nodes carry it (its short name,
    "EconomicReliance", or an IRI) as a term the `term` macro prints: "Economic reliance", with its
    definition on hover. Read from the model files, so a report rendered without a store (the
    command line's) says the same; a name the ontology does not know stays as it came."""
    iri = name if "://" in name else AG + name
    label = ontology_doc().labels.get(iri)
    if label:
        return TermRef(iri, name, label)
    by_label = _by_label().get(name.casefold())  # incidents carry their violation types by label
    return TermRef(by_label, name, name) if by_label else TermRef(name, name, name)


@lru_cache(maxsize=1)
def _by_label() -> dict[str, str]:
    """The IRI of each label that names one term only."""
    found: dict[str, list[str]] = {}
    for iri, label in ontology_doc().labels.items():
        found.setdefault(label.casefold(), []).append(iri)
    return {label: iris[0] for label, iris in found.items() if len(iris) == 1}


def site_css() -> Markup:
    """The site's stylesheet, for documents that carry their styles inline (saved reports, PDF)."""
    return Markup((STATIC_DIR / "style.css").read_text(encoding="utf-8"))


def css_string(value: object) -> Markup:
    """A value as a quoted CSS string (a printed header's `content`): quotes, backslashes, line
    breaks and `<` are escaped, so no value can end the string or the style element."""
    text = str(value)
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;()-_/+'·–" else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.autoescape = True
templates.env.globals["page_href"] = safety.page_href
templates.env.globals["view_href"] = safety.view_href
templates.env.globals["safe_url"] = safety.safe_url
templates.env.globals["quoted"] = quoted
templates.env.globals["definition"] = definition
templates.env.globals["class_term"] = class_term
templates.env.filters["class_term"] = class_term
templates.env.globals["site_css"] = site_css
templates.env.filters["css_string"] = css_string
templates.env.globals["origin"] = prose.origin
templates.env.globals["origins"] = prose.ORIGINS


def period_filter(dates: tuple[object, ...]) -> str:
    """`(start, end)`, `(start, end, ongoing)` or `(start, end, ongoing, start_precision,
    end_precision)` in words (prose.period): with the precisions the data recorded, a start given
    as "2010" reads "2010", never "1 January 2010"."""
    start, end = (clean_date(str(d)) if d else None for d in dates[:2])
    ongoing = bool(dates[2]) if len(dates) > 2 else False
    start_precision = str(dates[3]) if len(dates) > 3 and dates[3] else None
    end_precision = str(dates[4]) if len(dates) > 4 and dates[4] else None
    return prose.period(start, end, ongoing, start_precision=start_precision, end_precision=end_precision)


templates.env.filters["period"] = period_filter
templates.env.filters["day"] = prose.day
templates.env.filters["dates_in_words"] = prose.dates_in_words
templates.env.filters["amount"] = prose.amount
templates.env.filters["count"] = prose.count
