"""A negation opening a line negates a NAMED measure only: a duration the age reader took is not negated (session 14, lead).

verdicts34's negated_thresholds negated the first threshold of "No spontaneous menses for >= 1 year"; the age
reader had taken "for >= 1 year" as an age, so the line read "not aged 1 or more" and failed every patient. The
corpus listing of every line whose age or sex reading changed this session found it. Wordings written for this test.
"""

from __future__ import annotations

import pytest

from oncofed.criteria import parse_eligibility

# the NCI / PDQ template, where a bare number under the "Age" heading is an age and the age reader reads
# ">= 1 year" further down as one too
TEMPLATE = (
    "PATIENT CHARACTERISTICS:\n\nAge\n\n18 and over\n\nMenopausal status\n\n"
    "Postmenopausal, defined by any of the following:\n\n{line}\n\nPrior bilateral oophorectomy\n"
)


def _ages(line: str) -> list[tuple[str, object, bool]]:
    crits = parse_eligibility(TEMPLATE.format(line=line)).criteria
    crit = next(c for c in crits if c.text.strip() == line)
    return [(a.operator, a.value, a.negated) for a in crit.atoms if a.kind == "age"]


@pytest.mark.parametrize(
    "line",
    [
        "No spontaneous menses for >= 1 year",
        "No menstrual bleeding for > 1 year",
        "Without menses for > 2 years",
        "Absence of menstruation for >= 1 year before enrolment",
        "No periods for >= 2 years",
    ],
)
def test_a_duration_after_a_negation_never_reads_as_a_negated_age(line: str) -> None:
    assert not any(negated for _op, _value, negated in _ages(line))


@pytest.mark.parametrize(
    ("line", "negated"),
    [
        ("Age >= 18 years", False),
        ("Aged 18 or older", False),
        ("Age >= 50 years with no menses for 1 year", False),
    ],
)
def test_an_age_named_keeps_its_reading(line: str, negated: bool) -> None:
    ages = _ages(line)
    assert ages and all(n is negated for _op, _v, n in ages), ages
