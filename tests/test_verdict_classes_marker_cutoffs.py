"""A number asked of a marker the record gives as a category (verdicts30, criteria/marker_cutoffs.py), on
wordings written for it: "HER2 gene copy number < 6", "HER2/CEP17 ratio below 2.0" are met by a HER2-negative
or non-amplified tumour and left unknown (never violated) by an amplified one; "HER2 copy number >= 6" is
met by an amplified tumour when the category implies the count, and never violated by a negative one."""

from __future__ import annotations

import pytest

from oncofed.domain import Fact, PatientProfile
from tests.verdict_cases import SRC, parse, profile, read_line, same_everywhere
from tests.verdict_cases_fr import read_french


def her2(value: str, kind: str = "") -> PatientProfile:
    attrs = {"kind": kind} if kind else {}
    return profile(
        Fact("biomarker", "HER2", value, provenance=SRC, attributes=attrs), name=f"her2-{value}-{kind}"
    )


NEGATIVE = her2("negative")
IHC_1 = her2("1+", "ihc")
POSITIVE = her2("positive")
AMPLIFIED = her2("amplified", "amplification")

BELOW = [
    "Single-probe mean HER2 gene copy number of < 6 signals per nucleus",
    "HER2/CEP17 ratio < 2.0 by in situ hybridisation",
    "HER2:CEP17 ratio of less than 2.2",
    "HER2 to chromosome 17 centromere ratio below 2.0",
    "Average HER2 signals <6.0 per cell (dual-probe ISH)",
]


@pytest.mark.parametrize("line", BELOW)
def test_a_negative_tumour_meets_a_count_below_the_amplification_cutoff(line: str) -> None:
    assert read_line("Inclusion", line, NEGATIVE) == "eligible", line
    assert read_line("Inclusion", line, IHC_1) == "eligible", line


@pytest.mark.parametrize("line", BELOW)
def test_an_amplified_tumour_is_unknown_not_violated(line: str) -> None:
    assert read_line("Inclusion", line, POSITIVE) == "unknown", line
    assert read_line("Inclusion", line, AMPLIFIED) == "unknown", line


def test_a_cutoff_the_category_does_not_imply_stays_unknown() -> None:
    # a non-amplified tumour may count 4 to 6 signals: "< 4" is not implied by "negative"
    assert read_line("Inclusion", "HER2 gene copy number < 4.0", NEGATIVE) == "unknown"


@pytest.mark.parametrize(
    "line",
    [
        "HER2 gene copy number >= 4 signals/nucleus",
        "HER2/CEP17 ratio of at least 2.0",
        "HER2/CEP17 ratio ≥ 2",
    ],
)
def test_a_count_above_the_cutoff(line: str) -> None:
    assert read_line("Inclusion", line, AMPLIFIED) == "eligible", line
    assert read_line("Inclusion", line, NEGATIVE) == "unknown", line  # never violated by a category


def test_the_paths_agree() -> None:
    same_everywhere(
        parse(BELOW[0] + "\n\n" + "HER2/CEP17 ratio of at least 2.0"), [NEGATIVE, POSITIVE, AMPLIFIED]
    )


@pytest.mark.parametrize(
    "line", ["Rapport HER2/CEP17 < 2,0", "Nombre moyen de copies du gène HER2 < 6 signaux par noyau"]
)
def test_french_wordings(line: str) -> None:
    assert read_french("Inclusion", line, NEGATIVE) == "eligible", line
    assert read_french("Inclusion", line, AMPLIFIED) == "unknown", line
