"""Alternatives on one measure, each with its own conditions (verdicts39): "age >= 60 years; or age < 60 with
amenorrhea ..." was read "age >= 60 AND age < 60" (unknown for everyone, verdicts37's guard) or, grouped, as
"age >= 60 OR age < 60" (every woman met it). Now an OR of the alternatives, the one with its own qualifier
kept to check. Wordings written here."""

from __future__ import annotations

from datetime import date

import pytest

from tests.verdict_cases import profile, read_line

OLD, MIDDLE = date(1950, 1, 1), date(1972, 1, 1)  # 76 and 54 on the test day

ALTERNATIVES = [
    "Postmenopausal, meaning: aged 60 or more; or aged under 60 with no menses for 12 months",
    "Postmenopausal women defined as either age 60 or older, or age below 60 with amenorrhoea and FSH in range",
    "Women who are: 55 years of age or older, or younger than 55 years with a bilateral oophorectomy",
    "Menopause: age > 55 years, or age <= 55 years if estradiol is in the postmenopausal range",
    "Age >= 18 years; or age >= 12 years and body weight of at least 40 kg",
]


@pytest.mark.parametrize("line", ALTERNATIVES)
def test_the_first_alternative_decides_and_the_qualified_one_is_to_check(line: str) -> None:
    assert read_line("Inclusion", line, profile(born=OLD, name="old")) == "eligible"
    if "12 years" not in line:  # a 54-year-old meets "age >= 18": eligible either way
        assert read_line("Inclusion", line, profile(born=MIDDLE, name="middle")) == "unknown"


NEAR_MISSES = [
    ("Age 18 to 70 years", "excluded"),  # a range is two limits, both asked
    ("Age >= 18 years and <= 75 years", "excluded"),
    ("Aged 18 or older, ECOG 0 or 1", "unknown"),  # another measure after the comma
    ("Age >= 18 years, life expectancy >= 12 weeks", "unknown"),
]


@pytest.mark.parametrize(("line", "expected"), NEAR_MISSES)
def test_limits_not_written_as_alternatives_are_both_asked(line: str, expected: str) -> None:
    assert read_line("Inclusion", line, profile(born=OLD, name="old")) == expected


# near-misses: the two thresholds are not the whole list of alternatives (left as they were read)
NOT_THE_WHOLE_LIST = [
    "Women who are: older than 60; or younger than 60 with amenorrhea for a year; or after a bilateral oophorectomy",
    "Menopausal by any of: prior bilateral oophorectomy, aged 60 or above, or aged 45 to 59 with amenorrhea",
    "Postmenopausal: age 60 or more; or age 50 to 59 with FSH in the menopausal range",
]


@pytest.mark.parametrize("line", NOT_THE_WHOLE_LIST)
def test_a_longer_list_of_alternatives_is_not_cut_to_two(line: str) -> None:
    from oncofed.criteria.parser import parse_criterion

    atoms = parse_criterion(line).atoms
    assert not [a for a in atoms if (a.attributes or {}).get("unread_alternative", {}).get("kind") == "age"]
