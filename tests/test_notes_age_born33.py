"""The age in brackets after the birth date (verdicts33, `notes/age.py`): "born 30/05/1958 (68)" gave no age
(only "(68 y)" was read), so an age limit stayed unknown; a bracket that holds anything else, or follows
another date, is no age."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes import extract


@pytest.mark.parametrize(
    ("text", "age"),
    [
        (
            "Breast clinic, 19/11/2026. Mrs Lucie Tessandier, born 30/05/1958 (68).\nLeft breast IDC, grade 3.",
            68,
        ),
        ("Dear Dr Rivière, re: Mrs Paulette Aubrac, born 11/01/1960 (66), postmenopausal; 21/11/2026.", 66),
        ("Patient: Anne Roux. DOB: 30.05.1958 (68). ER+ breast cancer.", 68),
        ("Mr Paul Henri, date of birth 1958-05-30 (68), NSCLC.", 68),
        ("Mr Paul Henri, born on 30 May 1958 (68), NSCLC.", 68),
        ("Mrs Chloé Martin, born March 3, 1961 (65), breast cancer.", 65),
    ],
)
def test_a_bare_number_after_the_birth_date_is_the_age(text: str, age: int) -> None:
    assert extract(text, "n", "test").age_years == age, text


@pytest.mark.parametrize(
    "text",
    [
        "Mrs Anne Roux, born 30/05/1958 (Lyon), breast cancer.",
        "CT 12/05/2026 (3) nodules; Mrs Roux, breast cancer.",
        "Mrs Anne Roux, diagnosed 2019 (2) lesions, breast cancer.",
        "Her daughter, born 2001 (25), is well. Breast cancer.",
    ],
)
def test_near_misses_no_age(text: str) -> None:
    assert extract(text, "n", "test").age_years is None, text
