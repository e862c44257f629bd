"""A quality manager's and a data-protection officer's day in French, in headless Chromium at 1280 and
390 px: every page their menu leads to is in French (no English sentence left), fits a phone's width
(a wide table scrolls in its own box, never the page), and the trial import page (trial managers) too."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser_helpers import log_in
from tests.conftest import LiveServer

PHONE = {"width": 390, "height": 844}
# English words that a French page never shows outside data (ids, titles, codes are left out below)
ENGLISH = re.compile(r"\b(the|of|and|with|without|not|for|from|rejected|records?|patients? who|Download)\b")


def _menu(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "#main-menu a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
    )
    # the API's reference (/docs, Swagger UI) is English by design: its words are the API's own
    return [
        h for h in dict.fromkeys(hrefs) if h not in ("/", "/logout", "/docs") and not h.startswith("/login")
    ]


def _visible_text(page: Any) -> str:
    """The page's words, data left out (translate="no", code, tables' cells of data, svg)."""
    return str(
        page.evaluate(
            """() => { const m = document.querySelector('main') || document.body; const c = m.cloneNode(true);
            c.querySelectorAll('[translate=no], code, pre, svg, td, option, small.meta').forEach(e => e.remove());
            return c.innerText; }"""
        )
    )


def _overflow(page: Any) -> int:
    return int(
        page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def walk(page: Any, server: LiveServer, user: str) -> list[str]:
    log_in(page, server, user, lang="fr")
    found: list[str] = []
    pages = _menu(page)
    for top in list(pages):  # one level down inside each area of the menu
        page.goto(server.url(top + "?lang=fr"))
        inner = page.eval_on_selector_all(
            f"main a[href^='{top}/']", "els => els.map(e => e.getAttribute('href'))"
        )
        pages += [h for h in dict.fromkeys(inner) if "format=" not in h and h not in pages][:3]
    for href in pages:
        for size in ({"width": 1280, "height": 900}, PHONE):
            page.set_viewport_size(size)
            page.goto(server.url(href + ("&" if "?" in href else "?") + "lang=fr"))
            if size is PHONE and _overflow(page) > 1:
                found.append(f"{href} @390: page wider than the phone by {_overflow(page)} px")
            if size is not PHONE:
                english = sorted(set(ENGLISH.findall(_visible_text(page))))
                if english:
                    found.append(f"{href}: English words {english}")
    return found


@pytest.mark.browser
@pytest.mark.parametrize("user", ["quality", "dpo"])
def test_walk(live_server: LiveServer, page: Any, user: str) -> None:
    found = walk(page, live_server, user)
    assert not found, "\n".join(found)
