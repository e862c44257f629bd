"""The "Probably not — to check" tab in headless Chromium (1280 and 390 px, English and French): the order
notice, each row's "held back by: <kind> — right N times in M on labelled trials (95% interval)", the rows in
the order of the measured chance that their readings are wrong, and the match-page link. Screenshots:
docs/screenshots/prescreen-probably-not-order-{en,fr}.png and -phone-fr.png."""

from __future__ import annotations

import re
from typing import Any

import pytest

from oncofed.domain import Actor, Role
from oncofed.services.prescreen import odds
from oncofed.services.prescreen.paging import ListQuery, list_page
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.store.db import Database
from oncofed.store.repositories import TrialRepository
from tests.browser_helpers import log_in, shot
from tests.conftest import LiveServer

CENTRE = "curie"


def _probably_not_list(db: Database) -> tuple[str, list[dict[str, Any]]]:
    """A demo trial recruiting at Curie whose Probably-not tab holds patients of different odds."""
    nurse = Actor("arc-order-test", Role.RESEARCH_STAFF, frozenset({CENTRE}))
    with db.session() as s:
        trials = [t.id for t in TrialRepository(s).list()
                  if any(x.centre_id == CENTRE and x.status.is_recruiting for x in t.sites)]  # fmt: skip
    best: tuple[str, list[dict[str, Any]]] = ("", [])
    for trial_id in sorted(trials)[:12]:
        refresh_prescreen(db, trial_id, CENTRE, nurse)
        rows = list_page(db, trial_id, CENTRE, nurse, ListQuery(tab="unlikely", size=500))["candidates"]
        if len({r["wrong_chance"] for r in rows}) > len({r["wrong_chance"] for r in best[1]}):
            best = (trial_id, rows)
    return best


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_probably_not_tab_is_ordered_and_says_why(
    page: Any, browser: Any, live_server: LiveServer, demo_db: Database, lang: str
) -> None:
    trial_id, rows = _probably_not_list(demo_db)
    assert trial_id and len(rows) >= 2, "the demo should have a trial with several probably-not patients"
    chances = [r["wrong_chance"] for r in rows]
    assert chances == sorted(chances, reverse=True)  # most likely wrong first
    log_in(page, live_server, "arc-curie", lang=lang)
    page.goto(live_server.url(f"/prescreen/{trial_id}/{CENTRE}?tab=unlikely&lang={lang}"))
    if page.locator("#stale-note").count():
        page.wait_for_url(re.compile(r"refreshed=1"))
    notice = page.inner_text("#reading-order")
    sets = len(odds.shipped_table().sets)
    assert (f"{sets} labelled sets" if lang == "en" else f"{sets} jeux d'essais annotés") in notice
    shown = page.locator("#candidates tbody tr")
    ids = [shown.nth(k).get_attribute("data-patient") for k in range(min(shown.count(), 10))]
    assert ids == [r["patient_id"] for r in rows[: len(ids)]]
    first = shown.first.locator("ul.read-not-met li .odds").first.inner_text()
    if lang == "en":
        assert first.startswith("held back by: ") and ("on labelled trials" in first)
    else:
        assert first.startswith("retenu par\u00a0: ") and "essais annotés" in first
    assert shown.first.locator("a.open-match").get_attribute("href").endswith(f"#trial-{trial_id}")  # type: ignore[union-attr]
    page.evaluate("document.querySelector('#reading-order').scrollIntoView()")  # the notice, then the rows
    shot(page, f"prescreen-probably-not-order-{lang}.png", full_page=False)
    if lang == "fr":  # a phone: the row's reading odds wrap inside the page, nothing scrolls sideways
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
        small = phone.new_page()
        try:
            log_in(small, live_server, "arc-curie", lang="fr")
            small.goto(live_server.url(f"/prescreen/{trial_id}/{CENTRE}?tab=unlikely&lang=fr"))
            assert small.locator("#reading-order").is_visible()
            odds_box = small.locator("#candidates tbody tr").first.locator(".odds").first.bounding_box()
            assert odds_box is not None and odds_box["x"] > 0 and odds_box["x"] + odds_box["width"] <= 390
            assert small.evaluate("document.documentElement.scrollWidth") <= 390
            small.evaluate("document.querySelector('#candidates tbody tr').scrollIntoView()")
            shot(small, "prescreen-probably-not-order-phone-fr.png", full_page=False)
        finally:
            phone.close()
