"""The SPARQL page: YASGUI (vendored, api/web/static/vendor/yasgui) on top of /sparql.

The page posts to the SPARQL endpoint from the browser, with the API key the user entered, so the
endpoint's role rules (restricted graphs, SERVICE only for admins, timeouts and result caps) apply
exactly as they do to any other client. The library's queries are offered as examples, each with a
form for its parameters. A Content Security Policy keeps every fetch on this server, whatever
endpoint someone types into the editor.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.templating import templates
from graph.query import named_queries
from ontology.namespaces import PREFIXES

# YASGUI's styles and its editor's are inline; fetches, images and fonts stay on this server.
POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"

router = APIRouter(tags=["Pages"])

STARTER = """PREFIX ag: <https://w3id.org/actorgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?unit ?name WHERE {
  ?unit a ag:MilitaryUnit ;
        rdfs:label ?name .
}
ORDER BY ?name
LIMIT 50
"""


def library() -> list[dict[str, object]]:
    """The library's queries for the picker: name, title, description, parameters and text."""
    return [
        {
            "name": q.name.split("/")[-1],
            "title": q.title,
            "description": q.description,
            "params": [{"name": p.name, "type": p.type, "description": p.description, "optional": p.optional} for p in q.params],
            "text": q.text,
        }
        for q in named_queries.list_queries()
    ]


@router.get("/query", response_class=HTMLResponse, summary="SPARQL page")
async def sparql_page(request: Request, name: str | None = None) -> HTMLResponse:
    """YASGUI, the library's examples with their parameter forms, CSV and JSON downloads."""
    queries = library()
    chosen = next((q for q in queries if q["name"] == name), None)
    page = templates.TemplateResponse(
        request,
        "sparql.html",
        {"queries": queries, "initial": chosen["text"] if chosen else STARTER, "chosen": name if chosen else "", "prefixes": PREFIXES},
    )
    page.headers["Content-Security-Policy"] = POLICY
    return page
