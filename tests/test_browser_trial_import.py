"""The trial import page and the referral form in French, in headless Chromium at 1280 and 390 px: a
trial manager uploads a file with bad records, reads every rejection with its fix in French, downloads
them as CSV; a clinician's referral form proposes the patient's own centre and says why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser_helpers import log_in, shot
from tests.conftest import LiveServer
from tests.trial_samples import study, write_ndjson

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
def test_a_trial_manager_imports_a_file_and_reads_its_rejections_in_french(
    live_server: LiveServer, page: Any, tmp_path: Path
) -> None:
    rows = [study(nct="NCT09200001", min_age="dix-huit ans"), study(nct="NCT0920000X")]
    bad = write_ndjson(tmp_path / "essais-mars.ndjson", rows)
    log_in(page, live_server, "trials", lang="fr")
    page.goto(live_server.url("/trials?lang=fr"))
    page.click("#import-trials")
    assert page.locator("h1").inner_text() == "Importer des essais"
    page.set_input_files("input[name=files]", str(bad))
    page.click("form.trial-import button[type=submit]")
    page.wait_for_load_state()
    rows_shown = page.locator("#import-rejections tbody tr")
    assert rows_shown.count() == 2
    first = rows_shown.nth(0).inner_text()
    assert "n'est pas de la forme" in first and "Écrivez-le comme" in first
    files = page.locator("#import-files").inner_text()
    assert "Rien n'a été importé de ce fichier" in files and "--partial" not in files and "Rejetés" in files
    with page.expect_download() as download:
        page.click("#rejections-csv")
    assert "import.age_format" in Path(download.value.path()).read_text(encoding="utf-8")
    shot(page, "trial-import-fr.png")
    page.set_viewport_size(PHONE)
    scroll = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert scroll <= 1  # the rejections' table scrolls in its own box
    shot(page, "trial-import-fr-phone.png")


@pytest.mark.browser
def test_the_referral_form_proposes_the_patients_own_centre(page: Any, tmp_path: Path) -> None:
    from oncofed.domain import Actor, Role
    from oncofed.store.db import Database
    from tests.conftest import serve_as
    from tests.prescreen_fixtures import build_network

    db = Database(f"sqlite:///{tmp_path}/referral.sqlite3")
    a, _b = build_network(db)
    with serve_as(db, Actor("dr-a", Role.CLINICIAN, frozenset({a}), "care")) as server:
        page.goto(server.url("/patients/A-2/matches?lang=fr"))
        form = page.locator("form.refer-form").first
        assert form.locator("select[name=centre_id]").input_value() == a
        said = "Le centre du patient recrute pour cet essai\u202f; distance inconnue"
        assert form.locator(".site-why").inner_text() == said
        line = page.locator("details.match .site-reason").first.inner_text()
        assert line == said  # the match line says the same as the form (one source: referral_site.py)
        form.scroll_into_view_if_needed()
        shot(page, "referral-site-fr.png", full_page=False)
    db.dispose()
