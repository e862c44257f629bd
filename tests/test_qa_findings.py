"""Outside QA findings (2026-12-05 replay on a fresh 2,000-patient demo with the 99 real trials of
`oncology-active-99` and its 30 synthetic notes): each bug reduced to a small case. Every test here is
`xfail(strict=True)`: it states the expected behaviour, fails on the current code, and turns the suite
red (XPASS) once the bug is fixed, so whoever fixes it removes the marker. Owners in each reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Criterion, Fact, Outcome, PatientProfile, Provenance, TrialVerdict
from oncofed.errors import InputError
from oncofed.matching.assess import assess_trial
from oncofed.store.db import Database

DAY = date(2026, 11, 1)
SRC = Provenance("qa")
BREAST = Fact("primary_cancer", "BRCA", provenance=SRC)


def patient(*facts: Fact) -> PatientProfile:
    return PatientProfile(id="p", centre_id="c", sex="FEMALE", birth_date=date(1970, 1, 1), facts=list(facts))


def criteria(inclusion: str, exclusion: str = "", tail: str = "") -> list[Criterion]:
    text = f"Inclusion Criteria:\n\n{inclusion}\n"
    if exclusion:
        text += f"\nExclusion Criteria:\n\n{exclusion}\n"
    return parse_eligibility(text + tail).criteria


def outcome_of(crit: list[Criterion], p: PatientProfile, words: str) -> Outcome:
    a = assess_trial(crit, p, DAY)
    return next(o.outcome for o in a.outcomes if words in o.criterion.text)


# --- wrong clinical output (criteria engine / evaluator: issue 15's area) ----------------------


def test_no_other_previous_treatment_is_not_the_absence_of_the_cancer() -> None:
    crit = criteria(
        "Histologically confirmed breast cancer\n\nNo other previous treatment for primary breast cancer"
    )
    assert outcome_of(crit, patient(BREAST), "No other previous treatment") != Outcome.VIOLATED


def test_an_invasive_stage_i_alternative_in_the_list_is_met() -> None:
    crit = criteria(
        "Patients diagnosed with benign breast lesions (papilloma and sclerosing lesion), flat "
        "epithelial atypia, atypical ductal hyperplasia, lobular carcinoma in situ (Tis N0 M0; stage 0), "
        "ductal carcinoma in situ (Tis N0 M0; stage 0), primary invasive ductal and lobular carcinoma "
        "(T1or2 N0or1 M0; stage I-II), who will directly receive surgery and no neoadjuvant chemotherapy."
    )
    p = patient(Fact("primary_cancer", "IDC", provenance=SRC), Fact("stage", "I", "I", provenance=SRC))
    assert outcome_of(crit, p, "benign breast lesions") != Outcome.VIOLATED


def test_cross_over_period_criteria_do_not_exclude_first_stage_patients() -> None:
    crit = criteria(
        "HER2-positive metastatic breast cancer",
        "Known HIV infection",
        tail="\ninclusion criteria for Stage 1 Cross-over Period:\n\n"
        "Had previously participated in the study of randomized controlled period and received "
        "lapatinib plus capecitabine\n",
    )
    p = patient(
        BREAST,
        Fact("biomarker", "ERBB2", "positive", provenance=SRC),
        Fact("treatment", "trastuzumab", provenance=SRC, attributes={"class": "anti-HER2", "line": 1}),
        Fact("treatment", "capecitabine", negated=True, provenance=SRC),  # "had not received capecitabine"
    )
    assert assess_trial(crit, p, DAY).verdict != TrialVerdict.EXCLUDED


def test_an_exclusion_section_cohort_label_does_not_void_the_inclusions() -> None:
    text = (
        "Inclusion Criteria:\n\nCohorts A and B (Recruitment Closed)\n\nAge 18 years or older\n\n"
        "ECOG performance status 0 or 1.\n\ncohorts C:\n\nAge 18 years or older.\n\n"
        "HER2 positive breast cancer\n\nExclusion Criteria:\n\nFor cohorts A, B (Recruitment Closed)\n\n"
        "Previous treatment with a cyclin-dependent kinase inhibitor.\n"
    )
    a = assess_trial(parse_eligibility(text).criteria, patient(BREAST), DAY)
    inclusions = [o for o in a.outcomes if o.criterion.section.value == "inclusion"]
    assert any(o.outcome != Outcome.NOT_APPLICABLE for o in inclusions)


def test_a_live_vaccine_exclusion_is_not_cleared_by_the_anchor_drug() -> None:
    crit = criteria(
        "Breast cancer",
        "Any non-oncology live vaccine therapy used for prevention of infectious diseases within 3 "
        "weeks prior to first dose of ipilimumab.",
    )
    p = patient(
        BREAST, Fact("treatment", "paclitaxel", provenance=SRC, attributes={"class": "taxane", "line": 1})
    )
    assert outcome_of(crit, p, "live vaccine") != Outcome.SATISFIED


# --- confusing (feasibility spec, web errors, CLI output) ---------------------------------------


def test_feasibility_spec_refuses_an_unknown_cancer_code() -> None:
    """QA: 'ZZZZ' was accepted, counted nobody and spent privacy budget; 'Breast cancer' counted nobody
    while 'breast' gave real counts. Now an unknown value is refused naming the field, and the words
    clinicians type are resolved ('Breast cancer' -> BREAST, decided in the polish brief)."""
    from oncofed.criteria.feasibility_spec import parse_spec

    with pytest.raises(InputError) as refused:
        parse_spec({"name": "x", "inclusion": [{"cancer_type": ["ZZZZ"]}]})
    assert refused.value.field == "cancer_type" and "ZZZZ" in str(refused.value)
    _, resolved = parse_spec({"name": "x", "inclusion": [{"cancer_type": ["Breast cancer"]}]})
    assert resolved[0].atoms[0].value == ["BREAST"]


def test_a_validation_error_on_a_page_is_an_html_page(sqlite_db: Database) -> None:
    from fastapi.testclient import TestClient

    from oncofed.web.app import create_app

    with TestClient(create_app(sqlite_db)) as client:
        r = client.get("/trials?page=0", headers={"Accept": "text/html"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")


def test_the_cli_prints_colon_words_verbatim(tmp_path: Path) -> None:
    from oncofed.commands.common import err_console

    with err_console.capture() as captured:
        err_console.print("junk.csv:patient J6:row 10:x: unknown kind 'x'")
    assert ":x:" in captured.get()
