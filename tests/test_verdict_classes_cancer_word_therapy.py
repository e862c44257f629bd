"""A therapy named with a cancer word is not a cancer (verdicts32, criteria/cancer_word_therapy.py), on
wordings written for it: in "prior cancer vaccine therapy" or "tumour-infiltrating lymphocytes" the cancer
word modifies the therapy's name; a patient with a previous cancer does not violate the line. A cancer
word that is the line's own noun ("prior cancer within 5 years", "prior cancer treated with surgery") is
still a prior malignancy."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.domain import Fact
from tests.verdict_cases import SRC, parse, profile, read_line
from tests.verdict_cases_fr import read_french

PREVIOUS_CANCER = Fact(
    "comorbidity", "prior_malignancy", when=date(2024, 3, 1), provenance=SRC, attributes={"cancer": "COAD"}
)


def kinds(exclusion: str) -> set[str]:
    return {a.kind for c in parse("Breast cancer", exclusion) for a in c.atoms}


@pytest.mark.parametrize(
    "line",
    [
        "Prior cancer vaccine therapy",
        "Previous cancer vaccines of any kind",
        "Received prior tumour-infiltrating lymphocytes",
        "Prior tumor-infiltrating lymphocyte (TIL) therapy",
        "Concurrent cancer-directed treatment",
        "Other tumor-specific cell therapy within 6 months",
        "History of cancer gene therapy",
        "Additional cancer treatment during the study",
    ],
)
def test_a_cancer_word_in_a_therapy_s_name_is_no_malignancy(line: str) -> None:
    assert "prior_malignancy" not in kinds(line), line
    assert read_line("Exclusion", line, profile(PREVIOUS_CANCER, name="prev")) != "excluded", line


@pytest.mark.parametrize(
    "line",
    [
        "Prior cancer within 5 years",
        "Prior cancer treated with surgery alone",
        "Other malignancy requiring active treatment",
        "Another cancer, unless treated more than 3 years ago",
        "Prior tumours of any kind",
    ],
)
def test_a_cancer_noun_of_its_own_is_still_a_malignancy(line: str) -> None:
    assert "prior_malignancy" in kinds(line), line


@pytest.mark.parametrize(
    "line",
    ["Vaccin anti-cancéreux antérieur", "Traitement anticancéreux antérieur dans les 4 semaines"],
)
def test_french_anticancer_therapy_is_no_malignancy(line: str) -> None:
    assert read_french("Exclusion", line, profile(PREVIOUS_CANCER, name="prev-fr")) != "excluded", line


@pytest.mark.parametrize(
    "line",
    [
        "Other cancer treatment within 4 weeks before the first dose",
        "Another cancer therapy in the past 2 years",
        "Additional cancer drugs during the study",
        "Prior cancer treatment with curative intent more than 5 years ago",
        "Previous cancer treatments of any type",
    ],
)
def test_a_cancer_s_treatment_is_read_neither_way(line: str) -> None:
    """ "Another / prior cancer treatment": a treatment of another or a previous cancer, or a treatment for
    cancer; neither reading is grounded: no prior malignancy, and the line does not exclude on its own reading."""
    atoms = [a for c in parse("Breast cancer", line) for a in c.atoms]
    assert "prior_malignancy" not in {a.kind for a in atoms}, line
    assert any(a.kind == "non_evaluable" for a in atoms), line
    chemo = Fact(
        "treatment", "paclitaxel", when=date(2026, 11, 20), provenance=SRC, attributes={"class": "taxane"}
    )
    assert read_line("Exclusion", line, profile(PREVIOUS_CANCER, chemo, name="both")) != "excluded", line
