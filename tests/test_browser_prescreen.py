"""A research nurse, in headless Chromium: sign in, open the new candidates, screen them (CSRF-protected
forms), meet a conflict, and export the screening log; a trial manager opens the recruitment chart."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from oncofed.domain.actor import Actor as _SetupActor
from oncofed.store.db import Database
from tests.browser_helpers import log_in
from tests.conftest import SCREENSHOTS, LiveServer, serve
from tests.prescreen_fixtures import FAKE_ENGINE, TRIAL_ID, build_network

SETUP = _SetupActor.system("test setup")  # accounts made by the fixtures (not audited)

PASSWORD = "correct horse battery staple"


@pytest.fixture
def prescreen_server(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[LiveServer, Database, str]]:
    import shutil
    from datetime import date

    from oncofed.services.accounts import users as accounts
    from oncofed.store.repositories import TrialRepository
    from oncofed.synthetic.recruitment import seed_enrolment_history
    from oncofed.web.app import create_app

    path = tmp_path / "browser.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    a, _ = build_network(db)
    with db.session() as s:
        seed_enrolment_history(s, [TrialRepository(s).get(TRIAL_ID)], until=date.today(), seed=3)
    accounts.add_user(db, "nurse", "research_staff", PASSWORD, centre_ids=[a], actor=SETUP)
    accounts.add_user(db, "manager", "trial_manager", PASSWORD, actor=SETUP)
    app = create_app(db)
    app.state.prescreen_engine = FAKE_ENGINE  # the stand-in engine of tests/prescreen_fixtures.py
    with serve(app) as server:
        yield server, db, a
    db.dispose()


def test_research_nurse_goes_from_new_candidates_to_an_exported_screening_log(page, prescreen_server) -> None:  # type: ignore[no-untyped-def]
    live, db, centre = prescreen_server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, live, "nurse", PASSWORD)
    page.goto(live.url("/prescreen"))
    page.click(f'a[href="/prescreen/{TRIAL_ID}/{centre}"]')
    page.wait_for_selector("#candidates")
    assert page.locator("#candidates .badge.new").count() == 3
    page.click("#tab-new")
    page.wait_for_selector("#candidates")
    assert page.locator("#candidates tbody tr").count() == 3
    page.screenshot(path=str(SCREENSHOTS / "prescreen-new-candidates.png"), full_page=True)

    # bulk: every new candidate to "pending", with a note
    page.check("#pick-all")
    page.select_option("#status-select", "pending")
    page.fill("#note-input", "review at Thursday's tumour board")
    page.click("#apply")
    page.wait_for_selector(".ok")
    assert "3 candidates set to pending" in page.inner_text(".ok")

    # one is not eligible: the reason list offers only the reasons of that status
    page.goto(live.url(f"/prescreen/{TRIAL_ID}/{centre}?show=possible"))
    page.check('input[name="pick"][value^="A-4:"]')
    page.select_option("#status-select", "not_eligible")
    page.select_option("#reason-select", "performance_status")
    page.click("#apply")
    page.wait_for_selector(".ok")

    # a colleague changed A-1 in the meantime: the nurse's stale form gets a clear conflict
    page.goto(live.url(f"/prescreen/{TRIAL_ID}/{centre}?show=eligible"))
    from oncofed.services.prescreen.screening import StatusChange, change_status
    from tests.prescreen_fixtures import nurse

    change_status(db, nurse(centre, "colleague"), TRIAL_ID, [StatusChange("A-1", 1)], "eligible")
    page.check('input[name="pick"][value^="A-1:"]')
    page.select_option("#status-select", "flagged")
    page.click("#apply")
    page.wait_for_selector(".problem")
    assert "changed by someone else" in page.inner_text(".problem")
    assert "colleague" in page.inner_text(".problem")
    page.screenshot(path=str(SCREENSHOTS / "prescreen-conflict.png"), full_page=True)

    # then contacted -> enrolled, from the reloaded list
    for status in ("contacted", "enrolled"):
        page.goto(live.url(f"/prescreen/{TRIAL_ID}/{centre}?show=eligible"))
        page.check('input[name="pick"][value^="A-1:"]')
        page.select_option("#status-select", status)
        page.click("#apply")
        page.wait_for_selector(".ok")

    page.click("#log-link")
    page.wait_for_selector("#consort")
    consort = page.inner_text("#consort")
    assert "Enrolled\t1" in consort and "Screened (pre-screened by criteria)\t5" in consort
    page.screenshot(path=str(SCREENSHOTS / "prescreen-screening-log.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#export-log")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    counts = {r["measure"]: r["value"] for r in rows if r["record"] == "count"}
    assert (counts["screened"], counts["approached"], counts["enrolled"]) == ("5", "1", "1")
    events = [r for r in rows if r["record"] == "event"]
    assert len(events) == 7 and {r["user_id"] for r in events} == {"nurse", "colleague"}
    assert any(r["reason"] == "performance_status" for r in events)


def test_trial_manager_sees_recruitment_against_targets(page, prescreen_server) -> None:  # type: ignore[no-untyped-def]
    live, _, _ = prescreen_server
    log_in(page, live, "manager", PASSWORD)
    page.goto(live.url("/recruitment"))
    page.click(f'a[href="/recruitment/{TRIAL_ID}"]')
    page.wait_for_selector("svg.recruitment-chart")
    assert page.locator("svg.recruitment-chart path.enrolled").count() == 1
    assert page.locator("#sites tbody tr").count() == 2
    page.screenshot(path=str(SCREENSHOTS / "recruitment-trial.png"), full_page=True)
