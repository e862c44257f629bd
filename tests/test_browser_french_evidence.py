"""A French clinician's match page in headless Chromium: the engines' evidence for a trial written in
English is said in French grammar, a biomarker result from its parts ("insertion de l'exon 20 d'EGFR"), the
OncoTree cancer by its French name ("adénocarcinome pulmonaire (LUAD)"), French list typography; the
criterion's own words stay as the trial wrote them (a quote). Screenshot docs/screenshots/match-french-evidence.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncofed.store.db import Database
from tests.browser_helpers import recruiting_study, serve_trial_and_note, shot

pytestmark = pytest.mark.browser

NOTE = (
    "Thoracic oncology consultation 2024-03-18. 62-year-old man, never smoker. Lung adenocarcinoma stage IV, "
    "bone metastases. EGFR exon 20 insertion, ALK negative. ECOG 1. No brain metastases."
)
ELIGIBILITY = (
    "Inclusion Criteria:\n"
    "- Age >= 18 years\n"
    "- Histologically confirmed stage IV non-small cell lung cancer\n"
    "- Documented EGFR exon 20 insertion mutation\n"
    "- ECOG 0 or 1\n"
    "Exclusion Criteria:\n"
    "- Symptomatic or untreated brain metastases"
)


@pytest.fixture
def evidence_server(sqlite_db: Database, tmp_path: Path) -> Iterator[str]:
    study = recruiting_study("NCT09990024", "[Fictional] EGFR exon 20 insertion NSCLC, phase II", ELIGIBILITY)
    with serve_trial_and_note(sqlite_db, tmp_path, study, "en-1", NOTE) as url:
        yield url


def test_french_match_page_says_a_biomarker_result_and_a_cancer_name_in_french(
    evidence_server: str, page: Any
) -> None:
    page.goto(evidence_server + "/patients/curie-en-1/matches?lang=fr")
    assert "NCT09990024" in page.locator("main").inner_text()
    biomarker = page.locator("tr", has_text="Documented EGFR exon 20 insertion").inner_text()
    # the criterion's words as written; the evidence in French, built from the result's parts
    assert "insertion de l'exon 20 d'EGFR (critère\u00a0: insertion de l'exon 20)" in biomarker
    cancer = page.locator("tr", has_text="Histologically confirmed stage IV").inner_text()
    assert "adénocarcinome pulmonaire (LUAD), une forme de cancer bronchique non à petites cellules" in cancer
    assert "(NSCLC)\u202f; stade IV" in cancer  # a narrow no-break space before the semicolon
    assert "Lung Adenocarcinoma" not in cancer
    registry = page.locator("tr", has_text="Âge minimum 18 ans").inner_text()
    assert registry.count("champ du registre") == 1  # said once, not twice
    shot(page, "match-french-evidence.png")
    # the same page in English: the engines' words as written
    page.goto(evidence_server + "/patients/curie-en-1/matches?lang=en")
    english = page.locator("tr", has_text="Documented EGFR exon 20 insertion").inner_text()
    assert "EGFR exon 20 insertion (criterion: exon 20 insertion)" in english
