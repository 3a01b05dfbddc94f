"""Content negotiation, one rule for every route: pick a format from the Accept header by q-values."""

from __future__ import annotations

from graph.errors import NotAcceptableError

# Media type -> result format name (see api.web.results). The first entry of each table is the default.
SOLUTION_MEDIA_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
}


# Formats the JSON API answers in, besides JSON: the first entry is the default.
PAGE_MEDIA_TYPES: dict[str, str] = {"application/json": "json", "text/html": "html", "text/csv": "csv", "application/pdf": "pdf"}


def _ranges(accept: str) -> list[tuple[str, str, float]]:
    """The media ranges of an Accept header, as (type, subtype, quality), in header order. A
    malformed quality counts as 0 (not acceptable), as RFC 9110 leaves no better reading."""
    ranges = []
    for part in accept.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        kind, _, subtype = pieces[0].lower().partition("/")
        if not kind or not subtype:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((kind, subtype, quality))
    return ranges


def _quality(media: str, ranges: list[tuple[str, str, float]]) -> tuple[float, int]:
    """The quality the header gives `media`: that of the most specific range matching it (RFC 9110
    12.5.1), with the range's specificity (2 exact, 1 type/*, 0 */*, -1 no match)."""
    kind, _, subtype = media.partition("/")
    best: tuple[int, float] = (-1, 0.0)
    for range_kind, range_subtype, quality in ranges:
        if (range_kind, range_subtype) == (kind, subtype):
            specificity = 2
        elif range_kind == kind and range_subtype == "*":
            specificity = 1
        elif (range_kind, range_subtype) == ("*", "*"):
            specificity = 0
        else:
            continue
        if specificity > best[0]:
            best = (specificity, quality)
    return best[1], best[0]


def choose(accept: str | None, table: dict[str, str]) -> str | None:
    """The format for the media type the Accept header rates highest, by q-values; on a tie the
    more specific range wins, then the table's order (its first entry is the default, so a missing
    header or `*/*` gets it). None when the header accepts nothing offered (a 406, or a fallback)."""
    if not accept or not accept.strip():
        return next(iter(table.values()))
    ranges = _ranges(accept)
    best: tuple[float, int, int] | None = None
    chosen = None
    for position, (media, name) in enumerate(table.items()):
        quality, specificity = _quality(media, ranges)
        if quality <= 0:
            continue
        rank = (quality, specificity, -position)
        if best is None or rank > best:
            best, chosen = rank, name
    return chosen


def acceptable(accept: str | None, table: dict[str, str]) -> str:
    """Like `choose`, but a 406 that lists what is offered when nothing in the header can be made."""
    chosen = choose(accept, table)
    if chosen is None:
        offered = ", ".join(sorted(set(table)))
        raise NotAcceptableError(f"cannot produce any type in the Accept header; offered: {offered}")
    return chosen
