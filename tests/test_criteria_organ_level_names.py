"""An organ-level cancer name maps to the organ, never to one of its subtypes (verdicts29): "esophageal cancer"
was a synonym of Esophageal Adenocarcinoma, so a patient with an oesophageal squamous cell carcinoma failed a
line written for every oesophageal cancer. Wordings written for these tests; each fails on the engine before
this pass."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.domain import Fact, PatientProfile, Provenance
from tests.verdict_cases import read_line

DAY = date(2026, 11, 1)
SRC = Provenance("test")


def read(line: str, cancer: str) -> str:
    profile = PatientProfile(id="p", centre_id="c", sex="MALE", birth_date=date(1958, 5, 1), primary_cancer=cancer,
                             stage="III", facts=[Fact("stage", code="III", value="III", provenance=SRC)])  # fmt: skip
    return read_line("Inclusion", line, profile)


ORGAN_LEVEL = [
    "Histologically confirmed esophageal cancer.",
    "Diagnosis of oesophageal cancer confirmed by biopsy.",
    "Patients with resectable esophageal carcinoma.",
    "Oesophageal carcinoma, stage II-III.",
    "Cancer de l'œsophage confirmé par biopsie.",
    "Cancer de l'oesophage prouvé histologiquement.",
]


@pytest.mark.parametrize("line", ORGAN_LEVEL)
def test_an_organ_level_name_admits_each_histology_of_the_organ(line: str) -> None:
    assert read(line, "ESCC") == "eligible"  # squamous cell carcinoma of the oesophagus
    assert read(line, "ESCA") == "eligible"  # adenocarcinoma of the oesophagus
    assert read(line, "COAD") == "excluded"  # another organ


@pytest.mark.parametrize(
    ("line", "subtype", "other"),
    [
        ("Esophageal adenocarcinoma, histologically confirmed.", "ESCA", "ESCC"),
        ("Adenocarcinoma of the oesophagus.", "ESCA", "ESCC"),
        ("Esophageal squamous cell carcinoma.", "ESCC", "ESCA"),
    ],
)
def test_a_subtype_name_still_asks_for_its_histology(line: str, subtype: str, other: str) -> None:
    assert read(line, subtype) == "eligible"
    assert read(line, other) != "eligible"
