"""Default deny for the patient role (docs/PATIENTS.md, docs/SECURITY.md): an app-wide dependency, so
every route, present or future, refuses a patient unless its path is in the patient's own space.

A patient account reaches `/me...`, `/api/me...` (its own record, access log, trials, objection,
export), and signing in and out; every other route answers 403 (the home page `/` sends a browser to
`/me`). Until the patient has replaced the one-time password of their account, only the password page
and signing out are open. This is a list of what a patient MAY use, never of what they may not: a
new staff route is closed to patients without anyone remembering to close it.

A staff account still holding a one-time password from an administrator is held the same way: only
/account/password (and its API twin), signing in and out, until it has chosen its own."""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from oncofed.domain import Actor, Role
from oncofed.errors import N_, OncofedError
from oncofed.web.deps import get_actor
from oncofed.web.errors import Refused

OWN_SPACE = ("/me", "/api/me")  # each covers "/x" and "/x/..."
SESSION_PATHS = frozenset({"/login", "/logout"})
PASSWORD_PATHS = frozenset({"/me/password", "/api/me/password", "/logout"})
# a staff account still holding a one-time password (created or reset by an administrator)
STAFF_PASSWORD_PATHS = frozenset({"/account/password", "/api/account/password", "/logout", "/login"})
# (message, fix, code) of the refusal while a one-time password is held: a new error each time, never shared
PATIENT_PASSWORD_FIRST = (
    N_("set your own password first"),
    N_("sign in at /login and choose a password at /me/password"),
    "auth.patient_password",
)
STAFF_PASSWORD_FIRST = (
    N_("replace the one-time password of your account first"),
    N_("choose a password of your own at /account/password (API: POST /api/account/password)"),
    "auth.staff_password",
)


def in_own_space(path: str) -> bool:
    return path in SESSION_PATHS or any(path == p or path.startswith(p + "/") for p in OWN_SPACE)


async def patient_fence(request: Request) -> None:
    cached: Actor | None = getattr(request.state, "actor", None)
    actor = cached if cached is not None else await run_in_threadpool(get_actor, request)
    if actor.role is not Role.PATIENT:
        if actor.role is not Role.PUBLIC:
            _staff_password_first(request)
        return
    _password_first(request, PASSWORD_PATHS, "/me/password", PATIENT_PASSWORD_FIRST)
    path = request.url.path
    if in_own_space(path):
        return
    if path == "/" and request.method == "GET":
        raise HTTPException(303, "your space", headers={"Location": "/me"})
    raise Refused(
        403,
        OncofedError(
            N_("a patient account opens the patient's own space only"),
            fix=N_("your record, who accessed it, your trials and your choices are at /me"),
            code="auth.patient_space",
        ),
    )


def _staff_password_first(request: Request) -> None:
    """A staff account given a one-time password (users.add_user(one_time=True), changes.reset_in)
    replaces it before anything else: pages go to /account/password, the API answers 403 naming it."""
    _password_first(request, STAFF_PASSWORD_PATHS, "/account/password", STAFF_PASSWORD_FIRST)


def _password_first(
    request: Request, open_paths: frozenset[str], page: str, refusal: tuple[str, str, str]
) -> None:
    """An account that must replace its one-time password reaches only `open_paths`: a browser's page
    request goes to `page`, anything else is refused with `refusal` (403)."""
    path = request.url.path
    user = getattr(request.state, "user", None)
    if not getattr(user, "must_set_password", False) or path in open_paths:
        return
    if request.method == "GET" and not path.startswith("/api"):
        raise HTTPException(303, "set your password first", headers={"Location": page})
    message, fix, code = refusal
    raise Refused(403, OncofedError(message, fix=fix, code=code))
