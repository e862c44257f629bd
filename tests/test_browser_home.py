"""What a person sees: the home page in headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from oncofed.services.network.centres import network_centres
from tests.conftest import SCREENSHOTS, LiveServer

pytestmark = pytest.mark.browser


def test_home_page_shows_every_centre_on_map_and_table(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url("/"))
    assert page.locator("h1").inner_text() == "The network's centres"
    n = len(network_centres())
    assert page.locator("table#centres tbody tr").count() == n
    assert page.locator("svg.france a.point").count() == n
    assert page.locator("svg.france a.point circle").first.is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)
    # a person clicks a centre on the map and lands on its page, with its trials
    page.locator('svg.france a.point[data-id="leon-berard"]').click()
    page.wait_for_url("**/centres/leon-berard")
    assert "Centre Léon Bérard" in page.locator("h1").inner_text()
    assert page.locator("table#trials tbody tr").count() > 0
    page.screenshot(path=str(SCREENSHOTS / "centre.png"), full_page=True)


def test_language_switch_to_french(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url("/"))
    page.get_by_role("link", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Les centres du réseau"
    page.goto(live_server.url("/centres/curie"))
    assert page.locator("html").get_attribute("lang") == "fr"  # the choice is remembered
