"""Error pages for browsers (issue 18): 401, 403, 404, 422 and 500 in the user's language, saying
what to do on the web (a link, a page to go back to), never a command-line instruction. API clients
keep getting JSON (web/app.py decides who is a browser)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException

from oncofed.errors import OncofedError
from oncofed.presenters.errors import said, sentence
from oncofed.presenters.i18n import N_
from oncofed.web.templating import render

# the area of a path -> (the help line, where to go): what to do when something there fails
AREAS: list[tuple[str, str, str]] = [
    ("/patients", N_("Search your patients"), "/patients"),
    ("/prescreen", N_("Back to your pre-screening lists"), "/prescreen"),
    ("/trial-setup", N_("Back to trial set-up"), "/trial-setup"),
    ("/trials", N_("Search the trial registry"), "/trials"),
    ("/centres", N_("See the network's centres"), "/centres"),
    ("/quality", N_("Back to the quality indicators"), "/quality"),
    ("/recruitment", N_("Back to recruitment"), "/recruitment"),
    ("/boards", N_("Back to the tumour boards"), "/boards"),
    ("/admin/accounts", N_("Back to the accounts"), "/admin/accounts"),
]
# status -> (title, what happened and what to do)
TEXTS = {
    401: (N_("Please sign in"), N_("This page is for the network's staff: sign in to open it.")),
    403: (
        N_("Not available to your role"),
        N_(
            "Your role (%(role)s) cannot open this page. Sign in with an account that has the right role, or ask your centre's administrator."
        ),
    ),
    404: (
        N_("Page not found"),
        N_("Nothing here at %(path)s: the link may be old, or the record is not in your centres."),
    ),
    405: (
        N_("Not possible here"),
        N_("This address cannot be used that way: go back and use the page's buttons."),
    ),
    409: (
        N_("Someone changed this meanwhile"),
        N_("Reload the page, check the other change, then try again."),
    ),
    413: (N_("Too large to upload"), N_("The upload was stopped before anything was kept:")),
    415: (N_("A file of the wrong type"), N_("The upload was stopped before anything was kept:")),
    422: (N_("Please check what you entered"), N_("Something in the request cannot be used:")),
    500: (
        N_("Something went wrong on our side"),
        N_(
            "The error was recorded. Try again in a moment; if it happens again, tell your administrator and quote the reference below."
        ),
    ),
}
KNOWN = set(TEXTS)
# a form sent with a missing or stale CSRF token (web/auth.require_csrf: a tab left open across a new sign-in,
# a server restart): a 403 that is no question of role, said as what it is
EXPIRED = (
    N_("The form expired"),
    N_(
        "The page was open too long, or you signed in again meanwhile: go back, reload the page and submit the form again."
    ),
)


def came_from(request: Request) -> str:
    """The page the browser came from (its `Referer`), when it is a page of this site other than the one
    that failed; "" otherwise (a link from elsewhere, an address typed, a browser that sends none)."""
    referer = request.headers.get("referer", "")
    if not referer:
        return ""
    parts = urlsplit(referer)
    if parts.netloc != request.url.netloc or parts.scheme not in ("http", "https"):
        return ""
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//") or path.startswith("/api/"):
        return ""
    here = path + ("?" + parts.query if parts.query else "")
    if path == request.url.path and request.method == "GET":
        return ""
    return here


def _is_command_advice(text: str | None) -> bool:
    """Fixes written for the command line ("run `oncofed ...`") mean nothing in a browser."""
    return bool(text) and ("`" in str(text) or "oncofed " in str(text))


def error_page(
    request: Request,
    status: int,
    message: str,
    fix: str | None,
    headers: Mapping[str, str] | None,
    *,
    reference: str = "",
    error: OncofedError | None = None,
    back: str = "",
) -> HTMLResponse:
    """The page of an error: what happened in the reader's language (a service's `error` said with its
    code's words), what to do, and a way back: `back` (the page the action was on), else the page the
    browser came from (same site only), plus the section's list."""
    code = status if status in KNOWN else (500 if status >= 500 else 422)
    help_text, help_href = N_("Go to your home page"), "/"
    for prefix, line, href in AREAS:
        if request.url.path == prefix or request.url.path.startswith(prefix + "/"):
            help_text, help_href = line, href
            break
    coded = error is not None and bool(error.code)
    if error is not None:
        words = said(error, getattr(request.state, "lang", "en"))
        message, fix = words["message"], words["fix"]
        if coded:  # the service's words as sentences
            message, fix = sentence(message), sentence(fix)
    # a 404's and a 500's own text is technical (often English, sometimes a command): the page says it
    # in the user's words; bad input (422, 400, 409) and a coded error keep the message, which names what
    # was refused and the fix
    said_here = code in (400, 409, 413, 415, 422) or (coded and code == 404)
    expired = code == 403 and message.startswith("CSRF token")
    title_text, error_text = EXPIRED if expired else TEXTS[code]
    response = render(
        request,
        "error.html",
        status_code=status,
        code=code,
        expired=expired,
        title_text=title_text,
        error_text=error_text,
        message=message if said_here else "",
        fix=None if _is_command_advice(fix) or not said_here else fix,
        help_text=help_text,
        help_href=help_href,
        back_href=back or came_from(request),
        reference=reference,
        requested=request.url.path,
    )
    for key, value in (headers or {}).items():
        if key.lower() != "content-type":
            response.headers[key] = value
    return response


def error_json(request: Request, exc: OncofedError, status: int) -> JSONResponse:
    """A service's error for API clients, in the request's language: `detail` (the message) and `fix`,
    with the error's `code` and `params` (and the input's `field`) for programs (`presenters/errors`)."""
    return JSONResponse(error_body(request, exc), status_code=status)


def error_body(request: Request, exc: OncofedError) -> dict[str, object]:
    """`error_json`'s body, for a response that adds its own fields to it (an import's report)."""
    words = said(exc, getattr(request.state, "lang", "en"))
    body: dict[str, object] = {"detail": words["message"]}
    if words["fix"]:
        body["fix"] = words["fix"]
    if words["code"]:
        body.update(code=words["code"], params=words["params"])
    if words.get("field"):
        body["field"] = words["field"]
    return body


class Refused(HTTPException):
    """An HTTP refusal (401, 403, 413, 415) carrying the coded error that the app's handler says in the
    reader's language (a page for a browser, JSON with `code` and `params` for the API), its headers kept."""

    def __init__(self, status: int, error: OncofedError, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status_code=status, detail=error.message, headers=dict(headers or {}) or None)
        self.error = error
