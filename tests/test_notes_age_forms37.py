"""Ages and sexes a note writes in a form the reader did not know (verdicts37, `notes/age.py`, `notes/values.py`):
"56 F," opening a sentence or a patient heading, "Age: 67", "Mrs D., 66" (the name an initial), "(born 1956, 70)",
"Sex: F". Each gave no age (or sex), so an age limit stayed unknown, or a later "since age 51" was read instead."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes import extract


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Breast oncology clinic 13/10/2025. 56 F, metastatic TNBC. Postmenopausal since age 51.", 56),
        ("Gynae-oncology MDT - 09/10/2024\nPt: 58 F. Dx: high-grade serous carcinoma of the ovary.", 58),
        ("HPI: 59 F, ER+ (90%) HER2 0 metastatic breast IDC.", 59),
        ("HPI - 62 M, squamous cell carcinoma of the tongue.", 62),
        ("Breast MDT outcome - 27/08/2024\n44 F, premenopausal. R breast IDC grade 3.", 44),
        ("Patient: 71 M; prostate adenocarcinoma, Gleason 9.", 71),
        ("Identity\nAge: 67\nSex: F\nDiagnosis: breast cancer", 67),
        ("Sex: M | Age: 71 | ECOG: 1. Prostate cancer.", 71),
        ("AGE : 67 years. Breast cancer.", 67),
        ("- Age: 49\n- Diagnosis: cervical cancer", 49),
        ("Dear colleague, thank you for seeing Mrs D., 66, with RAI-refractory thyroid carcinoma.", 66),
        ("Dear Dr Martin, I reviewed Ms Claire D., 46, in melanoma clinic on 11/06/2024.", 46),
        ("Cardio-oncology clinic, 21/08/2025. Mr Jonas P., 54.", 54),
        ("Thank you for seeing Mrs Agathe Lenormand (born 1956, 70) about the window study.", 70),
        ("Mr Z (DOB 01.02.1955, 71 years) with prostate cancer.", 71),
        ("Mrs Roux (date of birth 1960-01-11; 66 y), breast cancer.", 66),
    ],
)
def test_the_age_is_read(text: str, age: int) -> None:
    assert extract(text, "n", "test").age_years == age, text


@pytest.mark.parametrize(
    "text",
    [
        "Gestational age: 38 weeks. Newborn with jaundice.",
        "Age at diagnosis: 45. Breast cancer.",
        "Temp: 99 F, pulse 88. Breast cancer.",
        "Vitals. T 37.8, HR 88. Bed 12 F.",
        "Mrs Agathe Lenormand (born 1956, 2 children) about the window study.",
        "Mr Smith. (2) nodules on CT.",
        "Her mother (born 1940, 86) has dementia. Breast cancer.",
        "Bone age: 12 years. Growth delay.",
        "Family: Mother, age: 80, breast cancer.",
    ],
)
def test_near_misses_no_age(text: str) -> None:
    assert extract(text, "n", "test").age_years is None, text


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("Sex: F. Age: 58. Breast cancer.", "FEMALE"),
        ("Gender: M\nAge: 70\nDx: prostate cancer", "MALE"),
        ("Age: 61 | Sex : M | ECOG 0", "MALE"),
        ("Identity: SEX: F; AGE: 47.", "FEMALE"),
        ("Sex:F, 52, ovarian cancer", "FEMALE"),
    ],
)
def test_a_sex_heading_gives_the_sex(text: str, sex: str) -> None:
    assert extract(text, "n", "test").sex == sex, text


@pytest.mark.parametrize(
    "text",
    [
        "Sex: M.D. review pending. Ovarian cancer.",
        "Safe sex: Fine. Ovarian cancer.",
        "Sexual history: F/U with gynaecology. Ovarian cancer.",
    ],
)
def test_near_misses_the_sex_heading(text: str) -> None:
    assert extract(text, "n", "test").sex is None, text
