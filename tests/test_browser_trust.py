"""Log in, role-specific navigation, audit and feasibility pages in headless Chromium (issue 8)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser_helpers import log_in
from tests.conftest import SCREENSHOTS, LiveServer

pytestmark = pytest.mark.browser


def nav_links(page: Any) -> list[str]:
    return [a.get_attribute("href") for a in page.locator("header nav a").all()]


def test_login_page_and_clinician_navigation(live_server: LiveServer, new_page: Any) -> None:
    page = new_page()
    page.goto(live_server.url("/"))
    assert "/patients" not in nav_links(page) and "/audit" not in nav_links(page)
    page.click("#login-link")
    page.wait_for_url("**/login")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "login.png"))
    log_in(page, live_server, "clin-curie", "not the password")
    assert "Wrong username or password" in page.locator("#login-error").inner_text()
    log_in(page, live_server, "clin-curie")
    assert page.url.endswith("/")  # each role lands on its own home page (issue 18)
    assert page.locator("#who .user").inner_text() == "clin-curie"
    assert page.locator("#who .role").inner_text() == "clinician"
    links = nav_links(page)
    assert "/patients" in links and "/prescreen" in links
    assert "/audit" not in links and "/feasibility" not in links
    page.screenshot(path=str(SCREENSHOTS / "clinician-navigation.png"))
    page.click("#logout")
    page.wait_for_load_state()
    assert page.locator("#login-link").is_visible() and "/patients" not in nav_links(page)


def test_dpo_sees_the_audit_log_of_the_clinicians_reads(live_server: LiveServer, new_page: Any) -> None:
    clinician = new_page()
    log_in(clinician, live_server, "clin-gustave-roussy")
    clinician.goto(live_server.url("/api/patients?size=3"))  # a read to find in the log
    dpo = new_page()
    log_in(dpo, live_server, "dpo")
    assert dpo.url.endswith("/")
    dpo.goto(live_server.url("/audit"))
    links = nav_links(dpo)
    assert "/audit" in links and "/patients" not in links
    assert "Chain verified" in dpo.locator("#chain").inner_text()
    dpo.fill("input[name=user]", "clin-gustave-roussy")
    dpo.click("form.inline button[type=submit]")
    dpo.wait_for_load_state()
    assert dpo.locator("table#audit tbody tr").count() >= 1
    assert "clin-gustave-roussy" in dpo.locator("table#audit tbody").inner_text()
    dpo.screenshot(path=str(SCREENSHOTS / "audit.png"), full_page=True)


def test_trial_manager_runs_a_feasibility_count(live_server: LiveServer, new_page: Any) -> None:
    page = new_page()
    log_in(page, live_server, "trials")
    assert page.url.endswith("/")
    page.goto(live_server.url("/feasibility"))
    links = nav_links(page)
    assert "/feasibility" in links and "/patients" not in links and "/audit" not in links
    page.click("#run-spec")  # the example criteria shown in the form
    page.wait_for_load_state()
    assert page.locator("table#feasibility tbody tr").count() == 19
    table = page.locator("table#feasibility").inner_text()
    assert "10 or fewer" in table or "0 (none)" in table
    page.screenshot(path=str(SCREENSHOTS / "feasibility.png"), full_page=True)


def test_dpo_lists_a_refused_cross_centre_read_and_the_trial_manager_sees_the_budget(
    live_server: LiveServer, new_page: Any, demo_db: Any
) -> None:
    """Issue 17: a clinician's try at another centre's patient is a security event the DPO finds with
    one tick; the feasibility page shows the privacy budget left and counts only on POST."""
    from sqlalchemy import select

    from oncofed.store.models import PatientRow, TrialRow

    with demo_db.session() as s:
        other = s.scalar(select(PatientRow.id).where(PatientRow.centre_id == "gustave-roussy").limit(1))
        trial = s.scalar(select(TrialRow.id).order_by(TrialRow.id).limit(1))
    clinician = new_page()
    log_in(clinician, live_server, "clin-curie")
    response = clinician.goto(live_server.url(f"/patients/{other}"))
    assert response is not None and response.status == 404
    dpo = new_page()
    log_in(dpo, live_server, "dpo")
    dpo.goto(live_server.url("/audit"))
    dpo.check("#security-only")
    dpo.fill("input[name=user]", "clin-curie")
    dpo.click("form.inline button[type=submit]")
    dpo.wait_for_load_state()
    rows = dpo.locator("table#audit tbody tr.security-event")
    assert rows.count() >= 1 and str(other) in rows.first.inner_text()
    assert "security.refused" in rows.first.inner_text()
    dpo.screenshot(path=str(SCREENSHOTS / "audit-security-events.png"), full_page=True)
    tm = new_page()
    log_in(tm, live_server, "trials")
    tm.goto(live_server.url("/feasibility"))
    budget = tm.locator("#budget").inner_text()
    assert "questions left" in budget
    tm.goto(live_server.url(f"/feasibility?trial={trial}"))  # a GET: preselected, not counted
    assert tm.locator("table#feasibility").count() == 0
    tm.click("#run-trial")
    tm.wait_for_load_state()
    assert tm.locator("table#feasibility tbody tr").count() == 19
    assert "10 or fewer" in tm.locator("table#feasibility").inner_text()
    assert tm.locator("#policy").is_visible()
    tm.screenshot(path=str(SCREENSHOTS / "feasibility-budget.png"), full_page=True)
