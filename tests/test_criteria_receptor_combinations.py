"""A list of receptor combinations is an OR of conjunctions; a receptor said not to matter is no
requirement (verdicts29). Wordings written for these tests (none from a benchmark file); each case fails
on the engine before this pass."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.domain import Fact, PatientProfile, Provenance
from tests.verdict_cases import read_line

DAY = date(2026, 11, 1)
SRC = Provenance("test")


def patient(er: str, pr: str, her2: str = "negative") -> PatientProfile:
    facts = [
        Fact("stage", code="IV", value="IV", provenance=SRC),
        Fact("disease_status", "metastatic", provenance=SRC),
        Fact("biomarker", "ER", er, provenance=SRC),
        Fact("biomarker", "PR", pr, provenance=SRC),
        Fact("biomarker", "HER2", her2, provenance=SRC),
    ]
    return PatientProfile(id="p", centre_id="c", sex="FEMALE", birth_date=date(1968, 5, 1), primary_cancer="BRCA",
                          stage="IV", facts=facts)  # fmt: skip


def read(line: str, profile: PatientProfile) -> str:
    return read_line("Inclusion", line, profile)


POS, NEG = "positive", "negative"

# (line, the (ER, PR) statuses it admits); every other pair of statuses is excluded
COMBINATIONS = [
    ("Breast carcinoma that is ER+/PR+ or ER+/PR-, regardless of HER2 status.", {(POS, POS), (POS, NEG)}),
    (
        "Tumour hormone status ER-positive/PR-positive, ER-positive/PR-negative or ER-negative/PR-positive.",
        {(POS, POS), (POS, NEG), (NEG, POS)},
    ),  # fmt: skip
    ("Either ER-/PR+ or ER+/PR+ disease on the most recent biopsy.", {(NEG, POS), (POS, POS)}),
    ("Receptor profile ER+/PgR- or ER-/PgR+ (discordant) breast cancer.", {(POS, NEG), (NEG, POS)}),
    ("Cancer du sein RE+/RP+ ou RE+/RP-, quel que soit le statut HER2.", {(POS, POS), (POS, NEG)}),
    ("ER+/PR+/HER2- or ER+/PR-/HER2- metastatic breast cancer.", {(POS, POS), (POS, NEG)}),
]
PAIRS = [(POS, POS), (POS, NEG), (NEG, POS), (NEG, NEG)]


@pytest.mark.parametrize(("line", "admitted"), COMBINATIONS)
def test_a_list_of_receptor_combinations_admits_each_combination(
    line: str, admitted: set[tuple[str, str]]
) -> None:
    got = {pair: read(line, patient(*pair)) for pair in PAIRS}
    assert got == {pair: "eligible" if pair in admitted else "excluded" for pair in PAIRS}


REGARDLESS = [
    "ER-positive breast cancer regardless of HER2 status.",
    "Hormone receptor-positive disease, irrespective of HER2-positive or HER2-negative status.",
    "ER+ breast cancer, independently of HER2 expression.",
    "Cancer du sein RE positif, quel que soit le statut HER2.",
    "ER-positive tumours, regardless of the HER2 result (positive or negative).",
]


@pytest.mark.parametrize("line", REGARDLESS)
def test_a_receptor_said_not_to_matter_is_no_requirement(line: str) -> None:
    assert read(line, patient(POS, POS, her2=POS)) == "eligible"
    assert read(line, patient(POS, POS, her2=NEG)) == "eligible"
