"""A staff member's own password on the web (docs/SECURITY.md "Accounts on the web"): `/account/password`
(page + form) and its JSON twin `POST /api/account/password`, for every signed-in staff role (a patient has
`/me/password`). The same service as the patient's (`patients.set_own_password`): the current password
checked, the policy of `users.hash_password`, every other session of the account ended, audited
(`account.password_own`). A staff account given a one-time password by an administrator is held on this
page until it has chosen its own (web/patient_fence.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError, OncofedError
from oncofed.presenters.errors import said as error_said
from oncofed.services.accounts.patients import set_own_password
from oncofed.store.db import Database
from oncofed.web.auth import SESSION_COOKIE, require_roles
from oncofed.web.deps import get_db, get_lang
from oncofed.web.templating import render

router = APIRouter()
STAFF_ROLES = tuple(r for r in Role if r not in (Role.PUBLIC, Role.PATIENT, Role.SYSTEM))
Staff = Depends(require_roles(*STAFF_ROLES))


class OwnPasswordIn(BaseModel):
    current: str = Field(..., max_length=1000)
    password: str = Field(..., max_length=1000)
    again: str | None = Field(None, max_length=1000, description="the new password typed twice (optional)")


def _change(
    db: Database, actor: Actor, current: str, password: str, again: str | None, keep: str | None
) -> None:
    if not password:
        raise InputError(N_("the new password is empty"), field="password", fix=N_("type a password"),
                         code="account.password_empty")  # fmt: skip
    if again is not None and password != again:
        raise InputError(
            N_("the two new passwords differ"), field="again", fix=N_("type the same password twice"),
            code="account.passwords_differ",
        )  # fmt: skip
    set_own_password(db, actor.user_id, current, password, actor=actor, keep_session=keep)


def _page(request: Request, actor: Actor, status: int = 200, error: object = None) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    return render(
        request, "account_password.html", status_code=status, actor=actor, error=error,
        must_change=bool(getattr(user, "must_set_password", False)), done=request.query_params.get("done") == "1",
    )  # fmt: skip


@router.get("/account/password", response_class=HTMLResponse, include_in_schema=False)
def password_page(request: Request, actor: Actor = Staff) -> HTMLResponse:
    return _page(request, actor)


@router.post("/account/password", include_in_schema=False)
def password_change(
    request: Request,
    current: str = Form(..., max_length=1000),
    password: str = Form(..., max_length=1000),
    again: str = Form(..., max_length=1000),
    actor: Actor = Staff,
    db: Database = Depends(get_db),
    lang: str = Depends(get_lang),
) -> Response:
    try:
        _change(db, actor, current, password, again, request.cookies.get(SESSION_COOKIE))
    except OncofedError as exc:
        return _page(request, actor, 422, error_said(exc, lang))
    return RedirectResponse("/account/password?done=1", status_code=303)


@router.post("/api/account/password", status_code=204, tags=["accounts"],
             summary="Replace my own password (a staff account; a one-time password must be replaced first)")  # fmt: skip
def password_api(
    request: Request, body: OwnPasswordIn, actor: Actor = Staff, db: Database = Depends(get_db)
) -> Response:
    _change(db, actor, body.current, body.password, body.again, request.cookies.get(SESSION_COOKIE))
    return Response(status_code=204)
