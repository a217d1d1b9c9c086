"""/docs (Swagger UI) and /redoc, each with a Content-Security-Policy of its own.

Both pages load their JavaScript and CSS from cdn.jsdelivr.net, so the strict policy of the rest of
the service would blank them.  They are FastAPI's own pages, served here instead of by FastAPI so that
the response can carry a policy made for exactly the HTML it returns:

* scripts: 'self', the CDN, and the SHA-256 of each inline <script> of that HTML (Swagger UI's one
  bootstrap script) -- no 'unsafe-inline' for scripts;
* styles: the CDN and 'unsafe-inline', because both UIs inject <style> elements at run time
  (styles cannot run code); Redoc also needs Google Fonts and a blob: worker for its search;
* images: data: URIs and FastAPI's favicon; calls: 'self' only (the schema and "Try it out").

Neither page shows anything a user sent, and both keep frame-ancestors 'none'.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

CDN = "https://cdn.jsdelivr.net"
FAVICON_HOST = "https://fastapi.tiangolo.com"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
_COMMON = (
    "default-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def inline_script_hashes(html: bytes) -> list[str]:
    """CSP hash sources for every inline <script> element of ``html``."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
        for body in _INLINE_SCRIPT.findall(html)
    ]


def swagger_csp(html: bytes) -> str:
    scripts = " ".join(["'self'", CDN, *inline_script_hashes(html)])
    return (
        f"{_COMMON}; script-src {scripts}; style-src 'self' 'unsafe-inline' {CDN}; "
        f"img-src 'self' data: {FAVICON_HOST}"
    )


def redoc_csp(html: bytes) -> str:
    scripts = " ".join(["'self'", CDN, *inline_script_hashes(html)])
    return (
        f"{_COMMON}; script-src {scripts}; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; "
        f"font-src 'self' https://fonts.gstatic.com; img-src 'self' data: {FAVICON_HOST}; "
        "worker-src 'self' blob:"
    )


def install(app: FastAPI) -> None:
    """Serve /docs and /redoc; create the app with ``docs_url=None, redoc_url=None``."""
    assert app.openapi_url, "the documentation pages need the OpenAPI schema"

    def schema_url(request: Request) -> str:
        return request.scope.get("root_path", "").rstrip("/") + str(app.openapi_url)

    @app.get("/docs", include_in_schema=False)
    def swagger(request: Request) -> HTMLResponse:
        page = get_swagger_ui_html(openapi_url=schema_url(request), title=f"{app.title} - Swagger UI")
        return HTMLResponse(page.body, headers={"Content-Security-Policy": swagger_csp(page.body)})

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        page = get_redoc_html(openapi_url=schema_url(request), title=f"{app.title} - ReDoc")
        return HTMLResponse(page.body, headers={"Content-Security-Policy": redoc_csp(page.body)})
