"""Error pages for browsers (issue 18): 401, 403, 404, 422 and 500 in the user's language, saying
what to do on the web (a link, a page to go back to), never a command-line instruction. API clients
keep getting JSON (web/app.py decides who is a browser)."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request
from fastapi.responses import HTMLResponse

from oncofed.web.templating import render

# the area of a path -> (i18n key of the help line, where to go): what to do when something there fails
AREAS: list[tuple[str, str, str]] = [
    ("/patients", "wd_err_help_patients", "/patients"),
    ("/prescreen", "wd_err_help_prescreen", "/prescreen"),
    ("/trial-setup", "wd_err_help_setup", "/trial-setup"),
    ("/trials", "wd_err_help_trials", "/trials"),
    ("/centres", "wd_err_help_centres", "/centres"),
    ("/quality", "wd_err_help_quality", "/quality"),
    ("/recruitment", "wd_err_help_recruitment", "/recruitment"),
    ("/boards", "wd_err_help_boards", "/boards"),
]
KNOWN = {401, 403, 404, 405, 409, 422, 500}


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
) -> HTMLResponse:
    code = status if status in KNOWN else (500 if status >= 500 else 422)
    help_key, help_href = "wd_err_help_home", "/"
    for prefix, key, href in AREAS:
        if request.url.path == prefix or request.url.path.startswith(prefix + "/"):
            help_key, help_href = key, href
            break
    # a 404's and a 500's own text is technical (often English, sometimes a command): the page says it
    # in the user's words; bad input (422, 400, 409) keeps the message, which names the field and the fix
    shown = message if code in (400, 409, 422) else ""
    response = render(
        request,
        "error.html",
        status_code=status,
        code=code,
        title_key=f"wd_err_{code}_title",
        text_key=f"wd_err_{code}_text",
        message=shown,
        fix=None if _is_command_advice(fix) or code not in (400, 409, 422) else fix,
        help_key=help_key,
        help_href=help_href,
        reference=reference,
        requested=request.url.path,
    )
    for key, value in (headers or {}).items():
        if key.lower() != "content-type":
            response.headers[key] = value
    return response
