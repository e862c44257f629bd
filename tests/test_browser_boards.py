"""A tumour-board meeting end to end in headless Chromium, in English then in French: the
coordinator signs in, plans a meeting, puts a patient on the agenda, freezes it (case cards with
the re-matched trials), decides (one trial proposed, the others not with a reason), opens the
record and its PDF, signs it, and finds the patient flagged on the trial's pre-screening list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from oncofed.presenters.i18n import translator
from oncofed.store.db import Database
from oncofed.store.models_boards import BoardRow
from tests.boards_fixtures import HOME, add_home_sites, patients_with_candidates
from tests.browser_helpers import shot
from tests.conftest import LiveServer, copy_sqlite, serve


@pytest.fixture(scope="module")
def boards_server(
    demo_db: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, Database]]:
    """A copy of the demo network (the meeting writes), every trial recruiting at Curie too."""

    from oncofed.web.app import create_app

    target = tmp_path_factory.mktemp("boards-browser") / "boards.sqlite3"
    copy_sqlite(demo_db, target)
    db = Database(f"sqlite:///{target}")
    add_home_sites(db)
    with serve(create_app(db)) as server:
        yield server, db
    db.dispose()


@pytest.mark.timeout(900)
def test_a_board_meeting_end_to_end_in_english_and_french(boards_server, page) -> None:  # type: ignore[no-untyped-def]
    live, db = boards_server
    with db.session() as s:
        board_id = s.scalar(select(BoardRow.id).where(BoardRow.centre_id == HOME, BoardRow.site == "general"))
    patients = patients_with_candidates(db, HOME, 2)
    page.goto(live.url("/login"))
    page.fill('input[name="username"]', "clin-curie")
    page.fill('input[name="password"]', "oncofed-demo")
    page.click('#login-form button[type="submit"]')
    words = {
        "en": {
            "proposed": "on the pre-screening list",
            "signed": "Signed by clin-curie",
            "record": "RCP record",
        },
        "fr": {
            "proposed": "inscrit sur la liste de pré-screening",
            "signed": "Signé par clin-curie",
            "record": "Fiche RCP",
        },
    }
    for k, lang in enumerate(("en", "fr")):
        patient = patients[k]
        page.goto(live.url(f"/boards/{board_id}?lang={lang}"))
        when = (date.today() + timedelta(days=10 + k)).isoformat() + "T14:00"
        page.fill('#new-meeting input[name="scheduled_for"]', when)
        page.click("#new-meeting button")
        page.wait_for_url("**/boards/meetings/*")
        meeting_url = page.url.split("?")[0]
        page.goto(live.url(f"/boards/{board_id}"))
        page.fill('#add-case input[name="patient_id"]', patient)
        page.select_option('#add-case select[name="meeting_id"]', label=translator(lang).day(when, time=True))
        page.fill(
            '#add-case textarea[name="question"]',
            "First treatment? Trial?" if lang == "en" else "Premier traitement ? Essai ?",
        )
        page.click("#add-case button")
        page.wait_for_url("**/boards/cases/*")
        page.goto(meeting_url)
        assert patient in page.locator("#agenda").inner_text()
        page.click("#freeze")
        page.wait_for_selector("#message")
        shot(page, f"boards-agenda-{lang}.png")
        page.click("#agenda a.case-link")
        cards = page.locator("article.trial-card")
        assert cards.count() >= 1
        first = cards.nth(0).get_attribute("data-trial")
        for i in range(cards.count()):
            tid = cards.nth(i).get_attribute("data-trial")
            if i == 0:
                page.check(f'input[name="p_{tid}"][value="yes"]')
            else:
                page.check(f'input[name="p_{tid}"][value="no"]')
                page.select_option(f'select[name="r_{tid}"]', "patient_choice")
        page.fill(
            'textarea[name="proposal"]',
            "Systemic therapy within the proposed trial."
            if lang == "en"
            else "Traitement systémique dans l'essai proposé.",
        )
        for code in ("systemic", "trial"):
            page.check(f'input[name="settings"][value="{code}"]')
        for code in ("medical_oncology", "surgery", "pathology", "radiology"):
            page.check(f'input[name="specialties"][value="{code}"]')
        page.click("#save-decision")
        page.wait_for_selector("#message")
        decided = page.locator(f"#decision-{first}").inner_text()
        assert words[lang]["proposed"] in decided
        assert "flagged on the pre-screening list" not in decided, decided  # the services' English, restated
        shot(page, f"boards-case-{lang}.png")
        page.click("#sign")
        page.wait_for_selector("#signed")
        assert words[lang]["signed"] in page.locator("#signed").inner_text()
        case_url = page.url.split("?")[0]
        pdf = page.request.get(case_url + "/record.pdf")
        assert (
            pdf.status == 200
            and pdf.headers["content-type"] == "application/pdf"
            and pdf.body()[:5] == b"%PDF-"
        )
        page.click("#record-link")
        assert words[lang]["record"] in page.locator("#board-record h1").inner_text()
        assert first in page.locator("#board-record").inner_text()
        shot(page, f"boards-record-{lang}.png")
        page.goto(live.url(f"/prescreen/{first}/{HOME}?show=all"))
        row = page.locator(f'tr[data-patient="{patient}"]')
        assert row.count() == 1 and "st-flagged" in row.inner_html()
