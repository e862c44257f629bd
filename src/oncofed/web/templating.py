"""Jinja2 templates with the gettext catalogues (Jinja2's i18n extension) and locale-aware formatting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from oncofed import __version__
from oncofed.presenters.documents import TEMPLATES_DIR as DOCUMENT_TEMPLATES_DIR
from oncofed.presenters.i18n import install_gettext
from oncofed.web.nav import nav_items

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
# the web's own templates, then the document templates it shares with the CLI (presenters/templates)
templates = Jinja2Templates(directory=[str(TEMPLATES_DIR), str(DOCUMENT_TEMPLATES_DIR)])
install_gettext(templates.env)  # _(), pgettext(), ngettext(), label(), num(), day() in the language of `lang`


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = getattr(request.state, "lang", "en")
    actor = context.get("actor")
    if actor is None:
        from oncofed.web.deps import get_actor

        actor = get_actor(request)
    context.setdefault("nav_items", nav_items(request, actor))
    context.update({"lang": lang, "version": __version__, "path": request.url.path, "actor": actor})
    return templates.TemplateResponse(request, template, context, status_code=status_code)
