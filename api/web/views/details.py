"""The details panel of a graph view: what a clicked node is and how it is linked, with evidence.

It reuses graph.tracing.profile.profile (the same relations, grouped by type, that the actor page lists)
and only escapes and flattens it for the browser, which writes it with textContent.
"""

from __future__ import annotations

from typing import Any

from api.dates import clean_date
from api.web.views import prose, safety
from graph.index.cache import index_for
from graph.query.sparql import Dataset
from graph.store import GraphStore
from graph.tracing.edges import recorded_dates
from graph.tracing.naming import resolve
from graph.tracing.profile import RelationView, SourceRef, profile


def source_json(source: SourceRef) -> dict[str, Any]:
    """A source as the panel shows it: title, publisher, year, and a link only if http(s)."""
    return {
        "title": safety.text(source.title or source.id),
        "publisher": safety.text(source.publisher) if source.publisher else None,
        "year": safety.text((source.year or "")[:4]) if source.year else None,
        "url": safety.text(safety.safe_url(source.url)) if safety.safe_url(source.url) else None,
    }


def relation_json(relation: RelationView) -> dict[str, Any]:
    start, end = clean_date(relation.start), clean_date(relation.end)
    other = relation.counterpart
    return {
        "type": safety.text(relation.type),
        "label": safety.text(relation.label),
        "role": safety.text(relation.role),
        "direction": relation.direction,
        "other": {
            "id": safety.text(other.id, limit=2000),
            "label": safety.text(other.label),
            "kind": other.kind,
            "href": safety.page_href(other.kind, other.id),
        },
        "otherRole": safety.text(relation.counterpart_role),
        "start": start,
        "end": end,
        "start_precision": relation.start_precision,  # 2010-01-01 at "year" means 2010
        "end_precision": relation.end_precision,
        "ongoing": relation.ongoing,
        "period": safety.text(
            prose.period(start, end, relation.ongoing, start_precision=relation.start_precision, end_precision=relation.end_precision)
        ),
        "confidence": safety.text(relation.confidence) if relation.confidence else None,
        "status": safety.text(relation.status) if relation.status else None,
        "sources": [source_json(s) for s in relation.sources],
    }


def origin_json(iri: str) -> dict[str, str]:
    """Real, fictional or synthetic, with the badge's words, as every page shows it."""
    key = prose.origin(iri)
    return {"key": key, "label": prose.ORIGINS[key].label, "title": prose.ORIGINS[key].title}


def node_details(store: GraphStore, dataset: Dataset, name: str) -> dict[str, Any]:
    """A node's profile, escaped: names, aliases, types and relations with dates and sources."""
    iri = resolve(store, dataset, name)
    index = index_for(store, dataset)
    actor_profile = profile(store, dataset, iri)
    subject = index.get(iri)
    start = clean_date(subject.start) if subject else None
    end = clean_date(subject.end) if subject else None
    # An incident's or a program's own dates, at the precision they were recorded with.
    own = recorded_dates(subject)
    start_precision, end_precision = own.start_precision, own.end_precision
    if actor_profile.kind == "incident" and start and not end and not own.ongoing:
        when = prose.day(start, start_precision)  # an incident with no end happened on its start day
    else:
        when = prose.period(start, end, own.ongoing, start_precision=start_precision, end_precision=end_precision)
    return {
        "id": safety.text(iri, limit=2000),
        "label": safety.text(actor_profile.label),
        "kind": actor_profile.kind,
        "types": [safety.text(t.label) for t in actor_profile.types],
        "names": safety.texts(actor_profile.names),
        "aliases": safety.texts(actor_profile.aliases),
        "country": safety.text(actor_profile.country.label) if actor_profile.country else None,
        "location": safety.text(actor_profile.location) if actor_profile.location else None,
        "period": safety.text(when),
        "start": start,
        "end": end,
        "start_precision": start_precision,
        "end_precision": end_precision,
        "origin": origin_json(iri),
        "href": safety.page_href(actor_profile.kind, iri),
        "view": safety.view_href(actor_profile.kind, iri),
        "groups": [
            {"type": safety.text(g.type), "label": safety.text(g.label), "relations": [relation_json(r) for r in g.relations]}
            for g in actor_profile.relations
        ],
    }
