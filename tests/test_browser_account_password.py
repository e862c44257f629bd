"""A staff member's own password in headless Chromium (docs/SECURITY.md "Accounts on the web"): an
account the administrator made with a one-time password is sent to /account/password at its first
sign-in, replaces it, and then reaches its pages; the page in English and French (screenshots), the
link in the user menu. Served over a copy of the demo network (the changes must not touch the shared one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncofed.domain import Actor, Role
from oncofed.services.accounts.users import add_user, authenticate, get_user
from oncofed.store.db import Database
from oncofed.web.app import create_app
from tests.browser_helpers import log_in, shot
from tests.conftest import LiveServer, copy_sqlite, serve

pytestmark = pytest.mark.browser
ADMIN = Actor("admin", Role.ADMIN, purpose="administration")
ONE_TIME = "handed-over-once-1"
OWN = "my own long password"


@pytest.fixture(scope="module")
def own_server(
    demo_db: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, Database]]:
    target = tmp_path_factory.mktemp("account-password") / "copy.sqlite3"
    copy_sqlite(demo_db, Path(target))
    db = Database(f"sqlite:///{target}")
    with serve(create_app(db)) as server:
        yield server, db
    db.dispose()


def _replace(page: Any, current: str, new: str) -> None:
    page.fill('#account-password-form input[name="current"]', current)
    page.fill('#account-password-form input[name="password"]', new)
    page.fill('#account-password-form input[name="again"]', new)
    page.click("#account-password-form button")
    page.wait_for_load_state()


def test_a_new_staff_member_replaces_the_one_time_password_in_english(
    own_server: tuple[LiveServer, Database], new_page: Any
) -> None:
    server, db = own_server
    add_user(db, "nina", "clinician", ONE_TIME, centre_ids=["curie"], actor=ADMIN, one_time=True)
    page = new_page()
    log_in(page, server, "nina", ONE_TIME, lang="en")
    assert page.url.endswith("/account/password")  # nothing else before the password
    assert page.locator("#account-password-first").count() == 1
    shot(page, "account-password.png")
    page.goto(server.url("/patients"))
    assert page.url.endswith("/account/password")
    _replace(page, "not the password", OWN)  # wrong current password: said, nothing changed
    assert "wrong" in page.locator("#account-password-error").inner_text()
    _replace(page, ONE_TIME, OWN)
    assert page.locator("#account-password-done").count() == 1
    assert authenticate(db, "nina", OWN) is not None and not get_user(db, "nina").must_set_password
    page.goto(server.url("/patients"))
    assert page.url.endswith("/patients")


def test_the_page_in_french_from_the_user_menu(
    own_server: tuple[LiveServer, Database], new_page: Any
) -> None:
    server, _ = own_server
    page = new_page()
    log_in(page, server, "dpo", lang="fr")
    page.click('#who a[href="/account/password"]')
    assert page.locator("h1").inner_text() == "Mon mot de passe"
    assert page.locator("#account-password-first").count() == 0  # the DPO's password is their own
    _replace(page, "not the password", OWN)
    assert "mot de passe actuel" in page.locator("#account-password-error").inner_text()
    shot(page, "account-password-fr.png")
