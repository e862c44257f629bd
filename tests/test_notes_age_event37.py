"""An age the note gives of an event or of a relative is not the patient's age (verdicts37, `notes/age.py`).

The years reader's "age 16" / "aged 12" / "8 years old" was read wherever it stood in the note's opening, before
"Mrs Vercors, 61": "smoker since age 16" made a 61-year-old 16, and an "Age >= 18" line failed an eligible patient
(session 14's lost verdicts-blind13 patient was an age limit read against the record's age). An age after "since",
"at", "from", "until", "when she was" dates an event; an age after a counted or owned relative's noun ("two sons
aged 17 and 15") is the relative's. The search goes on to the patient's own age, or none."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes import extract


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Phase 1 unit, 20/11/2026. Mrs Odile Vercors, 61, smoker since age 16 (30 pack-years).", 61),
        ("Mr Thomas Berger, 58. Type 1 diabetes from age 9, on insulin pump.", 58),
        ("Mrs Ines Lamy, 52, postmenopausal since age 49; breast IDC.", 52),
        ("Oncology note. Mr Hugo Petit (66): asthma until age 12, no inhaler since. NSCLC stage IV.", 66),
        ("Mrs Rose Blanc, 47, menarche at age 11, G2P2, triple-negative breast cancer.", 47),
        ("Mr Yann Morel, 70, ex-smoker (started at around age 15, stopped at age 50), bladder cancer.", 70),
        ("Mrs Lea Roy, 45. Epilepsy when she was 14 years old, seizure-free.", 45),
        ("HPI: Mrs Nora Diaz, 63, allergic asthma diagnosed at 8 years old; metastatic melanoma.", 63),
        ("Smoker since age 16. Mrs Odile Vercors, 61, NSCLC.", 61),
    ],
)
def test_an_age_at_an_event_is_not_the_age_now(text: str, age: int) -> None:
    assert extract(text, "n", "test").age_years == age, text


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Mrs Paule Gras, 55, 2 children (aged 12 and 9), breast cancer.", 55),
        ("Mr Omar Said, 61, lives with his wife and two sons aged 17 and 15. Prostate cancer.", 61),
        ("Mrs Jade Noel, 42, has a daughter aged 6; HER2-positive breast cancer.", 42),
        ("Mrs Eva Rey, 44, one grandchild (3 years old). Ovarian cancer.", 44),
        ("Mr Li, 59 (born 1967); both daughters, now aged 20 and 22, are well. Gastric cancer.", 59),
    ],
)
def test_a_counted_or_owned_relatives_age_is_theirs(text: str, age: int) -> None:
    assert extract(text, "n", "test").age_years == age, text


@pytest.mark.parametrize(
    "text",
    [
        "Smoker since age 16; NSCLC stage IV, ECOG 1.",
        "She has three children (aged 12, 9 and 4). Breast cancer.",
        "The boy was born at term to a 35-year-old woman; neuroblastoma.",
    ],
)
def test_no_age_of_the_patient_stays_unknown(text: str) -> None:
    assert extract(text, "n", "test").age_years is None, text


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Mrs Alice Dumas, aged 61, ER-positive breast cancer.", 61),
        ("A woman aged 61 with ER-positive breast cancer; smoker since age 20.", 61),
        ("Patient aged 58 with NSCLC, seen at clinic today.", 58),
        ("Single mother, 38 years old, cervical cancer.", 38),
        ("Mrs Jeanne Dupuis, a mother of two, aged 44, breast cancer.", 44),
        ("Mr Paul Roux, grandfather, aged 81, CLL.", 81),
        ("Seen at clinic: 67-year-old man, prostate cancer since 2019.", 67),
    ],
)
def test_near_misses_the_patients_own_age_is_still_read(text: str, age: int) -> None:
    assert extract(text, "n", "test").age_years == age, text
