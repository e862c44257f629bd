"""Health, API docs (served offline) and the language switch."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import text

from oncofed import __version__
from oncofed.store.db import Database
from oncofed.web.deps import get_db

router = APIRouter()

# Swagger UI sets inline styles on its elements; scripts come from our own files only.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'"
)
DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>oncofed API</title>
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css">
<link rel="icon" type="image/png" href="/static/swagger-ui/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


@router.get("/api/health", tags=["core"], summary="Liveness and database check")
def health(db: Database = Depends(get_db)) -> JSONResponse:
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        up_to_date = db.is_up_to_date()
        return JSONResponse(
            {"status": "ok", "version": __version__, "database": db.backend, "schema_up_to_date": up_to_date}
        )
    except Exception as exc:  # noqa: BLE001 - health must report, not crash
        return JSONResponse({"status": "error", "version": __version__, "error": str(exc)}, status_code=503)


@router.get("/docs", include_in_schema=False)
def docs(request: Request) -> HTMLResponse:
    """Swagger UI 5 (reads OpenAPI 3.1) from the project's static files: no CDN, no inline script."""
    html = HTMLResponse(DOCS_PAGE)
    html.headers["Content-Security-Policy"] = DOCS_CSP
    return html
