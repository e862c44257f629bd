"""Jinja2 templates with the translation function and small formatting helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from oncofed import __version__
from oncofed.presenters.documents import TEMPLATES_DIR as DOCUMENT_TEMPLATES_DIR
from oncofed.presenters.i18n import translate
from oncofed.web.nav import nav_items

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
# the web's own templates, then the document templates it shares with the CLI (presenters/templates)
templates = Jinja2Templates(directory=[str(TEMPLATES_DIR), str(DOCUMENT_TEMPLATES_DIR)])


def locale_formatters(lang: str) -> dict[str, Any]:
    """`num(1234.5)` -> "1,234.5" / "1 234,5" and `day("2026-03-01")` -> "1 Mar 2026" / "1 mars 2026" (Babel)."""
    from datetime import date, datetime

    from babel.dates import format_date
    from babel.numbers import format_decimal

    def num(value: Any, digits: int | None = None) -> str:
        if value is None or value == "":
            return ""
        fmt = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(value, format=fmt, locale=lang))

    def day(value: Any) -> str:
        if not value:
            return ""
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                return value
        when = value.date() if isinstance(value, datetime) else value
        return str(format_date(when, format="medium", locale=lang)) if isinstance(when, date) else str(value)

    return {"num": num, "day": day}


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = getattr(request.state, "lang", "en")

    def t(key: str, **params: Any) -> str:
        return translate(lang, key, **params)

    actor = context.get("actor")
    if actor is None:
        from oncofed.web.deps import get_actor

        actor = get_actor(request)
    context.setdefault("nav_items", nav_items(request, actor))
    context.update({"t": t, "lang": lang, "version": __version__, "path": request.url.path, "actor": actor})
    context.update(locale_formatters(lang))
    return templates.TemplateResponse(request, template, context, status_code=status_code)
