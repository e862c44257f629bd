"""A limit of normal after a number is a multiple of the limit, never a limit of 1 x ULN (session 14, lead).

verdicts34 read a "ULN" standing alone ("Total bilirubin  ULN": the registry lost the sign) as "<= 1 x ULN".
The same rule fired on a multiple whose comparator is written in another form ("within 1.5 x ULN", "2.5 x ULN
or less"), dropped the multiple and failed a patient at 1.2 x ULN. Wordings written for this test.
"""

from __future__ import annotations

import pytest

from oncofed.criteria import extract


def _limits(line: str) -> list[tuple[str, float, str | None]]:
    return [(a.operator, a.value, a.code) for a in extract.lab_atoms(line)]


@pytest.mark.parametrize(
    "line",
    [
        "Serum creatinine within 1.5 x ULN",
        "Total bilirubin of 1.5 x ULN or less",
        "SGOT/SGPT 2.5 x ULN or lower",
        "Alkaline phosphatase: 3 times ULN or below",
        "Bilirubin (within 2 x ULN in Gilbert's syndrome)",
        "ALT 2.5 ULN or under",
        "Bilirubin 1.5 x the upper limit of normal or less",
        "Total bilirubin:  2 x upper normal limit (ULN)",
    ],
)
def test_a_multiple_of_the_uln_is_never_read_as_one_uln(line: str) -> None:
    assert all(value != 1.0 for _op, value, _code in _limits(line)), _limits(line)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Total bilirubin  ULN", "bilirubin"),  # the sign lost, no number: the safe side stays read
        ("ALT  ULN", "alt"),
        ("Creatinine  institutional ULN", "creatinine"),
    ],
)
def test_a_bare_uln_without_a_number_is_still_read(line: str, code: str) -> None:
    assert ("<=", 1.0, code) in _limits(line)


@pytest.mark.parametrize(
    ("line", "limit"),
    [
        ("Bilirubin not exceeding 1.5 times ULN", 1.5),
        ("AST/ALT maximum 2.5 x ULN", 2.5),
        ("bilirubin at most 2 times ULN", 2.0),
    ],
)
def test_a_multiple_with_its_words_keeps_its_value(line: str, limit: float) -> None:
    assert {value for _op, value, _code in _limits(line)} == {limit}
