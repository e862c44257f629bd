"""ECOG and Karnofsky offered as alternatives are met by either (verdicts29). Wordings written for these
tests (none from a benchmark file); each "or" case fails on the engine before this pass."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.domain import Fact, PatientProfile, Provenance
from tests.verdict_cases import read_line

DAY = date(2026, 11, 1)
SRC = Provenance("test")


def read(line: str, ecog: int, karnofsky: int) -> str:
    facts = [Fact("ecog", value=ecog, provenance=SRC), Fact("karnofsky", value=karnofsky, provenance=SRC)]
    profile = PatientProfile(id="p", centre_id="c", sex="FEMALE", birth_date=date(1960, 5, 1), primary_cancer="BRCA",
                             stage="IV", facts=facts)  # fmt: skip
    return read_line("Inclusion", line, profile)


EITHER = [
    "ECOG 0-1 or a Karnofsky index of at least 70.",
    "ECOG PS <= 1 (or KPS >= 70).",
    "ECOG 0-1 / Karnofsky >= 70%.",
    "ECOG performance status <= 1 or equivalent Karnofsky >= 70.",
    "ECOG ≤ 1 ou indice de Karnofsky ≥ 70 %.",
    "Performance status ECOG 0 to 1, or a KPS of 70 or more.",
]


@pytest.mark.parametrize("line", EITHER)
def test_either_scale_meets_a_line_that_offers_both(line: str) -> None:
    assert read(line, ecog=2, karnofsky=70) == "eligible"  # Karnofsky met, ECOG not: the line admits her
    assert read(line, ecog=3, karnofsky=50) == "excluded"  # neither met


@pytest.mark.parametrize("line", ["ECOG 0-1 and Karnofsky >= 70.", "ECOG 0-1; Karnofsky >= 70."])
def test_both_scales_asked_together_stay_both_required(line: str) -> None:
    assert read(line, ecog=2, karnofsky=70) == "excluded"
