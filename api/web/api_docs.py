"""The API documentation pages, /docs (Swagger UI) and /redoc, from assets this server serves.

fastapi-offline ships the Swagger UI and ReDoc files (mounted at /static-offline-docs by
FastAPIOffline). ReDoc's bundle still asks a CDN for its sidebar logo, so it is served with that
one address pointed at the local favicon; Swagger UI's online validator is switched off; and both
pages carry a Content Security Policy that keeps images, fonts and fetches on this server. Nothing
leaves it, and field offices without internet get the same pages.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response

ASSETS = "/static-offline-docs"
REDOC_JS = "/api-docs/redoc.standalone.js"
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
# Scripts and styles are inline in FastAPI's pages; what could reach elsewhere is limited here.
POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:"


def _with_policy(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = POLICY
    return page


@cache
def redoc_bundle() -> bytes:
    """ReDoc's bundle as fastapi-offline ships it, its one CDN address pointed at the local favicon."""
    bundle = (Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js").read_bytes()
    return bundle.replace(REDOC_LOGO.encode(), f"{ASSETS}/favicon.png".encode())


def install(app: FastAPI) -> None:
    """Add /docs, its OAuth2 redirect page, and /redoc."""
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _with_policy(
            get_swagger_ui_html(
                openapi_url=f"{root}{openapi_url}",
                title=f"{app.title} - Swagger UI",
                oauth2_redirect_url=f"{root}{redirect_url}",
                swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
                swagger_favicon_url=f"{root}{ASSETS}/favicon.png",
                # The online validator would send the schema's URL to validator.swagger.io.
                swagger_ui_parameters={**(app.swagger_ui_parameters or {}), "validatorUrl": None},
            )
        )

    @app.get(redirect_url, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return _with_policy(get_swagger_ui_oauth2_redirect_html())

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _with_policy(
            get_redoc_html(
                openapi_url=f"{root}{openapi_url}",
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{root}{REDOC_JS}",
                redoc_favicon_url=f"{root}{ASSETS}/favicon.png",
                with_google_fonts=False,
            )
        )

    @app.get(REDOC_JS, include_in_schema=False)
    async def redoc_script() -> Response:
        return Response(redoc_bundle(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})
