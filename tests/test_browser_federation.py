"""Pay grid, costing, grid minimum and carbon pages in headless Chromium, in English and French,
on the demo network (issue 21). Screenshots go to docs/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser_helpers import log_in
from tests.conftest import SCREENSHOTS, LiveServer

pytestmark = pytest.mark.browser


def test_federation_hr_costs_two_proposals_side_by_side(live_server: LiveServer, new_page: Any) -> None:
    page = new_page()
    log_in(page, live_server, "hr")
    assert page.url.endswith("/federation")
    assert "/federation" in [a.get_attribute("href") for a in page.locator("header nav a").all()]
    assert page.locator("#fictional").is_visible()
    assert page.locator("table#centres tbody tr").count() == 19
    page.goto(live_server.url("/federation/costing"))
    page.select_option("select[name=a]", index=0)
    page.select_option("select[name=b]", index=2)
    page.click("#costing-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("table#compare tbody tr").count() == 19
    assert page.locator("table#costing tfoot th").first.inner_text() == "Network"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "federation-costing.png"), full_page=True)
    page.click("#print-link")
    page.wait_for_load_state()
    assert page.locator("table#compare tbody tr").count() == 19 and "federation-print.css" in page.content()
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "federation-costing-print.png"), full_page=True)


def test_a_written_proposal_with_a_mistake_shows_the_field(live_server: LiveServer, new_page: Any) -> None:
    page = new_page()
    log_in(page, live_server, "hr")
    page.goto(live_server.url("/federation/costing?lang=fr"))
    page.click("details summary")
    page.fill(
        "textarea[name=proposal_text]",
        "name: essai\neffective: 2026-02-30\nchanges:\n  - {kind: point_value, percent: 1}\n",
    )
    page.click("#proposal-form button[type=submit]")
    page.wait_for_load_state()
    error = page.locator("#costing-error").inner_text()
    assert "effective" in error and "2026-02-30" in error
    page.fill(
        "textarea[name=proposal_text]",
        "name: Essai +0,5 %\neffective: 2026-03-01\nchanges:\n  - {kind: point_value, percent: 0.5}\n",
    )
    page.click("#proposal-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#proposal-name").inner_text() == "Essai +0,5 %"
    assert page.locator("table#costing tfoot th").first.inner_text() == "Réseau"


def test_grid_in_french_with_its_versions(live_server: LiveServer, new_page: Any) -> None:
    page = new_page()
    log_in(page, live_server, "hr")
    page.goto(live_server.url("/federation/grid?on=2024-03-01&lang=fr"))
    assert page.locator("#point-value").inner_text() == "4,6"  # French decimal comma (Babel)
    assert "Grille fictive" in page.locator("#fictional").inner_text()
    assert page.locator("table#levels tbody tr").count() == 16
    page.screenshot(path=str(SCREENSHOTS / "federation-grid-fr.png"), full_page=True)


def test_centre_hr_sees_its_own_flagged_staff_and_not_another_centre(
    live_server: LiveServer, new_page: Any
) -> None:
    page = new_page()
    log_in(page, live_server, "hr-curie")
    page.goto(live_server.url("/federation/centres/curie"))
    flagged = page.locator("table#flagged tbody tr").count()
    count = int(page.locator("table#compliance tbody tr td").nth(3).inner_text())
    assert flagged == count
    page.screenshot(path=str(SCREENSHOTS / "federation-compliance-centre.png"), full_page=True)
    response = page.goto(live_server.url("/federation/centres/gustave-roussy"))
    assert response is not None and response.status == 404


def test_public_carbon_pages_in_both_languages(live_server: LiveServer, new_page: Any) -> None:
    page = new_page()
    page.goto(live_server.url("/sustainability?lang=en"))
    assert "/sustainability" in [a.get_attribute("href") for a in page.locator("header nav a").all()]
    assert page.locator("table#footprints tbody tr").count() == 19
    assert page.locator("svg.scope-bars rect").count() == 19 * 3
    assert page.locator("#synthetic").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "sustainability.png"), full_page=True)
    page.click("table#footprints tbody tr:first-child a")
    page.wait_for_load_state()
    assert (
        page.locator("table#trend tbody tr").count() == 3
        and page.locator("table#posts tbody tr").count() >= 8
    )
    with page.expect_download() as download:
        page.click("#beges-link")
    assert download.value.suggested_filename.startswith("beges-")
    page.goto(live_server.url("/sustainability/travel?lang=fr"))
    assert "Déplacements des patients" in page.locator("h1").inner_text()
    assert page.locator("table#travel tbody tr").count() == 19
    page.screenshot(path=str(SCREENSHOTS / "sustainability-travel-fr.png"), full_page=True)
    page.goto(live_server.url("/sustainability/factors?lang=fr"))
    assert "AR6" in page.locator("table#factors").inner_text()
