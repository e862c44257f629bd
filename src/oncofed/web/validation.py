"""A request that FastAPI's validation refuses (`/trials?page=0`, `/patients?page=99999999`, a form
field too long), said in the user's language for a browser: which field, what it must be, what was
sent, and what to do. API clients keep FastAPI's JSON (web/app.py decides who is a browser).

Pydantic's messages are English and name internal locations ("query.page"); each error type here
has its own sentence (English source text, translated through the gettext catalogues), with the limit from the error's
context (pydantic-core's documented error types and `ctx` keys)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from oncofed.presenters.i18n import N_, translator

# pydantic-core error type -> (the sentence, the ctx key holding the limit or the expected values)
MESSAGES: dict[str, tuple[str, str]] = {
    "greater_than_equal": (N_("“%(field)s” must be at least %(limit)s."), "ge"),
    "greater_than": (N_("“%(field)s” must be more than %(limit)s."), "gt"),
    "less_than_equal": (N_("“%(field)s” must be at most %(limit)s."), "le"),
    "less_than": (N_("“%(field)s” must be less than %(limit)s."), "lt"),
    "string_too_long": (N_("“%(field)s” is too long: at most %(limit)s characters."), "max_length"),
    "string_too_short": (N_("“%(field)s” is too short: at least %(limit)s characters."), "min_length"),
    "too_long": (N_("“%(field)s” has too many values: at most %(limit)s."), "max_length"),
    "string_pattern_mismatch": (N_("“%(field)s” is not in the expected form."), ""),
    "int_parsing": (N_("“%(field)s” must be a whole number."), ""),
    "int_from_float": (N_("“%(field)s” must be a whole number."), ""),
    "float_parsing": (N_("“%(field)s” must be a number."), ""),
    "decimal_parsing": (N_("“%(field)s” must be a number."), ""),
    "bool_parsing": (N_("“%(field)s” must be yes or no."), ""),
    "date_parsing": (N_("“%(field)s” must be a date (YYYY-MM-DD)."), ""),
    "date_from_datetime_parsing": (N_("“%(field)s” must be a date (YYYY-MM-DD)."), ""),
    "datetime_parsing": (N_("“%(field)s” must be a date (YYYY-MM-DD)."), ""),
    "missing": (N_("“%(field)s” is missing."), ""),
    "enum": (N_("“%(field)s” must be one of: %(limit)s."), "expected"),
    "literal_error": (N_("“%(field)s” must be one of: %(limit)s."), "expected"),
}
SOURCES = ("query", "body", "path", "header", "cookie")
MAX_SHOWN = 40  # characters of the value sent that the page repeats


def field_name(loc: Sequence[Any]) -> str:
    """`("query", "page")` -> "page"; `("body", "trial", 0)` -> "trial.0"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in SOURCES:
        parts = parts[1:]
    return ".".join(parts) or "request"


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def problem(lang: str, error: Mapping[str, Any]) -> str:
    """One error of `RequestValidationError.errors()` as a sentence in `lang`."""
    message, ctx_key = MESSAGES.get(str(error.get("type", "")), (N_("“%(field)s” cannot be used."), ""))
    ctx = error.get("ctx") or {}
    limit = ctx.get(ctx_key, "") if ctx_key else ""
    text = translator(lang).gettext(message, field=field_name(error.get("loc", ())), limit=limit)
    if "input" in error and error.get("type") != "missing" and not isinstance(error["input"], (dict, list)):
        text += " " + translator(lang).gettext("(You sent “%(value)s”.)", value=_shown(error["input"]))
    return text


def page_message(lang: str, errors: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """(the problems, what to do) for the error page, in `lang`."""
    problems = [problem(lang, e) for e in errors[:10]]
    return " ".join(problems), translator(lang).gettext(
        "Correct it in the form, or in the page's address, and try again; or go back to the previous page."
    )
