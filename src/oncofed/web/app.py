"""The FastAPI application: routers discovered from `oncofed/web/routes/`, one module per area."""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Awaitable, Callable, Mapping

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from oncofed import __version__
from oncofed.config import load_settings
from oncofed.errors import InputError, NotFound, OncofedError
from oncofed.presenters.i18n import pick_language
from oncofed.store.db import Database
from oncofed.web import auth
from oncofed.web import routes as routes_pkg
from oncofed.web.errors import Refused, error_json, error_page
from oncofed.web.uploads import UploadGuard

STATIC_DIR = __file__.rsplit("/", 1)[0] + "/static"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def create_app(db: Database | None = None) -> FastAPI:
    app = FastAPI(
        title="oncofed",
        version=__version__,
        description="Trials, matching, quality and trust for a network of comprehensive cancer centres.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.db = db or Database(load_settings().database_url)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(UploadGuard)  # import uploads: size and type checked as they stream, before any write
    auth.install(app)  # actor resolver (session cookie / bearer token), app-wide CSRF check, audit context

    @app.middleware("http")
    async def language_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.state.lang = pick_language(
            request.query_params.get("lang"),
            request.cookies.get("lang"),
            request.headers.get("accept-language"),
        )
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if request.query_params.get("lang") in ("en", "fr"):
            response.set_cookie(
                "lang", request.state.lang, samesite="lax", httponly=True, max_age=3600 * 24 * 365
            )
        return response

    def _error(
        request: Request,
        status: int,
        message: str,
        fix: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        if _wants_html(request):
            return error_page(request, status, message, fix, headers)
        body: dict[str, object] = {"detail": message}
        if fix:
            body["fix"] = fix
        return JSONResponse(body, status_code=status)

    def _refused(request: Request, status: int, exc: OncofedError) -> Response:
        """A service's error in the request's language: a page for browsers, else JSON with its code."""
        if _wants_html(request):
            return error_page(request, status, exc.message, exc.fix, None, error=exc)
        return error_json(request, exc, status)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _refused(request, 404, exc)

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> Response:
        return _refused(request, 422, exc)

    @app.exception_handler(OncofedError)
    async def oncofed_error(request: Request, exc: OncofedError) -> Response:
        return _refused(request, getattr(exc, "status", 400), exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if isinstance(
            exc, Refused
        ):  # a coded refusal: who may not (web/auth.py), an upload stopped as it streamed
            response = _refused(request, exc.status_code, exc.error)
            for key, value in (exc.headers or {}).items():
                response.headers.setdefault(key, value)
            return response
        if exc.status_code == 404 and _wants_html(request):
            return _error(request, 404, f"no page at {request.url.path}")
        if exc.status_code >= 400 and _wants_html(request):  # 401, 403, 405...: a page, not raw JSON
            return _error(request, exc.status_code, str(exc.detail), headers=exc.headers)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        """A bug: logged with a reference the person can quote; a page for browsers, JSON otherwise."""
        import logging
        import secrets

        reference = secrets.token_hex(4)
        logging.getLogger("oncofed.web").exception("unhandled error %s on %s", reference, request.url.path)
        if not hasattr(request.state, "lang"):
            request.state.lang = pick_language(
                None, request.cookies.get("lang"), request.headers.get("accept-language")
            )
        if _wants_html(request):
            return error_page(request, 500, "", None, None, reference=reference)
        return JSONResponse({"detail": f"internal error (reference {reference})"}, status_code=500)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if _wants_html(request):  # a page: what to correct, in the user's language (web/validation.py)
            from oncofed.web.validation import page_message

            message, fix = page_message(getattr(request.state, "lang", "en"), exc.errors())
            return error_page(request, 422, message, fix, None)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
        )
        # an error's `ctx` may hold the exception itself (a ValueError): said as its text, never a 500
        errors = json.loads(json.dumps(exc.errors(), default=str))
        return JSONResponse({"detail": f"invalid request: {problems}", "errors": errors}, status_code=422)

    for info in sorted(pkgutil.iter_modules(routes_pkg.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{routes_pkg.__name__}.{info.name}")
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)
    return app
