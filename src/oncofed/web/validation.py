"""A request that FastAPI's validation refuses (`/trials?page=0`, `/patients?page=99999999`, a form
field too long), said in the user's language for a browser: which field, what it must be, what was
sent, and what to do. API clients keep FastAPI's JSON (web/app.py decides who is a browser).

Pydantic's messages are English and name internal locations ("query.page"); each error type here
has its own sentence in `resources/i18n/{en,fr}/validation.yaml`, with the limit from the error's
context (pydantic-core's documented error types and `ctx` keys)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from oncofed.presenters.i18n import translate

# pydantic-core error type -> (i18n key, the ctx key holding the limit or the expected values)
MESSAGES: dict[str, tuple[str, str]] = {
    "greater_than_equal": ("val_at_least", "ge"),
    "greater_than": ("val_more_than", "gt"),
    "less_than_equal": ("val_at_most", "le"),
    "less_than": ("val_less_than", "lt"),
    "string_too_long": ("val_too_long", "max_length"),
    "string_too_short": ("val_too_short", "min_length"),
    "too_long": ("val_too_many", "max_length"),
    "string_pattern_mismatch": ("val_pattern", ""),
    "int_parsing": ("val_whole_number", ""),
    "int_from_float": ("val_whole_number", ""),
    "float_parsing": ("val_number", ""),
    "decimal_parsing": ("val_number", ""),
    "bool_parsing": ("val_yes_no", ""),
    "date_parsing": ("val_date", ""),
    "date_from_datetime_parsing": ("val_date", ""),
    "datetime_parsing": ("val_date", ""),
    "missing": ("val_missing", ""),
    "enum": ("val_one_of", "expected"),
    "literal_error": ("val_one_of", "expected"),
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
    key, ctx_key = MESSAGES.get(str(error.get("type", "")), ("val_invalid", ""))
    ctx = error.get("ctx") or {}
    limit = ctx.get(ctx_key, "") if ctx_key else ""
    text = translate(lang, key, field=field_name(error.get("loc", ())), limit=limit)
    if "input" in error and error.get("type") != "missing" and not isinstance(error["input"], (dict, list)):
        text += " " + translate(lang, "val_sent", value=_shown(error["input"]))
    return text


def page_message(lang: str, errors: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """(the problems, what to do) for the error page, in `lang`."""
    problems = [problem(lang, e) for e in errors[:10]]
    return " ".join(problems), translate(lang, "val_fix")
