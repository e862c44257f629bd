"""Accounts on the web for the administrator (docs/SECURITY.md "Accounts on the web"): `/admin/accounts`
lists every account (filters by role, centre and state; CSV), an account's page shows its recent
account-audit entries, and the forms create a staff account, change its scope, disable or enable it and
reset its password (a one-time password shown once). Every change goes through the service the CLI
calls (`oncofed users add|scope|disable|enable|reset-password`), audited as there, with the page's
CSRF token. JSON twins under `/api/admin/accounts`. The administrator only: every other role is
refused (403), and a patient never passes `web/patient_fence.py`."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from oncofed.domain import Actor, Role
from oncofed.errors import OncofedError
from oncofed.presenters.audit_words import entry, sentence_html
from oncofed.presenters.errors import said
from oncofed.presenters.i18n import N_, translator
from oncofed.services.accounts import changes, listing, users
from oncofed.services.accounts.patients import one_time_password
from oncofed.services.network.centres import list_centres
from oncofed.store.db import Database
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_db, get_lang
from oncofed.web.templating import render

router = APIRouter()
Admin = Depends(require_roles(Role.ADMIN))
STAFF_ROLES = [r.value for r in users.ACCOUNT_ROLES if r is not Role.PATIENT]
FILTER = "^[a-z_-]{0,40}$"


class AccountIn(BaseModel):
    username: str = Field(..., max_length=100)
    role: str = Field(..., max_length=40)
    centre_ids: list[str] = Field(default_factory=list, max_length=40)
    name: str = Field("", max_length=200)


class ScopeIn(BaseModel):
    role: str | None = Field(None, max_length=40, description="The new role; omitted: unchanged")
    centre_ids: list[str] | None = Field(
        None, max_length=40, description="The new centres; omitted: unchanged"
    )


# the services' fixes name the CLI's options (`add --centre`); on the page, the form's words instead
WEB_FIXES = {
    "account.centre_needed": N_("tick the account's centre"),
    "account.no_centre": N_("untick every centre: this role sees the network's figures"),
    "account.no_change": N_("choose another role or other centres"),
    "account.unknown_user": N_("choose an account in the list"),
}


def error_said(exc: OncofedError, lang: str) -> dict[str, Any]:
    """The error in the reader's language (presenters.errors.said), its fix said with the page's words."""
    out = said(exc, lang)
    if exc.code in WEB_FIXES:
        out["fix"] = translator(lang).gettext(WEB_FIXES[exc.code])
    return out


def _filters(
    role: str = Query("", pattern=FILTER),
    centre: str = Query("", max_length=100),
    state: str = Query("", pattern="^(|enabled|disabled)$"),
) -> dict[str, str]:
    return {"role": role, "centre": centre.strip(), "state": state}


def _create(db: Database, actor: Actor, body: AccountIn) -> tuple[users.User, str]:
    """`users.add_user` (as `oncofed users add`) with a one-time password to hand over once."""
    secret = one_time_password()
    user = users.add_user(
        db, body.username, body.role, secret, centre_ids=body.centre_ids, display_name=body.name, actor=actor,
        one_time=True,
    )  # fmt: skip
    return user, secret


def _scope(db: Database, actor: Actor, username: str, body: ScopeIn) -> dict[str, Any]:
    user = changes.set_scope(db, username, actor=actor, role=body.role or None, centre_ids=body.centre_ids)
    return listing.account_json(user)


def _list_page(
    request: Request, db: Database, actor: Actor, filters: dict[str, str], **extra: Any
) -> HTMLResponse:
    error = extra.pop("error", None)
    try:
        rows = listing.accounts(db, **{k: v or None for k, v in filters.items()})
    except OncofedError as exc:
        rows, error = [], error or error_said(exc, request.state.lang)
    status = extra.pop("status_code", 422 if error else 200)
    return render(
        request, "admin_accounts.html", status_code=status, actor=actor, rows=rows, filters=filters,
        roles=[r.value for r in users.ACCOUNT_ROLES], staff_roles=STAFF_ROLES, centres=list_centres(db),
        csv_query="&".join(f"{k}={quote(v)}" for k, v in filters.items() if v), error=error, **extra,
    )  # fmt: skip


def _account_page(
    request: Request, db: Database, actor: Actor, username: str, *, status: int = 200, error: Any = None
) -> HTMLResponse:
    lang = request.state.lang
    shown = listing.account(db, username)
    events = [{**r, "detail_html": sentence_html(r, lang)} for r in listing.events(db, shown["username"])]
    return render(
        request, "admin_account.html", status_code=status, actor=actor, a=shown, events=events,
        staff_roles=STAFF_ROLES, centres=list_centres(db), error=error,
    )  # fmt: skip


def _one_time(request: Request, actor: Actor, username: str, secret: str, *, created: bool) -> HTMLResponse:
    return render(
        request, "admin_account_password.html", actor=actor, username=username, secret=secret, created=created
    )


# --- pages -----------------------------------------------------------------------------------------


@router.get("/admin/accounts", response_class=HTMLResponse, include_in_schema=False)
def list_page(
    request: Request,
    filters: dict[str, str] = Depends(_filters),
    format: str = Query("html", pattern="^(html|csv)$"),
    actor: Actor = Admin,
    db: Database = Depends(get_db),
) -> Response:
    if format == "csv":
        rows = listing.accounts(db, **{k: v or None for k, v in filters.items()})
        return csv_response([listing.csv_row(r) for r in rows], listing.COLUMNS, "accounts.csv")
    return _list_page(request, db, actor, filters)


@router.post("/admin/accounts", response_class=HTMLResponse, include_in_schema=False)
def create_page(
    request: Request,
    username: str = Form(..., max_length=100),
    role: str = Form(..., max_length=40),
    centre: list[str] = Form([], max_length=40),
    name: str = Form("", max_length=200),
    actor: Actor = Admin,
    db: Database = Depends(get_db),
) -> Response:
    try:
        user, secret = _create(
            db, actor, AccountIn(username=username, role=role, centre_ids=centre, name=name)
        )
    except OncofedError as exc:
        error = error_said(exc, request.state.lang)
        form = {"username": username, "role": role, "centre": centre, "name": name}
        no_filter = {"role": "", "centre": "", "state": ""}
        return _list_page(request, db, actor, no_filter, error=error, form=form, status_code=422)
    return _one_time(request, actor, user.username, secret, created=True)


@router.get("/admin/accounts/{username}", response_class=HTMLResponse, include_in_schema=False)
def account_page(
    request: Request, username: str, actor: Actor = Admin, db: Database = Depends(get_db)
) -> Response:
    return _account_page(request, db, actor, username)


@router.post("/admin/accounts/{username}/scope", response_class=HTMLResponse, include_in_schema=False)
def scope_page(
    request: Request,
    username: str,
    role: str = Form("", max_length=40),
    centre: list[str] = Form([], max_length=40),
    actor: Actor = Admin,
    db: Database = Depends(get_db),
) -> Response:
    try:  # the form sends the whole scope: its role and every centre ticked (none: no centre)
        _scope(db, actor, username, ScopeIn(role=role or None, centre_ids=centre))
    except OncofedError as exc:
        return _account_page(
            request, db, actor, username, status=422, error=error_said(exc, request.state.lang)
        )
    return RedirectResponse(f"/admin/accounts/{quote(username)}?done=scope", status_code=303)


@router.post("/admin/accounts/{username}/{change}", response_class=HTMLResponse, include_in_schema=False)
def state_page(
    request: Request, username: str, change: str, actor: Actor = Admin, db: Database = Depends(get_db)
) -> Response:
    """`disable`, `enable` (as `oncofed users disable|enable`) or `password` (a new one-time password)."""
    if change not in ("disable", "enable", "password"):
        return _account_page(request, db, actor, username, status=404)
    try:
        if change == "password":
            secret = changes.reset_password(db, username, actor=actor)
            return _one_time(request, actor, users.get_user(db, username).username, secret, created=False)
        users.set_disabled(db, username, change == "disable", actor=actor)
    except OncofedError as exc:
        return _account_page(
            request, db, actor, username, status=422, error=error_said(exc, request.state.lang)
        )
    return RedirectResponse(f"/admin/accounts/{quote(username)}?done={change}", status_code=303)


# --- JSON twins ------------------------------------------------------------------------------------


@router.get(
    "/api/admin/accounts", tags=["accounts"], summary="Every account: role, centres, state (administrator)"
)
def list_api(
    filters: dict[str, str] = Depends(_filters),
    format: str = Query("json", pattern="^(json|csv)$"),
    actor: Actor = Admin,
    db: Database = Depends(get_db),
) -> Any:
    rows = listing.accounts(db, **{k: v or None for k, v in filters.items()})
    if format == "csv":
        return csv_response([listing.csv_row(r) for r in rows], listing.COLUMNS, "accounts.csv")
    return {"accounts": rows}


@router.post("/api/admin/accounts", status_code=201, tags=["accounts"],
             summary="Create a staff account; its one-time password is shown once")  # fmt: skip
def create_api(body: AccountIn, actor: Actor = Admin, db: Database = Depends(get_db)) -> dict[str, Any]:
    user, secret = _create(db, actor, body)
    return {**listing.account_json(user), "one_time_password": secret}


@router.get("/api/admin/accounts/{username}", tags=["accounts"],
            summary="One account and its recent account-management audit entries")  # fmt: skip
def account_api(
    username: str, actor: Actor = Admin, db: Database = Depends(get_db), lang: str = Depends(get_lang)
) -> dict[str, Any]:
    shown = listing.account(db, username)
    return {"account": shown, "events": [entry(r, lang) for r in listing.events(db, shown["username"])]}


@router.post("/api/admin/accounts/{username}/scope", tags=["accounts"],
             summary="Change a staff account's role and/or centres (its sessions end if its rights shrink)")  # fmt: skip
def scope_api(
    username: str, body: ScopeIn, actor: Actor = Admin, db: Database = Depends(get_db)
) -> dict[str, Any]:
    return _scope(db, actor, username, body)


@router.post("/api/admin/accounts/{username}/disable", tags=["accounts"],
             summary="Disable an account: its sessions end, its API tokens are revoked")  # fmt: skip
def disable_api(username: str, actor: Actor = Admin, db: Database = Depends(get_db)) -> dict[str, Any]:
    return listing.account_json(users.set_disabled(db, username, True, actor=actor))


@router.post(
    "/api/admin/accounts/{username}/enable", tags=["accounts"], summary="Re-enable a disabled account"
)
def enable_api(username: str, actor: Actor = Admin, db: Database = Depends(get_db)) -> dict[str, Any]:
    return listing.account_json(users.set_disabled(db, username, False, actor=actor))


@router.post("/api/admin/accounts/{username}/password", tags=["accounts"],
             summary="Reset an account's password: a one-time password shown once; its sessions end")  # fmt: skip
def password_api(username: str, actor: Actor = Admin, db: Database = Depends(get_db)) -> dict[str, Any]:
    secret = changes.reset_password(db, username, actor=actor)
    return {"username": users.get_user(db, username).username, "one_time_password": secret}
