"""The match page of a patient imported from a French note (issue 23), in headless Chromium: the criteria
of a trial written in French are explained with the note's French words as evidence, and the patient
page lists the French sentences that were not understood."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncofed.store.db import Database
from tests.browser_helpers import recruiting_study, serve_trial_and_note, shot

pytestmark = pytest.mark.browser

NOTE = (
    "Consultation d'oncologie thoracique du 18/03/2024. Patiente de 58 ans, non-fumeuse.\n"
    "Adénocarcinome pulmonaire (CBNPC) stade IV, métastases osseuses, EGFR/ALK négatifs.\n"
    "1re ligne carboplatine/pémétrexed x4 cures -> progression 01/2024.\n"
    "PS OMS 1. Pas de métastase cérébrale. Sérologie VIH négative.\n"
    "PNN 3,1 G/L, plaquettes 245 G/L, créatinine 71 µmol/L, ASAT 1,2 x LSN.\n"
    "Prélèvement tumoral : cellularité à réévaluer par l'anatomopathologiste."
)
ELIGIBILITY = (
    "Critères d'inclusion :\n"
    "- Âge ≥ 18 ans\n"
    "- Cancer bronchique non à petites cellules de stade IV confirmé histologiquement\n"
    "- PS OMS 0 ou 1\n"
    "- PNN ≥ 1,5 G/L et plaquettes ≥ 100 G/L\n"
    "Critères de non-inclusion :\n"
    "- Métastases cérébrales symptomatiques ou non traitées\n"
    "- Infection par le VIH\n"
    "- Femme enceinte ou allaitante"
)


@pytest.fixture
def french_server(sqlite_db: Database, tmp_path: Path) -> Iterator[str]:
    study = recruiting_study("NCT09990023", "[Fictional] Essai de phase II, CBNPC", ELIGIBILITY)
    with serve_trial_and_note(sqlite_db, tmp_path, study, "fr-1", NOTE) as url:
        yield url


def test_match_page_of_a_french_note_patient_quotes_the_french_note(french_server: str, page: Any) -> None:
    page.goto(french_server + "/patients/curie-fr-1/matches?lang=fr")
    body = page.locator("main").inner_text()
    assert "NCT09990023" in body
    rows = page.locator("tr", has_text="Métastases cérébrales symptomatiques").all_inner_texts()
    assert rows and "métastase cérébrale" in rows[0]  # the note's own French words as evidence
    labs = page.locator("tr", has_text="PNN ≥ 1,5 G/L").all_inner_texts()
    assert labs and "PNN 3,1 G/L" in labs[0]
    shot(page, "match-french-note.png")


def test_patient_page_of_a_french_note_lists_what_was_not_understood(french_server: str, page: Any) -> None:
    page.goto(french_server + "/patients/curie-fr-1?lang=fr")
    unread = page.locator("section#kind-note_unread").inner_text()
    assert "cellularité à réévaluer" in unread
    assert "carboplatin" in page.locator("section#kind-treatment").inner_text()
