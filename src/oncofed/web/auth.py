"""Who is calling, and CSRF protection, for every route.

- `resolve_actor` (installed as `app.state.actor_resolver`, read by `deps.get_actor`): a bearer
  token (`Authorization: Bearer ofd_...`, for scripts) or the session cookie -> the user's `Actor`;
  nobody -> the public actor. An invalid bearer token is a 401, never a silent downgrade.
- CSRF: a synchroniser token per session (`user_sessions.csrf_token`); before login, a double-submit
  cookie. `require_csrf` runs on every route (installed as an app-wide dependency) and checks every
  unsafe request that carries the session cookie: the form field `csrf_token` or the header
  `X-CSRF-Token` must equal the session's token. Requests without the cookie carry no ambient
  credential, so there is nothing to forge (the login form checks its own double-submit token).
  Templates write the field with `{{ csrf_input() }}`; scripts read `<meta name="csrf-token">`.
- `LoginLimiter`: failed logins per (address, account), per address and per account, in a sliding
  window, accounts keyed by their canonical username.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from collections import deque
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request
from jinja2 import pass_context
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oncofed.domain import Actor, Role
from oncofed.errors import N_, OncofedError
from oncofed.services.accounts import users as accounts
from oncofed.store.audit import audit_context
from oncofed.web.deps import get_actor
from oncofed.web.errors import Refused

SESSION_COOKIE = "oncofed_session"
CSRF_COOKIE = "oncofed_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _db(request: Request) -> Any:
    return request.app.state.db


def resolve_actor(request: Request) -> Actor:
    """The caller of this request (cached on the request)."""
    cached: Actor | None = getattr(request.state, "actor", None)
    if cached is not None:
        return cached
    actor = Actor.public()
    auth = request.headers.get("authorization")
    if auth is not None:
        # any Authorization header is a claim to be someone: one that is not `Bearer <token>` is
        # refused (401), never read as "no credentials" (the public role)
        scheme, _, raw_token = auth.strip().partition(" ")
        user = (
            accounts.token_user(_db(request), raw_token.strip())
            if scheme.lower() == "bearer" and raw_token.strip()
            else None
        )
        if user is None:
            raise HTTPException(
                401,
                "invalid, expired or revoked API token (send `Authorization: Bearer ofd_...`)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        actor = user.actor()
        request.state.user = user
    elif raw := request.cookies.get(SESSION_COOKIE):
        found = accounts.session_user(_db(request), raw)
        if found is not None:
            request.state.user, request.state.session_csrf = found
            actor = found[0].actor()
    request.state.actor = actor
    return actor


def csrf_token(request: Request) -> str:
    """The token a form of this page must send back: the session's, or the pre-login cookie's."""
    if SESSION_COOKIE in request.cookies:
        with contextlib.suppress(HTTPException):  # an invalid bearer token is reported by the route
            resolve_actor(request)
        session_token: str | None = getattr(request.state, "session_csrf", None)
        if session_token:
            return session_token
    token: str | None = getattr(request.state, "csrf_cookie", None)
    if not token:
        token = request.state.csrf_cookie = secrets.token_urlsafe(32)
        request.state.csrf_cookie_new = True
    return token


def csrf_matches(request: Request, sent: str | None) -> bool:
    expected = csrf_token(request)
    # as bytes: compare_digest refuses str with non-ASCII characters (a forged token was a 500)
    return bool(sent) and secrets.compare_digest(str(sent).encode("utf-8"), expected.encode("utf-8"))


async def check_credentials(request: Request) -> None:
    """App-wide: a request carrying an `Authorization` header is resolved on every route, so a bad
    or malformed credential is a 401 even on public pages (never silently served as the public)."""
    if "authorization" in request.headers:
        await run_in_threadpool(get_actor, request)


async def require_csrf(request: Request) -> None:
    """App-wide dependency (usable explicitly too: `dependencies=[Depends(require_csrf)]`)."""
    if request.method in SAFE_METHODS or SESSION_COOKIE not in request.cookies:
        return
    sent = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if not sent and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not await run_in_threadpool(csrf_matches, request, sent):
        raise HTTPException(403, "CSRF token missing or wrong: reload the page and submit the form again")


@pass_context
def _csrf_input(context: Any) -> Markup:
    token = csrf_token(context["request"])
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


@pass_context
def _csrf_meta(context: Any) -> str:
    return csrf_token(context["request"])


class CsrfCookieAndAuditContext:
    """ASGI middleware: reads the pre-login CSRF cookie (setting one when a page issued a new token)
    and tells the audit log which request is reading patient data."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        request = Request(scope)
        state["csrf_cookie"] = request.cookies.get(CSRF_COOKIE)
        secure = scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and state.get("csrf_cookie_new"):
                cookie = (
                    f"{CSRF_COOKIE}={state['csrf_cookie']}; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400"
                    + ("; Secure" if secure else "")
                )
                message.setdefault("headers", []).append((b"set-cookie", cookie.encode("latin-1")))
            await send(message)

        token = audit_context.set(f"{scope['method']} {scope['path']}")
        try:
            await self.app(scope, receive, send_with_cookie)
        finally:
            audit_context.reset(token)


