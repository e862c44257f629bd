"""A count of prior lines said as a range or a choice (verdicts29): "either one or two prior therapies",
"at least one but no more than three prior regimens", "une ou deux lignes", "pas plus de deux lignes" is
a range, never its last number read as exact nor a bound dropped. Wordings written for these tests (none
from a benchmark file); each parametrised case below fails on the engine before this pass."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria.parser import parse_eligibility
from oncofed.domain import Fact, PatientProfile, Provenance
from tests.verdict_cases import read_line

DAY = date(2026, 11, 1)
SRC = Provenance("test")
DRUGS = [("paclitaxel", "chemotherapy"), ("capecitabine", "chemotherapy"), ("eribulin", "chemotherapy"),
         ("gemcitabine", "chemotherapy"), ("vinorelbine", "chemotherapy")]  # fmt: skip


def patient(lines: int) -> PatientProfile:
    facts = [
        Fact("stage", code="IV", value="IV", provenance=SRC),
        Fact("disease_status", "metastatic", provenance=SRC),
        Fact("metastasis", "lung", provenance=SRC),
    ]
    for i, (drug, klass) in enumerate(DRUGS[:lines]):
        start, end = f"{2020 + i}-01-01", f"{2020 + i}-10-01"
        attrs = {"class": klass, "start": start, "end": end, "setting": "metastatic", "line": i + 1}
        facts.append(Fact("treatment", drug, provenance=SRC, attributes=attrs))
    if not lines:
        facts.append(Fact("treatment", None, negated=True, provenance=SRC))
    return PatientProfile(id="p", centre_id="c", sex="FEMALE", birth_date=date(1968, 5, 1), primary_cancer="BRCA",
                          stage="IV", facts=facts)  # fmt: skip


def read(line: str, lines: int) -> str:
    return read_line("Inclusion", line, patient(lines))


def bounds(line: str) -> set[tuple[str, int]]:
    criteria = parse_eligibility(f"Inclusion criteria:\n- {line}").criteria
    return {(a.operator, a.value) for c in criteria for a in c.atoms if a.kind == "prior_lines"}


# --- a choice of two counts is a range: its lower count is met, never only its last -----------------------

CHOICE = [
    ("Participants must have had either one or two prior therapies for advanced disease.", 1, 2),
    ("Subjects previously given one or two prior treatments in the metastatic setting.", 1, 2),
    ("Either two or three previous chemotherapies for recurrent disease are required.", 2, 3),
    ("Must have received two to four prior systemic therapies.", 2, 4),
    ("Must have had 1-2 prior treatments for metastatic disease.", 1, 2),
]


@pytest.mark.parametrize(("line", "low", "high"), CHOICE)
def test_a_choice_of_counts_of_prior_therapies_is_a_range(line: str, low: int, high: int) -> None:
    assert bounds(line) == {(">=", low), ("<=", high)}
    assert read(line, low) == "eligible"
    assert read(line, high) == "eligible"
    assert read(line, high + 1) == "excluded"
    assert read(line, low - 1) == "excluded"


# --- a lower and an upper bound said one after the other: both hold -----------------------------------------

BOTH_BOUNDS = [
    ("At least one but no more than three prior lines of systemic therapy.", 1, 3),
    ("At least 2 and at most 4 prior regimens for metastatic disease.", 2, 4),
    ("A minimum of one, but not more than two prior lines of chemotherapy.", 1, 2),
    ("More than one but no more than three prior lines of treatment.", 2, 3),
    ("Au moins une mais pas plus de trois lignes de traitement antérieures.", 1, 3),
    ("Au moins deux mais au plus quatre lignes antérieures.", 2, 4),
]


@pytest.mark.parametrize(("line", "low", "high"), BOTH_BOUNDS)
def test_a_count_with_both_its_bounds_keeps_the_lower_one(line: str, low: int, high: int) -> None:
    assert bounds(line) == {(">=", low), ("<=", high)}
    assert read(line, low - 1) == "excluded"
    assert read(line, low) == "eligible"
    assert read(line, high + 1) == "excluded"


# --- French upper bounds: "pas plus de deux" is at most two, never more than two ----------------------------

FRENCH_AT_MOST = [
    ("Pas plus de deux lignes de traitement antérieures pour la maladie métastatique.", 2),
    ("Pas plus de 3 lignes de chimiothérapie antérieures.", 3),
    ("Jusqu'à deux lignes de traitement antérieures.", 2),
    ("Un maximum de trois lignes antérieures.", 3),
    ("Avoir reçu au plus une ligne de traitement antérieure.", 1),
]


@pytest.mark.parametrize(("line", "high"), FRENCH_AT_MOST)
def test_a_french_upper_bound_on_prior_lines(line: str, high: int) -> None:
    assert ("<=", high) in bounds(line)
    assert read(line, high) != "excluded"
    assert read(line, high + 1) == "excluded"
