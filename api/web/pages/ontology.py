"""The ontology pages, generated from the model files (ontology/*.ttl) by our own template:
`/ontology` documents the domain model (actors, programs, relations, incidents, agreements,
sources and the vocabularies) with a table of contents and a diagram of the relation nodes;
`/ontology/store` the store's own terms (data graphs, imports, keys, vetting runs and cases).

Every term gets an anchor named after its IRI fragment (id="MilitaryUnit"), so links such as
/ontology#MilitaryUnit work from anywhere, including the ontology's own IRIs; a store term's
fragment on /ontology leads on to its own page.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.pages.ontology_diagram import relation_diagram
from api.web.pages.ontology_sections import domain_sections, store_section
from api.web.pages.ontology_terms import anchor, curie, ontology_doc
from api.web.templating import templates

router = APIRouter(tags=["Pages"])


@router.get("/ontology", response_class=HTMLResponse, summary="Ontology documentation: the domain model")
async def ontology_page(request: Request) -> HTMLResponse:
    """Classes (labels, definitions, superclasses, subclasses) and properties (domains, ranges,
    characteristics, inverses) by part of the model, the SKOS schemes with their concepts and
    mappings, and a diagram of the relation nodes."""
    doc = ontology_doc()
    context = {
        "doc": doc, "anchor": anchor, "curie": curie, "page": "domain", "sections": domain_sections(doc),
        "schemes": [s for s in doc.schemes if s.iri not in doc.store_terms], "diagram": relation_diagram(doc),
        "elsewhere": sorted((t for t in doc.store_terms if t in doc.labels), key=lambda t: doc.labels[t].casefold()),
    }  # fmt: skip
    return templates.TemplateResponse(request, "ontology.html", context)


@router.get("/ontology/store", response_class=HTMLResponse, summary="Ontology documentation: the store's own terms")
async def ontology_store_page(request: Request) -> HTMLResponse:
    """The terms the store uses to describe itself: data graphs and imports, API keys, vetting runs
    and cases, the store version."""
    doc = ontology_doc()
    context = {
        "doc": doc, "anchor": anchor, "curie": curie, "page": "store", "sections": [store_section(doc)],
        "schemes": [s for s in doc.schemes if s.iri in doc.store_terms], "diagram": "", "elsewhere": [],
    }  # fmt: skip
    return templates.TemplateResponse(request, "ontology.html", context)


__all__ = ["router"]
