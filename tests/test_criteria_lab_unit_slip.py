"""A lab threshold no laboratory could report is a unit slip in the trial's text: unread, never failed (session 14, lead).

Found by listing every corpus line whose lab reading changed this session: "platelets > or = 80,000 x 10^9/L" (/mm3
meant) was read as written once "> or =" was read, and failed every patient. Wordings written for this test; the
bound is 50 times (or a fiftieth of) the analyte's reference limits in resources/labs.tsv, in the same unit.
"""

from __future__ import annotations

import pytest

from oncofed.criteria import extract


def _codes(line: str) -> set[str | None]:
    return {a.code for a in extract.lab_atoms(line)}


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Neutrophils at least 2000 x 10^9/L", "anc"),
        ("Platelet count >= 75,000 x10^9/L", "platelets"),
        ("Platelets > 100.000/mm3 (European thousands)", "platelets"),
        ("Serum creatinine <= 150 mmol/L", "creatinine"),
        ("ANC >= 1.5/uL", "anc"),
    ],
)
def test_an_impossible_threshold_is_not_read(line: str, code: str) -> None:
    assert code not in _codes(line)


@pytest.mark.parametrize(
    ("line", "code", "value"),
    [
        ("ANC >= 1.5 x 10^9/L", "anc", 1.5),
        ("Platelets >= 100,000/mm3", "platelets", 100.0),
        ("Hemoglobin >= 9 g/dL", "hemoglobin", 9.0),
        ("Total bilirubin <= 3 mg/dL", "bilirubin", 3.0),
        ("Creatinine clearance >= 30 mL/min", "creatinine_clearance", 30.0),
    ],
)
def test_a_plausible_threshold_is_still_read(line: str, code: str, value: float) -> None:
    assert [a.value for a in extract.lab_atoms(line) if a.code == code] == [value]
