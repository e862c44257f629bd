"""What the headless-Chromium tests do alike: sign in through the login form and save a screenshot
to docs/screenshots/ (the `page`, `new_page` and `live_server` fixtures are in tests/conftest.py)."""

from __future__ import annotations

from typing import Any

from oncofed.services.accounts.users import DEMO_PASSWORD
from tests.conftest import SCREENSHOTS, LiveServer


def log_in(
    page: Any, server: LiveServer, username: str, password: str = DEMO_PASSWORD, lang: str = ""
) -> None:
    """Sign in through the login form (in `lang` when given) and wait for the page it leads to."""
    page.goto(server.url("/login" + (f"?lang={lang}" if lang else "")))
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    page.click('#login-form button[type="submit"]')
    page.wait_for_load_state()


def shot(page: Any, name: str, full_page: bool = True) -> None:
    """A screenshot of the page as docs/screenshots/<name>."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)
