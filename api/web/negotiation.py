"""Content negotiation for the SPARQL protocol: pick a result format from the Accept header."""

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


def _ranges(accept: str) -> list[tuple[float, int, str]]:
    """Parse an Accept header into (quality, order, media range), best first."""
    ranges = []
    for order, part in enumerate(accept.split(",")):
        pieces = [piece.strip() for piece in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            key, _, value = parameter.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranges.append((quality, order, media))
    return sorted(ranges, key=lambda item: (-item[0], item[1]))


def choose(accept: str | None, table: dict[str, str]) -> str | None:
    """The best format for this Accept header, the default when any type will do, or None (406)."""
    default = next(iter(table.values()))
    if not accept:
        return default
    for _, _, media in _ranges(accept):
        if media in table:
            return table[media]
        if media in {"*/*", "application/*", "text/*"}:
            prefix = media.split("/")[0]
            for candidate, name in table.items():
                if media == "*/*" or candidate.startswith(prefix + "/"):
                    return name if media != "*/*" else default
    return None


def acceptable(accept: str | None, table: dict[str, str]) -> str:
    """Like `choose`, but a 406 that lists what is offered when nothing in the header can be made."""
    chosen = choose(accept, table)
    if chosen is None:
        offered = ", ".join(sorted(set(table)))
        raise NotAcceptableError(f"cannot produce any type in the Accept header; offered: {offered}")
    return chosen
