"""verdicts38: the NCI PDQ template's headings scope their values up to the next heading (criteria/sub_headings.py).
"Life expectancy:" then "At least 5 years" was read "aged 5 or more"; "Age:" then "60 and under" was not read; on a
flattened block a duration under "Menopausal status:" was an age. Wordings written for these tests."""

from __future__ import annotations

import pytest

from oncofed.criteria import parse_eligibility


def _read(text: str) -> set[tuple[str, str, float]]:
    return {
        (a.kind, a.operator, float(a.value))
        for c in parse_eligibility(text).criteria
        for a in c.atoms
        if a.kind in ("age", "life_expectancy") and isinstance(a.value, int | float)
    }


PDQ = "Inclusion Criteria:\nPATIENT CHARACTERISTICS:\n\n"
HEADED = [
    (PDQ + "Age:\n\n70 and under\n\nLife expectancy:\n\nAt least 2 years\n",
     {("age", "<=", 70.0), ("life_expectancy", ">=", 104.0)}),
    (PDQ + "Age\n\n21 and over\n\nPerformance status\n\nECOG 0-2\n\nLife expectancy\n\nMore than 3 months\n",
     {("age", ">=", 21.0), ("life_expectancy", ">=", 13.0)}),
    (PDQ + "Age:\n\n18 to 75\n", {("age", ">=", 18.0), ("age", "<=", 75.0)}),
    ("Inclusion Criteria:\n- PATIENT CHARACTERISTICS: Age: 21 and over Sex: Male Life expectancy: At least 10 years\n",
     {("age", ">=", 21.0), ("life_expectancy", ">=", 520.0)}),
    ("Inclusion Criteria:\n- Age: 19 and over Menopausal status: Postmenopausal for at least 1 year\n",
     {("age", ">=", 19.0)}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), HEADED)
def test_a_heading_scopes_its_value(text: str, expected: set[tuple[str, str, float]]) -> None:
    assert _read(text) == expected


NEAR_MISSES = [
    PDQ + "Menopausal status:\n\nPostmenopausal for at least 1 year\n",  # a duration, no age
    "Inclusion Criteria:\n- At least 5 years\n",  # no heading, no age word: nothing, as before
    "Inclusion Criteria:\nPRIOR CONCURRENT THERAPY:\n\nChemotherapy:\n\nAt least 4 weeks since prior chemotherapy\n",
    "Inclusion Criteria:\n- Menopausal status: Postmenopausal for at least 2 years Performance status: ECOG 0-1\n",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_no_age_from_another_heading_s_duration(text: str) -> None:
    assert not {r for r in _read(text) if r[0] == "age"}


def test_an_age_with_its_own_words_stays_under_another_heading() -> None:
    text = "Inclusion Criteria:\n- Age: 18 and over Other: patients 70 years of age or older need a geriatric assessment\n"
    assert ("age", ">=", 18.0) in _read(text)
