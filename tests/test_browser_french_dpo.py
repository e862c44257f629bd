"""A data-protection officer's and a trial manager's pages in French (fresh eyes, headless Chromium): the audit
filter's checkbox beside its words, the feasibility form within a phone's width, the quality indicator's period
said as months ("janv. 2025", not "2025-01") and its funnel's reference line labelled in French ("Objectif",
not "target")."""

from __future__ import annotations

from typing import Any

import pytest

from oncofed.presenters.i18n import translator
from tests.browser_helpers import log_in, shot
from tests.conftest import LiveServer

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize(
    ("lang", "month", "said"),
    [("en", "2025-01", "Jan 2025"), ("fr", "2025-01", "janv. 2025"), ("fr", "2025-12", "déc. 2025"), ("fr", "2025-13", "2025-13")],
)  # fmt: skip
def test_a_month_is_said_in_the_readers_words(lang: str, month: str, said: str) -> None:
    assert translator(lang).day(month) == said


@pytest.mark.browser
def test_the_dpo_audit_filter_has_its_checkbox_beside_its_words(live_server: LiveServer, page: Any) -> None:
    log_in(page, live_server, "dpo", lang="fr")
    page.goto(live_server.url("/audit?lang=fr"))
    box = page.locator("#security-only").bounding_box()
    words = page.locator("label", has=page.locator("#security-only")).bounding_box()
    assert box is not None and words is not None
    assert words["height"] < 2.5 * box["height"] + 10  # one line, the box at its left (was above the words)
    assert box["x"] - words["x"] < 8  # the checkbox's own margin


@pytest.mark.browser
def test_the_trial_managers_french_quality_and_feasibility_pages(live_server: LiveServer, page: Any) -> None:
    log_in(page, live_server, "trials", lang="fr")
    page.goto(live_server.url("/quality/indicators/mdt_before_treatment?lang=fr"))
    meta = page.locator("p.meta").first.inner_text()
    assert "Période\u00a0: " in meta and "janv." in meta and "2025-01" not in meta
    assert "objectif d'exemple" in meta and "example target" not in meta
    target = page.locator("svg line.target title").first.text_content() or ""
    assert target.startswith("Objectif ") and "," in target  # "Objectif 95,0 %"
    shot(page, "quality-indicator-fr.png", full_page=False)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url("/feasibility?lang=fr"))
    select = page.locator("select#trial").bounding_box()
    assert select is not None and select["x"] + select["width"] <= PHONE["width"]
    scroll = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert scroll <= 1


@pytest.mark.browser
def test_the_french_feasibility_answer_says_its_numbers_in_french(live_server: LiveServer, page: Any) -> None:
    log_in(page, live_server, "trials", lang="fr")
    page.goto(live_server.url("/feasibility?lang=fr"))
    page.locator("form.inline button").first.click()
    page.wait_for_load_state()
    table = page.locator("table#feasibility").inner_text()
    assert (
        "10 ou moins" in table and "or fewer" not in table
    )  # the network total's "+ 19 × (10 ou moins)" too
    policy = page.locator("#policy").inner_text()
    assert "écart type " in policy and not any(
        f"{d}.{e}" in policy for d in "0123456789" for e in "0123456789"
    )


def test_every_indicator_says_where_its_target_comes_from_in_french() -> None:
    from oncofed.quality.indicators import load_indicators

    targeted = [ind for ind in load_indicators() if ind.target is not None]
    assert targeted
    for ind in targeted:
        french = ind.target_source_in("fr")
        assert french and french != ind.target_source, f"{ind.id}: target_source has no French (fr:) text"
        assert ind.target_source_in("en") == ind.target_source


@pytest.mark.browser
def test_an_empty_pre_screening_view_shows_no_bulk_action(live_server: LiveServer, page: Any) -> None:
    """A view without patients said '0–0 sur 0' and offered 'Appliquer' on nothing: only its message now."""
    log_in(page, live_server, "arc-curie", lang="fr")
    page.goto(live_server.url("/prescreen?lang=fr"))
    lists = page.locator("#prescreen-lists a[href^='/prescreen/']")
    assert lists.count() > 0
    for i in range(min(lists.count(), 8)):
        page.goto(live_server.url((lists.nth(i).get_attribute("href") or "") + "?lang=fr&tab=new"))
        if page.locator("#no-rows").count():
            break
    assert page.locator("#no-rows").is_visible()
    assert not page.locator("#apply").is_visible() and not page.locator("#list-position").is_visible()
