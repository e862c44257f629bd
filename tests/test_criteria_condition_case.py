"""A condition written after alternatives joined by an upper-case "OR" governs the last alternative only, as
after a lower-case "or": "creatinine <= 1.5 x ULN OR clearance >= 60 mL/min for patients with creatinine
above the ULN" asks the clearance of those whose creatinine is high, not "creatinine <= 1.5 x ULN for
patients whose creatinine is high" (which, with the clearance unknown, failed every patient with a normal
creatinine). Wordings written here."""

from __future__ import annotations

import pytest

from oncofed.criteria.parser import parse_criterion

LINES = [
    (
        "Serum creatinine =< 1.5 times ULN OR measured creatinine clearance >= 50 mL/min in subjects with creatinine "
        "above the ULN",
        "creatinine_clearance",
    ),
    (
        "Creatinine within normal limits OR creatinine clearance >= 60 mL/min for patients with creatinine above the "
        "upper limit of normal",
        "creatinine_clearance",
    ),
    (
        "Creatinine ≤ 1.5 x ULN Or calculated CrCl ≥ 45 mL/min for participants with creatinine > 1.5 x ULN",
        "creatinine_clearance",
    ),
    ("ECOG performance status 0-1, OR ECOG 2 for patients with bone metastases", "ecog"),
    ("AST and ALT ≤ 2.5 × ULN, OR ≤ 5 × ULN if liver metastases are present", "ast"),
]


@pytest.mark.parametrize(("line", "governed"), LINES)
def test_the_condition_governs_the_last_alternative_only(line: str, governed: str) -> None:
    atoms = parse_criterion(line).atoms
    assert any(a.condition for a in atoms), "the condition is read"
    first = atoms[0]
    assert not first.condition, f"the first alternative is asked of everyone: {first}"
    assert any(a.condition and (a.code or a.kind) == governed for a in atoms)
