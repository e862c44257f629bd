"""A patient's own space in headless Chromium, in English and French: first sign-in with the one-time
password, the summary, the record with its sources, who accessed it, the trials and the request to be
contacted, the objection filed and withdrawn, the download links, and a staff page refused. Served over
a copy of the demo network (the patient's choices must not change the shared one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncofed.domain import Actor
from oncofed.services.accounts.demo import demo_patient_name
from oncofed.services.accounts.patients import add_patient_account
from oncofed.services.accounts.users import get_user
from oncofed.store.db import Database
from oncofed.web.app import create_app
from tests.browser_helpers import log_in, shot
from tests.conftest import LiveServer, copy_sqlite, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def own_server(
    demo_db: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, Database]]:
    target = tmp_path_factory.mktemp("patient-space") / "copy.sqlite3"
    copy_sqlite(demo_db, Path(target))
    db = Database(f"sqlite:///{target}")
    with serve(create_app(db)) as server:
        yield server, db
    db.dispose()


def nav_links(page: Any) -> list[str]:
    return [a.get_attribute("href") for a in page.locator("header nav a").all()]


def test_a_patient_reads_their_space_and_objects_in_english(
    own_server: tuple[LiveServer, Database], new_page: Any
) -> None:
    server, db = own_server
    name = demo_patient_name("curie")
    own_id = get_user(db, name).patient_id
    page = new_page()
    log_in(page, server, name, lang="en")
    assert page.url.endswith("/me")
    links = nav_links(page)
    assert (
        "/me/record" in links
        and "/me/access" in links
        and "/patients" not in links
        and "/trials" not in links
    )
    assert "do not object" in page.locator("#objection-state").inner_text()
    shot(page, "patient-space.png")
    page.goto(server.url("/me/record"))
    assert page.locator("table.facts").count() >= 1 and page.locator("td.provenance").count() >= 1
    shot(page, "patient-record.png")
    page.goto(server.url("/me/trials"))
    forms = page.locator("form.contact-form")
    if forms.count():  # an open trial matches the demo patient: ask to be contacted about the first
        forms.first.locator("input[name=message]").fill("mornings, please")
        forms.first.locator("button").click()
        page.wait_for_load_state()
        assert page.locator("#asked").is_visible() and page.locator("#my-requests li").count() == 1
    shot(page, "patient-trials.png")
    page.goto(server.url("/me/objection"))
    page.click("#object")
    page.wait_for_load_state()
    assert (
        "You object" in page.locator("#objection-now").inner_text() and page.locator("#changed").is_visible()
    )
    shot(page, "patient-objection.png")
    page.click("#withdraw")
    page.wait_for_load_state()
    assert "do not object" in page.locator("#objection-now").inner_text()
    assert page.locator("#objection-history li").count() == 2
    page.goto(server.url("/me/access"))
    rows = page.locator("#access-log tbody tr")
    assert rows.count() >= 3 and page.locator("#access-log tr.you").count() >= 3
    shot(page, "patient-access.png")
    page.goto(server.url("/me/export"))
    assert page.locator("#export-json").get_attribute("href") == "/me/export.json"
    response = page.goto(server.url(f"/patients/{own_id}"))
    assert response is not None and response.status == 403  # a staff page: refused, whatever the id


def test_first_sign_in_and_the_space_in_french(
    own_server: tuple[LiveServer, Database], new_page: Any
) -> None:
    server, db = own_server
    from sqlalchemy import select

    from oncofed.store.models import PatientRow

    with db.session() as s:
        pid = s.scalars(
            select(PatientRow.id).where(PatientRow.centre_id == "gustave-roussy").order_by(PatientRow.id)
        ).all()[3]
    _, secret = add_patient_account(db, Actor.system("test"), "premiere-connexion", pid)
    page = new_page()
    log_in(page, server, "premiere-connexion", secret, lang="fr")
    assert page.url.endswith("/me/password")
    assert "Choisir mon mot de passe" in page.locator("h1").inner_text()
    page.fill("input[name=current]", secret)
    page.fill("input[name=password]", "un mot de passe à moi")
    page.fill("input[name=again]", "un mot de passe à moi")
    shot(page, "patient-first-sign-in-fr.png")
    page.click("#password-form button")
    page.wait_for_load_state()
    assert page.locator("#password-changed").is_visible()
    log_in(page, server, "premiere-connexion", "un mot de passe à moi", lang="fr")
    assert page.url.endswith("/me") and "Mon espace" in page.locator("h1").inner_text()
    page.goto(server.url("/me/objection?lang=fr"))
    assert "Ce que change une opposition" in page.content()
    page.goto(server.url("/me/access"))
    assert "Qui a consulté mon dossier" in page.locator("h1").inner_text()
    assert "vous" in page.locator("#access-log").inner_text()
    shot(page, "patient-access-fr.png")
