"""The trial's parsed-criteria page in headless Chromium: atoms highlighted."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_criteria_page_highlights_atoms(page, live_server, demo_db) -> None:  # type: ignore[no-untyped-def]
    from oncofed.store.models import TrialRow

    with demo_db.session() as session:
        trial_id = session.query(TrialRow.id).first()[0]
    from oncofed.criteria import parse_eligibility

    parse_eligibility("ECOG 0-1")  # load spaCy/medspaCy once (the server runs in this process)
    page.goto(live_server.url(f"/trials/{trial_id}"))
    link = page.locator("#parsed-criteria")
    assert link.get_attribute("href") == f"/trials/{trial_id}/criteria"
    link.click(timeout=120_000)
    page.wait_for_url(f"**/trials/{trial_id}/criteria", timeout=120_000)
    assert page.locator("mark.atom").count() > 0
    assert page.locator("#criteria-inclusion li").count() > 0
    shots = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "criteria.png"), full_page=True)
