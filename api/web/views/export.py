"""Which format a network route answers in, and the download it sends when that is a file.

`?format=` wins over the Accept header; an Accept header chooses a file format only when it names
one of their media types, so a browser's or a client's usual `*/*` still gets the page or the
JSON. A `?format=` the route does not offer is a 406 that lists those it does, never a silent
fallback to JSON.
"""

from __future__ import annotations

import re

from fastapi import Request
from fastapi.responses import Response

from api.web.negotiation import choose
from api.web.openapi_schema import also
from graph.errors import NotAcceptableError
from graph.tracing.export import FORMATS, Exported

EXPORT_FORMAT_DOC = "json (the default), or a file: " + ", ".join(FORMATS) + " (csv is a zip of both lists)"
FILE_MEDIA_TYPES = {f.media_type.split(";")[0]: f.name for f in FORMATS.values() if f.name != "nodes-csv"}
# What OpenAPI says a network route may send instead of its own page or JSON.
FILE_FORMATS = also("The network as a file: GraphML, GEXF, a zip of both CSV lists, or one CSV list", FILE_MEDIA_TYPES)


def export_format(request: Request, default: str) -> str:
    """The format asked for: `default` ("json" or "html"), or one of graph.tracing.export.FORMATS."""
    offered = (default, *FORMATS)
    asked = request.query_params.get("format")
    if asked is not None:
        name = asked.strip().lower()
        if name not in offered:
            raise NotAcceptableError(f"format {asked!r} is not offered here; choose one of: {', '.join(offered)}")
        return name
    own_media = "text/html" if default == "html" else "application/json"
    return choose(request.headers.get("accept"), {own_media: default, **FILE_MEDIA_TYPES}) or default


def download(exported: Exported, fmt: str) -> Response:
    """The graph as an attachment named after what it shows."""
    chosen = FORMATS[fmt]
    filename = _file_name(exported.name) + chosen.suffix
    return Response(
        exported.write(fmt),
        media_type=chosen.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Vary": "Accept"},
    )


def _file_name(text: str) -> str:
    """A name safe in a Content-Disposition header and on any file system."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return name[:80] or "network"
