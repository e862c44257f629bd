"""Printable documents (a centre's quality report, ...) rendered from the same templates by the web
page and the CLI, without a web server: one Jinja environment over `presenters/templates/`, the
gettext catalogues, and the print style sheets inlined so the file stands alone."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from oncofed.presenters.i18n import install_gettext

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
_STYLE_DIR = Path(__file__).resolve().parents[1] / "web" / "static"


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=False,
    )
    install_gettext(env)  # the same catalogues as the web pages, in the language of `lang`
    return env


def _styles(names: tuple[str, ...]) -> str:
    return "\n".join(
        (_STYLE_DIR / n).read_text(encoding="utf-8") for n in names if (_STYLE_DIR / n).is_file()
    )


def render_document(body_template: str, lang: str, title: str, **context: Any) -> str:
    """A complete HTML document: `body_template` inside `document.html`, styles inlined."""

    return (
        _environment()
        .get_template("document.html")
        .render(
            body_template=body_template,
            title=title,
            styles=_styles(("style.css", "quality.css")),
            print_styles=_styles(("quality-print.css",)),
            lang=lang,
            **context,
        )
    )
