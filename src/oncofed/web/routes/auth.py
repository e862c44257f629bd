"""Log in, log out, and "who am I" (the JSON twin for scripts holding a bearer token)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from oncofed.domain import Actor, Role
from oncofed.presenters.i18n import N_, NN_, Message
from oncofed.services.accounts import users as accounts
from oncofed.store.db import Database
from oncofed.web import auth
from oncofed.web.deps import get_actor, get_db
from oncofed.web.nav import app_paths
from oncofed.web.templating import render

router = APIRouter()

# Where each role lands after logging in (the first of these pages that exists).
# "/" is each role's own landing page (web/landing.py, issue 18): a clinician's patients and new
# matches, research staff's queues, a trial manager's recruitment and trials to open, the quality
# manager's indicators, the DPO's audit log; HR roles go to the pay grid.
LANDING = {
    Role.CLINICIAN: ("/",),
    Role.RESEARCH_STAFF: ("/",),
    Role.TRIAL_MANAGER: ("/",),
    Role.QUALITY_MANAGER: ("/",),
    Role.DPO: ("/",),
    Role.ADMIN: ("/",),
    Role.FEDERATION_HR: ("/federation",),
    Role.CENTRE_HR: ("/federation",),
    Role.PATIENT: ("/me",),
}


def _safe_next(value: str | None) -> str | None:
    """Only same-site paths: no scheme, no `//host`, no backslash tricks."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")) and "\n" not in value:
        return value
    return None


def _landing(request: Request, role: Role) -> str:
    paths = app_paths(request.app)
    return next((p for p in LANDING.get(role, ()) if p in paths), "/")


def _login_page(
    request: Request,
    status: int = 200,
    error: Message | None = None,
    next_path: str | None = None,
    **extra: Any,
) -> HTMLResponse:
    target = _safe_next(next_path if next_path is not None else request.query_params.get("next"))
    return render(request, "login.html", status_code=status, error=error, next=target or "", **extra)


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request) -> HTMLResponse:
    return _login_page(request)


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    username: str = Form(..., max_length=100),
    password: str = Form(..., max_length=1000),
    csrf_token: str = Form(""),
    next: str = Form(""),
    db: Database = Depends(get_db),
) -> Response:
    if not auth.csrf_matches(request, csrf_token):
        return _login_page(request, 403, N_("The form expired. Reload the page and try again."), next)
    limiter: auth.LoginLimiter = request.app.state.login_limiter
    address = request.client.host if request.client else "?"
    wait = limiter.retry_after(address, username)
    if wait:
        response = _login_page(
            request,
            429,
            NN_(
                "Too many failed attempts: wait %(num)s second and try again.",
                "Too many failed attempts: wait %(num)s seconds and try again.",
            ),
            next,
            wait=wait,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    user = accounts.authenticate(db, username, password)
    if user is None:
        limiter.failed(address, username)
        return _login_page(request, 401, N_("Wrong username or password, or the account is disabled."), next)
    limiter.succeeded(address, username)
    raw, _ = accounts.start_session(db, user)
    target = _safe_next(next) or _landing(request, user.role)
    redirect = RedirectResponse(target, status_code=303)
    auth.set_session_cookie(redirect, request, raw)
    return redirect


@router.post("/logout", include_in_schema=False)
async def logout(request: Request, db: Database = Depends(get_db)) -> Response:
    """Ends the session (the app-wide CSRF check has already verified the form's token)."""
    raw = request.cookies.get(auth.SESSION_COOKIE)
    if raw:
        await run_in_threadpool(accounts.end_session, db, raw)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


@router.get("/api/me", tags=["accounts"], summary="Who the caller is: role, centre scope, purpose")
def me(actor: Actor = Depends(get_actor)) -> dict[str, Any]:
    return {
        "user": actor.user_id,
        "role": actor.role.value,
        "centre_ids": sorted(actor.centre_ids),
        "purpose": actor.purpose,
        "authenticated": actor.role is not Role.PUBLIC,
        # a patient account's own record (its space: /me, /api/me/...): said for that role only
        **({"patient_id": actor.patient_id} if actor.role is Role.PATIENT else {}),
    }
