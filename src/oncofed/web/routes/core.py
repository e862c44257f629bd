"""Health, API docs (served offline) and the language switch."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import text

from oncofed import __version__
from oncofed.store.db import Database
from oncofed.web.deps import get_db

router = APIRouter()

DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'"
)


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
    """Swagger UI served from the swagger-ui-bundle package (no CDN)."""
    html = get_swagger_ui_html(
        openapi_url="/api/openapi.json",
        title="oncofed API",
        swagger_js_url="/static-swagger/swagger-ui-bundle.js",
        swagger_css_url="/static-swagger/swagger-ui.css",
        swagger_favicon_url="/static-swagger/favicon-32x32.png",
    )
    html.headers["Content-Security-Policy"] = DOCS_CSP
    return html
