"""A research nurse's day in French on a phone (390 px wide) and on a desktop, in headless Chromium: no page
scrolls sideways as a whole (a wide table scrolls in its own box), the match page shows each criterion as a
card (section, outcome, criterion, evidence one under the other), the trial search keeps each label beside its
field; and a capitalised engine sentence is said by its own shape ("No EGFR mutation found" was "Non EGFR
mutation found")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oncofed.presenters.engine_text import say
from oncofed.store.db import Database
from tests.browser_helpers import log_in, recruiting_study, serve_trial_and_note, shot
from tests.conftest import LiveServer
from tests.test_browser_french_match import NOTE

PHONE = {"width": 390, "height": 844}
# the trial's criteria in English (the page's layout is the point; the French note gives the French evidence)
ELIGIBILITY = """Inclusion Criteria:
- Age 18 years or older
- Histologically confirmed stage IV non-small cell lung cancer
- ECOG performance status 0 or 1
- Documented EGFR exon 19 deletion or L858R mutation
Exclusion Criteria:
- Symptomatic or untreated brain metastases
- Known HIV infection"""


def _sideways(page: Any) -> int:
    """How many pixels the page scrolls sideways as a whole (0 when it fits)."""
    return int(
        page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def test_a_capitalised_negated_result_is_said_by_its_own_shape() -> None:
    english = "No EGFR mutation found (criterion: exon 19 deletion, L858R)"
    assert say("fr", english) == "Absence de mutation EGFR (critère\u00a0: délétion de l'exon 19, L858R)"
    assert say("en", english) == english
    held = f"Read as not met: {english}. This kind of reading excludes no patient on its own: check it."
    assert "non rempli\u00a0: absence de mutation EGFR" in say("fr", held) and "found" not in say("fr", held)


@pytest.mark.browser
def test_the_nurses_french_pages_fit_a_phone(live_server: LiveServer, page: Any) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "arc-curie", lang="fr")
    page.goto(live_server.url("/patients?lang=fr"))
    patient = page.locator("#patients tbody a").first.get_attribute("href")
    assert patient and patient.startswith("/patients/")
    for path in ["/", "/trials", "/patients", patient, "/prescreen", "/boards", "/research", "/quality"]:
        page.goto(live_server.url(f"{path}?lang=fr"))
        assert page.locator("html").get_attribute("lang") == "fr"
        assert _sideways(page) <= 1, f"{path} scrolls sideways by {_sideways(page)} px at 390 px"
    page.goto(live_server.url("/patients?lang=fr"))
    table = page.locator("#patients")
    box = table.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]  # the table's own box, which scrolls
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # ... sideways, inside itself
    shot(page, "phone-patients-fr.png", full_page=False)


@pytest.mark.browser
def test_the_trial_search_keeps_each_label_beside_its_field(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url("/trials?lang=fr"))
    age = page.locator("label", has=page.locator('input[name="age"]'))
    assert age.inner_text().strip() == "Âge (ans)"
    label_box, field_box = age.bounding_box(), page.locator('input[name="age"]').bounding_box()
    assert label_box is not None and field_box is not None
    assert label_box["height"] <= field_box["height"] + 8  # one line: "Âge (ans)" and its field side by side


@pytest.mark.browser
def test_the_french_match_page_on_a_phone_shows_each_criterion_as_a_card(
    sqlite_db: Database, tmp_path: Path, page: Any
) -> None:
    study = recruiting_study("NCT09990031", "Essai de phase 2 dans le CBNPC avancé", ELIGIBILITY)
    with serve_trial_and_note(sqlite_db, tmp_path, study, "fr-phone", NOTE) as base:
        page.set_viewport_size(PHONE)
        page.goto(base + "/patients/curie-fr-phone/matches?lang=fr")
        match = page.locator("details.match").first
        if match.get_attribute("open") is None:
            match.locator("summary").click()
        row = match.locator("table.criteria tbody tr").first
        section, evidence = row.locator("td").first.bounding_box(), row.locator("td.evidence").bounding_box()
        assert section is not None and evidence is not None
        assert evidence["y"] > section["y"] and abs(evidence["x"] - section["x"]) < 2  # one under the other
        assert evidence["x"] + evidence["width"] <= PHONE["width"]
        assert _sideways(page) <= 1
        shot(page, "phone-matches-fr.png", full_page=False)
        page.set_viewport_size({"width": 1280, "height": 900})
        ids = page.locator("span.id")  # the trials to check: an id is never cut at its hyphen
        assert ids.count() > 0
        box = ids.first.bounding_box()
        line = page.locator("body").evaluate("b => parseFloat(getComputedStyle(b).lineHeight)")
        assert box is not None and box["height"] < 1.5 * line
