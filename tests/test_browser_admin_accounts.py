"""Accounts on the web in headless Chromium (docs/SECURITY.md "Accounts on the web"), signed in through
the login form (so every form carries the session's CSRF token): the administrator's list, a new staff
account and its one-time password shown once, the account's page, a password reset that ends the
account's sessions, in English and French, and at a phone's width; the clinician's menu link to the
correction requests and a patient's new one-time password from the patient's page. Served over a copy
of the demo network (the changes must not touch the shared one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncofed.services.accounts.demo import demo_patient_name
from oncofed.services.accounts.users import authenticate, get_user
from oncofed.store.db import Database
from oncofed.web.app import create_app
from tests.browser_helpers import log_in, shot
from tests.conftest import LiveServer, copy_sqlite, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def own_server(
    demo_db: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, Database]]:
    target = tmp_path_factory.mktemp("admin-accounts") / "copy.sqlite3"
    copy_sqlite(demo_db, Path(target))
    db = Database(f"sqlite:///{target}")
    with serve(create_app(db)) as server:
        yield server, db
    db.dispose()


def test_the_administrator_creates_resets_and_disables_an_account_in_english(
    own_server: tuple[LiveServer, Database], new_page: Any
) -> None:
    server, db = own_server
    page = new_page()
    log_in(page, server, "admin", lang="en")
    page.click('#main-menu a[href="/admin/accounts"]')
    assert page.url.endswith("/admin/accounts") and page.locator("#accounts tbody tr").count() >= 9
    shot(page, "admin-accounts.png")
    page.select_option('#account-filters select[name="role"]', "clinician")
    page.click("#account-filters button")
    roles = page.locator("#accounts tbody tr td:nth-child(2)").all_inner_texts()
    assert roles and all(r.startswith("clinician") for r in roles), roles

    page.fill('#new-account-form input[name="username"]', "nurse-new")
    page.select_option('#new-account-form select[name="role"]', "research_staff")
    page.check('#new-account-form input[name="centre"][value="curie"]')
    page.click("#new-account-form button")
    first = page.locator("#one-time-password").inner_text()
    assert authenticate(db, "nurse-new", first) is not None
    shot(page, "admin-account-created.png")

    nurse = new_page()  # the new member of staff signs in with it
    log_in(nurse, server, "nurse-new", first, lang="en")
    assert "nurse-new" in nurse.locator("#who").inner_text()
    assert nurse.url.endswith("/account/password")  # a one-time password is replaced first

    page.goto(server.url("/admin/accounts/nurse-new"))
    page.click("#password-form button")
    second = page.locator("#one-time-password").inner_text()
    assert second != first and authenticate(db, "nurse-new", first) is None
    shot(page, "admin-account-reset.png")
    nurse.reload()
    assert nurse.locator("#login-link").count() == 1  # the reset ended the nurse's session

    page.goto(server.url("/admin/accounts/nurse-new"))
    page.click("#disable-form button")
    assert "disabled" in page.locator("#account-state").inner_text()
    assert page.locator("#account-audit tbody tr").count() == 3  # created, reset, disabled
    shot(page, "admin-account.png")
    assert get_user(db, "nurse-new").disabled


def test_the_same_pages_in_french_and_at_a_phones_width(
    own_server: tuple[LiveServer, Database], new_page: Any
) -> None:
    server, _ = own_server
    page = new_page()
    log_in(page, server, "admin", lang="fr")
    page.goto(server.url("/admin/accounts?lang=fr"))
    assert page.locator("h1").inner_text() == "Comptes"
    assert "Dernière connexion" in page.locator("#accounts thead").inner_text()
    shot(page, "admin-accounts-fr.png")
    page.goto(server.url("/admin/accounts/dpo?lang=fr"))
    assert "Réinitialiser le mot de passe" in page.locator("#password-form").inner_text()
    shot(page, "admin-account-fr.png")
    page.click("#password-form button")
    assert "Nouveau mot de passe à usage unique" in page.locator("h1").inner_text()
    shot(page, "admin-account-reset-fr.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url("/admin/accounts?lang=fr"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width  # the table scrolls inside itself, the page does not
    shot(page, "admin-accounts-phone-fr.png")


def test_the_clinician_has_the_corrections_link_and_resets_a_patients_password(
    own_server: tuple[LiveServer, Database], new_page: Any
) -> None:
    server, db = own_server
    patient = get_user(db, demo_patient_name("curie"))
    page = new_page()
    log_in(page, server, "clin-curie", lang="fr")
    assert (
        page.locator('#main-menu a[href="/patients/corrections"]')
        .inner_text()
        .startswith("Demandes de rectification")
    )
    page.goto(server.url(f"/patients/{patient.patient_id}?lang=fr"))
    page.click("#own-account-reset button")
    secret = page.locator("#one-time-password").inner_text()
    shot(page, "patient-account-reset-fr.png")
    again = authenticate(db, patient.username, secret)
    assert again is not None and again.must_set_password
    own = new_page()
    log_in(own, server, patient.username, secret, lang="fr")
    assert own.url.endswith("/me/password")  # they choose their own password again