class LoginLimiter:
    """Failed logins in a sliding window: at most `per_user` per (address, account), `per_address` per
    address and `per_account` per account from any address. Accounts are keyed by
    `accounts.canonical_username`, the same form authentication looks up, so " admin", "ADMIN" or
    "admin\t" share the lock of "admin". The address is the socket's peer unless the server was told
    to trust a proxy (`ONCOFED_TRUSTED_PROXIES`, off by default), so a forged `X-Forwarded-For` does not
    make a new address. In memory, per process (one uvicorn worker by default); a success clears the
    (address, account) pair only."""

    def __init__(
        self, per_user: int = 5, per_address: int = 30, per_account: int = 20, window_s: float = 900.0
    ) -> None:
        self.per_user, self.per_address, self.per_account = per_user, per_address, per_account
        self.window = window_s
        self._fails: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        q = self._fails.setdefault(key, deque())
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def _keys(self, address: str, username: str) -> list[tuple[tuple[str, str], int]]:
        name = accounts.canonical_username(username)
        return [
            ((address, name), self.per_user),
            ((address, ""), self.per_address),
            (("*", name), self.per_account),
        ]

    def retry_after(self, address: str, username: str) -> int:
        """Seconds to wait before the next attempt; 0 when an attempt is allowed now."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key, limit in self._keys(address, username):
                q = self._recent(key, now)
                if len(q) >= limit:
                    waits.append(int(q[len(q) - limit] + self.window - now) + 1)
            return max(waits, default=0)

    def failed(self, address: str, username: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key, _ in self._keys(address, username):
                self._recent(key, now).append(now)

    def succeeded(self, address: str, username: str) -> None:
        with self._lock:
            self._fails.pop((address, accounts.canonical_username(username)), None)


def set_session_cookie(response: Any, request: Request, raw: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        max_age=accounts.SESSION_HOURS * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def install(app: FastAPI) -> None:
    """Wire authentication into `app` (called by create_app before the routers are included)."""
    from oncofed.web.templating import templates

    app.state.actor_resolver = resolve_actor
    app.state.login_limiter = LoginLimiter()
    app.router.dependencies.append(Depends(check_credentials))
    app.router.dependencies.append(Depends(require_csrf))
    from oncofed.web.patient_fence import patient_fence  # the patient role: its own space only

    app.router.dependencies.append(Depends(patient_fence))
    app.add_middleware(CsrfCookieAndAuditContext)
    templates.env.globals["csrf_input"] = _csrf_input
    templates.env.globals["csrf_token"] = _csrf_meta


def require_roles(*roles: Role) -> Any:
    """Dependency for routes limited to some roles: `actor: Actor = Depends(require_roles(Role.DPO))`.
    Nobody logged in -> 401 (pages redirect to /login); another role -> 403. The route's existence is
    public, so 403 tells nothing; patient records themselves answer 404 (see PatientRepository)."""
    allowed = frozenset(roles)

    def dependency(request: Request, actor: Actor = Depends(get_actor)) -> Actor:
        refusal = role_refusal(request, actor, allowed)
        if refusal is not None:
            raise refusal
        return actor

    return dependency


def role_refusal(request: Request, actor: Actor, allowed: frozenset[Role]) -> StarletteHTTPException | None:
    """Why `actor` may not use a route limited to `allowed` (None when they may): nobody logged in ->
    401 (a page's GET redirects to /login), another role -> 403. Also asked by the upload guard
    (web/uploads.py) before an upload's body is read."""
    if actor.role in allowed:
        return None
    if actor.role is Role.PUBLIC:
        if not request.url.path.startswith("/api") and request.method == "GET":
            # quoted: a header is latin-1, and a path with other characters was a 500
            target = quote(request.url.path, safe="/")
            return HTTPException(303, "log in first", headers={"Location": f"/login?next={target}"})
        signed_out = OncofedError(
            N_("log in first"),
            fix=N_("sign in at /login (a script sends its API token in the header %(header)s)"),
            code="auth.sign_in",
            params={"header": "Authorization: Bearer ofd_..."},
        )
        return Refused(401, signed_out, headers={"WWW-Authenticate": "Bearer"})
    other_role = OncofedError(
        N_("not available to the %(role)s role"),
        fix=N_("ask an administrator for an account with the right role"),
        code="auth.role",
        params={"role": actor.role.value},
    )
    return Refused(403, other_role)
