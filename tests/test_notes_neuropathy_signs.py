"""A peripheral neuropathy a note names by its signs (verdicts31): a sensory symptom of the hands or feet
("numbness of the fingertips", "tingling in both feet", "pins and needles in her toes") is one, negated when the
note says so; a symptom elsewhere is not. Wordings written here; each test fails on the reader before this change."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes import extract

HEADER = "Oncology clinic, 28/11/2026.\n"


def _neuropathy(text: str) -> list[bool]:
    facts = extract(HEADER + text, "n", "note").facts
    return [f.negated for f in facts if f.kind == "comorbidity" and f.code == "peripheral_neuropathy"]


@pytest.mark.parametrize(
    "text",
    [
        "KPS 90%. Residual grade 1 numbness of the fingertips since docetaxel.",
        "Tingling in both feet after oxaliplatin, grade 2.",
        "Paraesthesia of the hands and feet (grade 1) since paclitaxel.",
        "Pins and needles in her toes since cycle 4 of weekly paclitaxel.",
        "Complains of feet tingling at night, worse since FOLFOX.",
        "Glove-and-stocking dysaesthesia, CTCAE grade 2.",
    ],
)
def test_a_sensory_symptom_of_the_hands_or_feet_is_a_neuropathy(text: str) -> None:
    assert _neuropathy(text) == [False]


@pytest.mark.parametrize(
    "text",
    ["No numbness or tingling in the feet.", "Numb feet? no.", "Denies paraesthesia in the hands."],
)
def test_a_denied_sign_is_a_negated_neuropathy(text: str) -> None:
    found = _neuropathy(text)
    assert found and all(found)


@pytest.mark.parametrize(
    "text", ["Numbness of the lower lip after the dental block.", "Some tingling, no other complaint."]
)
def test_a_symptom_elsewhere_is_no_neuropathy(text: str) -> None:
    assert _neuropathy(text) == []
