"""The research pages in headless Chromium, in English and French, on the demo network (issue 20):
publications with the co-publication network, the inclusion-rate funnel with the OECI line, the
sponsor's portfolio and a trial's page (a milestone entered through the form), the affiliation
review queue (a decision through the form). Screenshots go to docs/screenshots/."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.browser_helpers import log_in, shot
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_publications_and_inclusion_are_public_in_both_languages(
    live_server: LiveServer, new_page: Any
) -> None:
    page = new_page()
    page.goto(live_server.url("/research?lang=en"))
    assert "/research" in [a.get_attribute("href") for a in page.locator("header nav a").all()]
    assert page.locator("#fictional").is_visible()
    page.click("#card-publications h2 a")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Publications"
    edges = page.locator("#network svg line.edge").count()
    assert edges > 5 and page.locator("#network svg g.node").count() == 19
    assert page.locator("table#pivot tbody tr").count() == 19
    assert page.locator("table#centre-years tbody tr").count() >= 10  # the latest year's detail
    year = page.locator("select[name=year] option").nth(1).get_attribute("value")
    page.select_option("select[name=year]", year)
    page.select_option("select[name=centre]", "curie")
    page.click("#filter-form button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("table#centre-years tbody tr")
    assert rows.count() == 1 and rows.first.get_attribute("data-centre") == "curie"
    assert page.locator("table#papers tbody tr").count() >= 1
    page.goto(live_server.url("/research/publications"))
    shot(page, "research-publications.png")

    page.goto(live_server.url("/research/publications?lang=fr"))
    assert "Réseau de copublication entre centres" in page.content()
    assert page.locator("#network svg line.edge").count() == edges
    page.goto(live_server.url("/research/inclusion?lang=fr"))
    assert page.locator("h1").inner_text().startswith("Taux d'inclusion")
    assert page.locator("#funnel svg line.target").count() == 1
    assert "Référence OECI" in page.locator("#funnel svg text.target-label").text_content()
    assert page.locator("table#inclusion tbody tr").count() == 19
    shot(page, "research-inclusion-fr.png")


def test_the_sponsor_enters_a_milestone_on_a_trial_page(live_server: LiveServer, new_page: Any) -> None:
    page = new_page()
    log_in(page, live_server, "trials")
    page.goto(live_server.url("/research/portfolio"))
    assert page.locator("table#portfolio tbody tr").count() > 10
    assert page.locator("table#steps tr.slowest").count() == 1
    assert page.locator("#activation svg rect.step").count() == 5
    shot(page, "research-portfolio.png")
    page.locator("table#portfolio tbody tr a").first.click()
    page.wait_for_load_state()
    assert page.locator("table#sites tbody tr").count() >= 1
    assert page.locator("table#months tbody tr").count() >= 1
    site = page.locator("select[name=site] option").first.get_attribute("value")
    page.select_option("select[name=milestone]", "closing")
    page.fill("input[name=on]", date.today().isoformat())
    page.click("#milestone-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#message").inner_text() == "Saved."
    assert (
        page.locator(f'table#sites tr[data-site="{site}"] td.ms-closing')
        .inner_text()
        .startswith(date.today().isoformat())
    )
    page.goto(page.url.split("?")[0] + "?lang=fr")
    assert page.locator("h2", has_text="Échecs de présélection par critère").count() == 1
    assert page.locator("table#screen-failures tbody tr").count() >= 1
    shot(page, "research-trial-fr.png")


def test_an_affiliation_is_decided_in_the_review_queue(live_server: LiveServer, new_page: Any) -> None:
    page = new_page()
    log_in(page, live_server, "quality")
    page.goto(live_server.url("/research/affiliations"))
    rows = page.locator("table#affiliations tbody tr")
    before = rows.count()
    assert before >= 1
    shot(page, "research-affiliations.png")
    first = rows.first
    text = first.locator("td").first.inner_text()
    first.locator("select[name=centre_ids]").select_option("leon-berard")
    first.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#message").is_visible()
    assert text not in [
        r.locator("td").first.inner_text() for r in page.locator("table#affiliations tbody tr").all()
    ]
    page.goto(live_server.url("/research/affiliations?status=reviewed&lang=fr"))
    assert text in page.content() and "Vérifiées" in page.content()
