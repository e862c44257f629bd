"""A birth date written alone gives the age on the note's date (verdicts42, `notes/age.py` `age_from_birth`,
`notes/dates.py` `birth_date`). "Mr Corvin, born 14/03/1961" with no age beside it gave no age (36 of the 104
readable notes that write a birth date), and on a letter's first line the birth date was taken as the note's
date, so "two weeks ago" was dated in the 1960s. Wordings written here."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.ingest.patients.notes import extract
from oncofed.ingest.patients.notes.dates import as_of, note_date


@pytest.mark.parametrize(
    ("text", "age"),
    [
        (
            "GI oncology day unit, 23/11/2026 - Mr Jules Corvin, born 14/03/1961\nS: tingling in both feet.",
            65,
        ),
        ("Breast clinic, 20/11/2026 - Mrs Anne Dulac, born 29/10/1969; left breast IDC, pT1c N0.", 57),
        (
            "Dear colleague, I saw Mrs Irène Favre (born 22/06/1963) in clinic on 17/11/2026. Ovarian cancer.",
            63,
        ),
        (
            "Referral 05/03/2025\nPatient: Mr K. Olsen\nDOB: 12.03.1951\nDiagnosis: prostate adenocarcinoma.",
            73,
        ),
        ("Oncology review 01/06/2024. Date of birth: 1958-05-30. Metastatic colorectal cancer.", 66),
        ("Thoracic MDT, 04/02/2025. Mr Aldo Reni, born on 3 February 1957, NSCLC stage IV.", 68),
        ("Consultation du 26/11/2026 - Mme Léonie Marchal, née le 05/09/1977, cancer du sein.", 49),
        # the birthday on the note's day counts; the day before it does not
        ("Clinic 14/03/2026. Mr Corvin, born 14/03/1961. Colon cancer.", 65),
        ("Clinic 13/03/2026. Mr Corvin, born 14/03/1961. Colon cancer.", 64),
        # a birth month and a note outside it: one age whatever the day
        ("Clinic 20/11/2026. Mrs Dulac, born 03/1969. Breast cancer.", 57),
    ],
)
def test_a_birth_date_alone_gives_the_age_on_the_note_s_date(text: str, age: int) -> None:
    assert extract(text, "n", "test").age_years == age, text


@pytest.mark.parametrize(
    "text",
    [
        # a year only: 60 or 61 on the note's date
        "Clinic 20/11/2026. Mrs Dulac, born 1965. Breast cancer.",
        # the birth month is the note's month: the age is open by a year
        "Clinic 20/11/2026. Mrs Dulac, born 11/1969. Breast cancer.",
        # no date of the note: no day to count from
        "Mrs Dulac, born 29/10/1969. Left breast IDC.",
        # a relative's birth date
        "Clinic 20/11/2026. Mrs Dulac lives with her daughter, born 02/03/2001. Breast cancer.",
    ],
)
def test_a_birth_date_that_leaves_the_age_open_gives_none(text: str) -> None:
    assert extract(text, "n", "test").age_years is None, text


def test_a_written_age_wins_over_the_birth_date() -> None:
    text = "Clinic 20/11/2026. Mrs Dulac, born 29/10/1969 (57). Breast cancer."
    assert extract(text, "n", "test").age_years == 57


def test_the_age_fact_shows_the_birth_date_and_the_day_counted_from() -> None:
    text = "Breast clinic, 20/11/2026 - Mrs Anne Dulac, born 29/10/1969; left breast IDC."
    fact = next(f for f in extract(text, "n", "test").facts if f.kind == "age")
    assert fact.value == 57
    assert fact.attributes == {"birth_date": "1969-10-29", "on": "2026-11-20"}
    assert text[slice(*fact.provenance.span)] == "29/10/1969"


def test_a_birth_date_is_no_visit_date_and_dates_no_event() -> None:
    text = (
        "Dear colleague, I saw Mr Olsen (born 04/01/1974) on 24/11/2026, two weeks after his surgery.\n"
        "Plan: adjuvant chemotherapy."
    )
    assert note_date(text) is None or note_date(text).latest != date(1974, 1, 4)  # type: ignore[union-attr]
    assert as_of(text) == date(2026, 11, 24)
    first = "Mr Olsen (born 04/01/1974) - clinic 24/11/2026\nCT scan 2 weeks ago: stable."
    assert note_date(first) is not None and note_date(first).latest == date(2026, 11, 24)  # type: ignore[union-attr]
