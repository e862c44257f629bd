"""A number followed by "F" or "M" is a sex only when it is an age: a temperature in Fahrenheit ("T 98.6 F",
"Temp: 99 F"), or a bed or room ("Bed 12 F") said FEMALE, and, read before the words, made "a 60 year old
man" a woman (lead, session 15: found by trying vital signs in US-style notes)."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes import extract


def _sex(text: str) -> str | None:
    return extract(text, "n1", "test").sex


@pytest.mark.parametrize(
    "text",
    [
        "Temp: 99 F. BP 120/80. Metastatic breast cancer.",
        "Vitals: T 98.6 F, HR 80, SpO2 97 %.",
        "Tmax 101 F overnight, cultures sent.",
        "Febrile to 102 F on admission; ceftriaxone started.",
        "Transferred to Bed 12 F after the biopsy.",
        "Afebrile (T 97.9 F); HR 72.",
        "Room 4 M, seen on the ward round.",
    ],
)
def test_a_temperature_or_a_place_gives_no_sex(text: str) -> None:
    assert _sex(text) is None


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("Patient is a 60 year old man. Temp: 99 F.", "MALE"),
        ("T 98.6 F, HR 80. 67 M with stage IV NSCLC.", "MALE"),
        ("Temp 100.4 F. Mr Dupont, a 71-year-old gentleman with prostate cancer.", "MALE"),
        ("Bed 12 F. 58 yo M, colon cancer.", "MALE"),
    ],
)
def test_the_patient_sex_is_read_past_a_temperature(text: str, sex: str) -> None:
    assert _sex(text) == sex


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("74M with lung cancer, ECOG 1.", "MALE"),
        ("56 F, ER+ breast cancer, on letrozole.", "FEMALE"),
        ("Pt is 60 yo F. T 98.6 F.", "FEMALE"),
        ("HPI: 45F presenting with a breast lump.", "FEMALE"),
    ],
)
def test_an_age_and_sex_letter_still_gives_the_sex(text: str, sex: str) -> None:
    assert _sex(text) == sex
