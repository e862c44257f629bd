"""A working day in headless Chromium, in English and in French (issue 18): a trial manager opens a
real imported trial (no status in its file) at two centres and sees it recruit; a clinician searches
a patient, corrects a fact and refers the patient to that trial; a research nurse works a
5,000-patient pre-screening list page by page with the keyboard. Screenshots in docs/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from oncofed.store.db import Database
from tests.browser_helpers import log_in
from tests.conftest import SCREENSHOTS, LiveServer, serve, shared_data
from tests.workday_fixtures import CENTRE, PASSWORD, TRIAL_ID, TRIALS_FILE, build_workday_network

PATIENTS = 5000
LANGS = ["en", "fr"]
# text of this pages that must not show in the other language (a missing key shows its name)
ENGLISH_ONLY = ["Refer to this trial", "Trial set-up at the network", "Candidates (", "Save and match again"]


@pytest.fixture(scope="module")
def workday_server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template
) -> Iterator[tuple[LiveServer, Database]]:  # type: ignore[no-untyped-def]
    from oncofed.web.app import create_app

    corpus = shared_data(*TRIALS_FILE)
    db = build_workday_network(sqlite_template, tmp_path_factory.mktemp("workday"), corpus, PATIENTS)
    with serve(create_app(db)) as server:
        yield server, db
    db.dispose()


def _translated(page, lang: str) -> None:  # type: ignore[no-untyped-def]
    text = page.inner_text("body")
    assert not re.search(r"\bwd_[a-z_]+", text), "an i18n key shows instead of its text"
    if lang == "fr":
        leaked = [s for s in ENGLISH_ONLY if s in text]
        assert not leaked, f"English text on a French page: {leaked}"


@pytest.mark.parametrize("lang", LANGS)
def test_trial_manager_opens_a_real_trial_at_two_centres(page, workday_server, lang: str) -> None:  # type: ignore[no-untyped-def]
    live, db = workday_server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, live, "tm-tom", PASSWORD, lang=lang)
    assert page.locator("#to-set-up").count() == 1  # the trial manager's landing page
    _translated(page, lang)
    page.click("#setup-link")
    page.click(f'a[href="/trial-setup/{TRIAL_ID}"]')
    for centre, pi, email in (("Institut Curie", "Dr Claire Martin", "essais@curie.fr"),
                              ("gustave roussy", "Dr Paul Durand", "essais@gustaveroussy.fr")):  # fmt: skip
        page.fill("#setup-centre", centre)
        page.select_option("#setup-status", "RECRUITING")
        page.fill("#setup-pi", pi)
        page.fill("#setup-contact", "Unité d'essais")
        page.fill("#setup-email", email)
        page.fill("#setup-phone", "+33 1 44 32 40 00")
        page.fill("#setup-target", "8")
        page.click("#setup-save")
        page.wait_for_selector("#saved")
    assert page.locator("#setups tbody tr").count() == 2
    status = page.inner_text("#trial-status")
    assert status == ("recruiting" if lang == "en" else "en recrutement")
    _translated(page, lang)
    page.screenshot(path=str(SCREENSHOTS / f"workday-trial-setup-{lang}.png"), full_page=True)
    # a wrong centre name: a clear error, with the closest name
    page.fill("#setup-centre", "Roussi")
    page.fill("#setup-pi", "Dr X")
    page.click("#setup-save")
    page.wait_for_selector(".problem")
    assert "Gustave Roussy" in page.inner_text(".problem")
    # the public trial page shows each site's contact
    page.goto(live.url(f"/trials/{TRIAL_ID}"))
    contacts = page.inner_text("#sites")
    assert "essais@curie.fr" in contacts and "essais@gustaveroussy.fr" in contacts


@pytest.mark.parametrize("lang", LANGS)
def test_clinician_searches_corrects_and_refers(page, workday_server, lang: str) -> None:  # type: ignore[no-untyped-def]
    live, db = workday_server
    log_in(page, live, "dr-claire", PASSWORD, lang=lang)
    assert page.locator("#my-patients").count() == 1  # the clinician's landing page
    _translated(page, lang)
    page.goto(live.url("/patients"))
    page.fill("#search-cancer", "BRCA")
    page.fill("#search-gene", "HER2")
    page.fill("#search-variant", "2+")
    page.click("#search-go")
    rows = page.locator("#patients tbody tr")
    assert rows.count() >= 1
    for cell in page.locator("#patients tbody tr td:nth-child(5)").all_inner_texts():
        assert cell.startswith("BRCA") or cell.startswith("IDC") or cell.startswith("ILC") or "Breast" in cell
    page.screenshot(path=str(SCREENSHOTS / f"workday-patient-search-{lang}.png"), full_page=True)
    patient_id = rows.first.get_attribute("data-patient")
    # the source record's id works as well as the store's
    original = patient_id.removeprefix(f"{CENTRE}-")
    page.goto(live.url(f"/patients/{original}"))
    assert page.url.endswith(f"/patients/{patient_id}")
    # correct HER2 from 2+ (equivocal) to 3+ after the FISH report
    her2 = page.locator('tr.fact[data-kind="biomarker"]', has_text="HER2").first
    her2.locator("a.correct-link").click()
    page.fill("#fact-value", "3+")
    page.fill("#fact-reason", "FISH report: HER2 amplified (ratio 4.1)")
    page.click("#fact-save")
    page.wait_for_selector("#rematched")  # matched again at once, on the corrected record
    _translated(page, lang)
    match = page.locator(f'details[data-trial-id="{TRIAL_ID}"]')
    assert match.count() == 1
    match.locator("summary").click() if match.get_attribute("open") is None else None
    form = match.locator(".refer-form")
    form.locator('select[name="centre_id"]').select_option(CENTRE)
    form.locator('input[name="note"]').fill("HER2 3+ on FISH, ready for screening")
    page.screenshot(path=str(SCREENSHOTS / f"workday-refer-{lang}.png"), full_page=False)
    form.locator(".refer-button").click()
    page.wait_for_selector("#referred")
    # the patient's page shows the fact "corrected by" the clinician, and the correction log
    page.goto(live.url(f"/patients/{patient_id}"))
    said = {"fr": "corrigé par dr-claire", "en": "corrected by dr-claire"}[
        lang
    ]  # the provenance in the reader's words
    assert said in page.inner_text("#kind-biomarker")
    assert "FISH report" in page.inner_text("#correction-log")


@pytest.mark.parametrize("lang", LANGS)
def test_research_nurse_works_a_5000_patient_list_page_by_page(page, workday_server, lang: str) -> None:  # type: ignore[no-untyped-def]
    live, db = workday_server
    log_in(page, live, "nurse-rose", PASSWORD, lang=lang)
    assert page.locator("#queues").count() == 1  # the research nurse's landing page: queues with counts
    _translated(page, lang)
    page.click(f'#queue-table a[href="/prescreen/{TRIAL_ID}/{CENTRE}"]')
    page.wait_for_selector("#tab-candidates")
    if page.locator("#stale-note").count():  # first visit: the page refreshes itself (a POST)
        page.wait_for_url(re.compile(r"refreshed=1"))
    counts = {k: int(re.sub(r"\D", "", page.inner_text(f"#tab-{k}").rsplit("(", 1)[1])) for k in
              ("candidates", "unlikely", "blocked", "all")}  # fmt: skip
    from sqlalchemy import func, select

    from oncofed.store.models import PatientRow

    with db.session() as s:  # research use: patients who object, and the deceased, are never listed
        visible = s.scalar(
            select(func.count()).where(
                PatientRow.centre_id == CENTRE,
                PatientRow.deceased.is_(False),
                PatientRow.research_objection.is_(False),
            )
        )
    assert 4500 < visible <= PATIENTS
    assert counts["all"] == visible
    assert counts["candidates"] + counts["unlikely"] + counts["blocked"] == visible
    # the default view: plausible candidates only; whatever the decision policy trusts, the patients read
    # as not meeting a criterion are apart ("probably not — to check" when the reading may not exclude)
    assert 0 < counts["candidates"] < visible and counts["unlikely"] + counts["blocked"] > 0
    if counts["unlikely"]:  # the probably-not view: what was read, and the way to its evidence
        page.goto(live.url(f"/prescreen/{TRIAL_ID}/{CENTRE}?tab=unlikely"))
        row = page.locator("#candidates tbody tr").first
        assert row.locator("ul.read-not-met li").count() >= 1
        _translated(page, lang)
        page.screenshot(path=str(SCREENSHOTS / f"prescreen-probably-not-{lang}.png"), full_page=False)
        held_text = row.locator("ul.read-not-met li").first.inner_text()
        row.locator("a.open-match").click()
        match = page.locator(f'details[data-trial-id="{TRIAL_ID}"]')
        match.wait_for()
        assert match.get_attribute("open") is not None and match.get_attribute("data-probably-not") == "1"
        first = match.locator("table.criteria tbody tr").first
        assert first.get_attribute("data-held") == "1"  # the criterion read as not met comes first
        assert held_text.split(" ", 1)[-1][:30] in first.inner_text()
    # the referred patient is on the list, flagged, with the clinician's note
    page.goto(live.url(f"/prescreen/{TRIAL_ID}/{CENTRE}?tab=all&status=flagged"))
    assert "ready for screening" in page.inner_text("#candidates")
    # every patient, page by page (50 a page, server-side), sorted by patient id
    page.goto(live.url(f"/prescreen/{TRIAL_ID}/{CENTRE}?tab=all&sort=patient"))
    assert page.locator("#candidates tbody tr").count() == 50
    seen: list[str] = []
    for _ in range(3):
        seen += page.locator("#candidates tbody tr").evaluate_all("rows => rows.map(r => r.dataset.patient)")
        with page.expect_navigation():
            page.keyboard.press("]")  # next page, from the keyboard
    assert len(seen) == 150 and len(set(seen)) == 150 and seen == sorted(seen)
    assert "4" in page.inner_text("#page-of")
    # labels in words, never "inc -2"
    body = page.inner_text("#candidates")
    assert not re.search(r"\b(inc|exc) -?\d+:", body)
    # a bulk action from the keyboard: two rows ticked with j / x, status chosen, applied
    page.locator("body").click(position={"x": 5, "y": 5})
    for key in ("j", "x", "j", "x"):
        page.keyboard.press(key)
    assert page.locator('#candidates input[name="pick"]:checked').count() == 2
    page.select_option("#status-select", "pending" if lang == "en" else "flagged")  # (the same rows twice)
    page.fill("#note-input", "to discuss with Dr Martin")
    page.click("#apply")
    page.wait_for_selector(".ok, .problem")
    assert page.locator(".problem").count() == 0, page.inner_text(".problem")
    assert "tab=all" in page.url and "page=4" in page.url  # back where the nurse was
    _translated(page, lang)
    page.screenshot(path=str(SCREENSHOTS / f"workday-prescreen-{lang}.png"), full_page=False)
