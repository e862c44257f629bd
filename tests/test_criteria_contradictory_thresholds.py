"""Two thresholds on one measure that no value meets together are not a reading (verdicts37, `criteria/coverage.py`
`contradiction`): "female patients who are: age >= 60 years; or age < 60 with amenorrhea ..." was read as "age >= 60
AND age < 60" and failed every patient whose age the note gives (found when the notes reader learnt "Mrs Evelyn R.,
63": an age read right made a misread line exclude). Such a line is never violated: "unknown" with the line kept;
thresholds that can hold together, or alternatives read as such (a group), still decide. Wordings written for this
test."""

from __future__ import annotations

from datetime import date

import pytest

from tests.verdict_cases import parse, profile, read_line

SIXTY_THREE = date(1963, 3, 1)  # 63 on the test day
EIGHTY = date(1946, 3, 1)


@pytest.mark.parametrize(
    "line",
    [
        "No pregnancy test is needed for women who are: age 60 or over; or age < 60 with amenorrhoea for 1 year or"
        " longer",
        "Postmenopausal, defined as age >= 60 years, or age < 60 with FSH in the postmenopausal range",
        "Non-childbearing potential: age ≥ 55; or age under 55 and surgically sterile",
        "Women not of childbearing potential: age ≥ 50 years; or age < 50 years and amenorrhoeic for 12 months",
        "Age > 65 years; age <= 65 years with a geriatric score below 14",
    ],
)
def test_contradictory_thresholds_never_exclude(line: str) -> None:
    assert read_line("inclusion", line, profile(born=SIXTY_THREE)) != "excluded", line
    assert read_line("inclusion", line, profile(born=EIGHTY)) != "excluded", line


@pytest.mark.parametrize(
    ("line", "born", "expected"),
    [
        ("Age >= 18 years and <= 75 years", EIGHTY, "excluded"),
        ("Age 18 to 70 years", EIGHTY, "excluded"),
        ("Age >= 18 years and <= 75 years", SIXTY_THREE, "eligible"),
        ("Aged 65 years or older", SIXTY_THREE, "excluded"),
    ],
)
def test_near_misses_thresholds_that_hold_together_still_decide(line: str, born: date, expected: str) -> None:
    assert read_line("inclusion", line, profile(born=born)) == expected, line


def test_the_line_is_kept_as_the_reason() -> None:
    from oncofed.criteria.coverage import contradiction

    # a line written with "; or" / ", or" is read as alternatives since verdicts39 (measure_alternatives.py):
    # the guard is kept for the shapes that rule does not read (no "or" between the thresholds)
    (c,) = parse("- Age > 65 years; age <= 65 years with a geriatric score below 14")
    assert contradiction(c).startswith("age <= 65")
    (ok,) = parse("- Age >= 18 years and <= 75 years")
    assert contradiction(ok) == ""
