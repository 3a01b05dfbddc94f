"""Vetting reports and program vetting tables as documents to keep: a PDF drawn by WeasyPrint
from the same self-contained HTML the pages show, with the subject, the vetting date, the policy,
the data version and page numbers on every page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi.responses import Response

from api.web.templating import templates


@dataclass(frozen=True)
class PrintHeader:
    """What each printed page says at its top and bottom."""

    subject: str
    date: str
    policy: str
    version: str  # the data version's digest: which imports the report was computed from


def pdf_bytes(template: str, header: PrintHeader, **context: object) -> bytes:
    """The template rendered with its print header, as a PDF. Links stay out of reach of the
    network: WeasyPrint is given no base URL, and the styles are inline."""
    from weasyprint import HTML  # loaded on the first PDF: the server and the CLI start without it

    html = templates.env.get_template(template).render(print_header=header, **context)
    document: bytes = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    return document


def pdf_download(template: str, header: PrintHeader, filename_stem: str, **context: object) -> Response:
    filename = (re.sub(r"[^A-Za-z0-9._-]+", "-", filename_stem).strip("-.") or "vetting")[:80] + ".pdf"
    return Response(
        pdf_bytes(template, header, **context),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """Refuse every fetch: a report prints only what it holds, and data never makes it call out."""
    raise ValueError(f"not fetched: {url[:80]}")
