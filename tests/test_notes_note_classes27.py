"""What a note says, read as classes (verdicts27): a drug under a heading that makes it a plan, a cancer of
the history beside the one the note is about, and the patient's own age beside another person's (or no
age at all: unknown, never 0). Wordings written here; each test fails on the reader before this change."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Outcome
from oncofed.ingest.patients.notes import extract
from oncofed.matching import trust
from oncofed.matching.assess import assess_trial

DAY = date(2026, 12, 1)


def _received(text: str) -> set[str]:
    return {f.code or "" for f in extract(text, "n", "note").facts if f.kind == "treatment" and not f.negated}


def _primary(text: str) -> str | None:
    return next((f.code for f in extract(text, "n", "note").facts if f.kind == "primary_cancer"), None)


def _prior(text: str) -> set[str]:
    return {
        f.attributes["cancer"]
        for f in extract(text, "n", "note").facts
        if f.kind == "comorbidity" and f.code == "prior_malignancy"
    }


@pytest.mark.parametrize(
    "heading",
    [
        "Proposal: niraparib within the phase III study.",
        "Project: second-line FOLFIRI.",
        "Next step: cabozantinib (phase II, cohort 2).",
        "MDT decision: enfortumab vedotin if creatinine stays stable.",
        "Treatment options: trastuzumab deruxtecan, or capecitabine.",
        "Therapeutic project:\n- sacituzumab govitecan\n- brain MRI in 3 months",
        "Tumour board proposal: cemiplimab.",
        "Sixty-one, ECOG 0. Proposal: eribulin then reassess.",
    ],
)
def test_a_drug_under_a_plan_heading_is_not_received(heading: str) -> None:
    note = f"Metastatic disease since 03/2026, first line paclitaxel (04-08/2026).\n{heading}"
    assert _received(note) == {"paclitaxel"}


def test_a_drug_under_a_history_heading_is_still_received() -> None:
    assert "docetaxel" in _received(
        "Prostate adenocarcinoma, bone metastases.\nPrevious treatment: docetaxel x6 (2024)."
    )
    assert "nivolumab" in _received("Melanoma stage IV.\nLine 1: nivolumab 2023-2025, progression.")


def test_a_proposed_drug_does_not_violate_a_prior_therapy_exclusion() -> None:
    criteria = parse_eligibility("Exclusion Criteria:\n\n- Prior treatment with niraparib\n").criteria
    p = extract("Relapsed ovarian carcinoma, 2 prior lines.\nNext step: niraparib maintenance.", "n", "note")
    with trust.strict():  # every reading decides: the reading itself is tested
        out = assess_trial(criteria, p, DAY).outcomes[0].outcome
    assert out is not Outcome.VIOLATED


@pytest.mark.parametrize(
    ("note", "current", "past"),
    [
        ("Antecedents: melanoma of the calf 2015, excised.\nLung adenocarcinoma stage IV.", "LUAD", "MEL"),
        ("ATCD: renal cell carcinoma 2018 (partial nephrectomy).\nColon adenocarcinoma, liver metastases.", "COAD", "RCC"),
        ("History: Hodgkin lymphoma 2001 (ABVD + radiotherapy).\nRight breast invasive ductal carcinoma, stage IIA.", "IDC", "CHL"),
        ("Oncological history:\n- papillary thyroid carcinoma 2012\n\nBladder urothelial carcinoma, cT3 N1.", "BLCA", "THPA"),
        ("Previous early breast cancer (2009, lumpectomy). Small cell lung cancer, extensive stage.", "SCLC", "BRCA"),
        ("Renal cell carcinoma 2016, in complete remission. Now a pancreatic adenocarcinoma with liver lesions.", "PAAD", "RCC"),
        ("Antécédents : mélanome de la jambe en 2014.\nAdénocarcinome pulmonaire de stade IV.", "LUAD", "MEL"),
    ],
)  # fmt: skip
def test_a_cancer_of_the_history_is_a_prior_malignancy_not_the_primary(
    note: str, current: str, past: str
) -> None:
    assert _primary(note) == current
    assert past in _prior(note)


def test_an_only_cancer_of_the_history_stays_the_primary_of_a_relapse() -> None:
    note = "History: breast cancer 2015 (lumpectomy, tamoxifen). Bone metastases 2026, biopsy-proven."
    assert _primary(note) == "BRCA"


def test_breast_carcinoma_of_no_special_type_is_read() -> None:
    """ "No special type" is the WHO name of the common breast carcinoma, not a negation."""
    assert _primary("Left breast invasive carcinoma NST, grade 2, pT1c.") == "IDC"
    assert _primary("Invasive carcinoma of no special type, right breast, 18 mm.") == "IDC"
    assert _primary("Right breast invasive carcinoma, cT2 N0.") == "BRCA"


def _age(text: str) -> float | None:
    return extract(text, "n", "note").age_years


@pytest.mark.parametrize(
    ("note", "age"),
    [
        ("Mrs Odile Renaud, 53, nursing her 7-month-old son. Breast cancer.", 53.0),
        ("Ms Kim Laurent (44), her 2-month-old baby is well. Breast cancer.", 44.0),
        ("Mr Yves Perrin, 71, caring for his 95-year-old father. Lung cancer.", 71.0),
        ("Patient born 1979 (47 y), grandmother of a 1-year-old. Ovarian cancer.", 47.0),
        ("38-year-old woman; her triplets are 8 months old. Cervical cancer.", 38.0),
        ("Mme Zoé Marchand, 36 ans, allaite son fils de 3 mois. Cancer du sein.", 36.0),
        ("Mrs Eva Blanc, breastfeeding her 6-month-old daughter. Breast cancer.", None),
        ("Mr Leo Girard, with his 16-year-old son today. Lung cancer.", None),
        ("M. Paul Faure, accompagné de sa mère de 90 ans. Cancer du poumon.", None),
        ("Garçon de 9 ans, neuroblastome de haut risque.", 9.0),  # a child patient's own age
        ("Fille de 12 ans, ostéosarcome du fémur.", 12.0),
    ],
)
def test_the_age_read_is_the_patients_own(note: str, age: float | None) -> None:
    assert _age(note) == age


def test_an_age_not_written_leaves_the_age_line_unknown() -> None:
    criteria = parse_eligibility("Inclusion Criteria:\n\n- Age >= 18 years\n").criteria
    p = extract("Mrs Eva Blanc, breastfeeding her 6-month-old daughter. Breast cancer.", "n", "note")
    with trust.strict():
        assert assess_trial(criteria, p, DAY).outcomes[0].outcome is Outcome.UNKNOWN


def test_a_previous_test_is_no_past_cancer() -> None:
    """ "Previous" places a cancer in the past, not the test that found the current one."""
    note = "Melanoma 2015 excised, no recurrence. Previous biopsy confirmed lung adenocarcinoma, stage IV."
    assert _primary(note) == "LUAD"


@pytest.mark.parametrize(
    ("note", "code"),
    [
        ("Right kidney clear cell carcinoma, 7 cm, Fuhrman 3.", "CCRCC"),
        ("Left ovary high-grade serous carcinoma, FIGO IIIB.", "HGSOC"),
        ("Pancreas adenocarcinoma of the tail, 4 cm.", "PAAD"),
        ("Rectum adenocarcinoma 8 cm from the anal verge, cT3 N1.", "READ"),
        ("Oesophagus squamous cell carcinoma, middle third.", "ESCC"),
        ("Cervix squamous cell carcinoma, FIGO IIB.", "CESC"),
        ("Endometrium endometrioid carcinoma, grade 2.", "UEC"),
    ],
)
def test_a_cancer_named_organ_first_is_read(note: str, code: str) -> None:
    assert _primary(note) == code


def test_a_vocabulary_reading_stays_before_an_organ_first_one() -> None:
    assert _primary("Lung squamous cell carcinoma, stage IIIA.") == "LUSC"
    assert _primary("No kidney carcinoma on the scan. Breast cancer, ER positive.") == "BRCA"


def test_two_cancers_named_organ_first_are_both_read() -> None:
    from oncofed.ingest.patients.notes.organ_first import organ_first

    note = "Left kidney clear cell carcinoma, 6 cm. Rectum adenocarcinoma, cT3 N0."
    assert [code for *_, code in organ_first(note, [])] == ["CCRCC", "READ"]
