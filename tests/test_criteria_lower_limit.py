"""A lower limit of normal is a lower limit: "haemoglobin >= lower limit of normal (LLN)" was read as
"haemoglobin > 1 x ULN" (every normal haemoglobin failed it) and "albumin >= the lower limit of normal" as
"albumin <= 1 x ULN". Read as the analyte's LLN of resources/labs.tsv (as LVEF's 50 % is); an analyte with no
LLN there gives no reading. Found by `benchmarks/audit_case.py`'s sibling rewrites (">=" vs "≥"). Wordings
written here."""

from __future__ import annotations

import pytest

from oncofed.criteria.parser import parse_criterion

CASES = [
    ("Hemoglobin >= lower limit of normal (LLN)", "hemoglobin", ">=", 12.0),
    ("Haemoglobin ≥ LLN", "hemoglobin", ">=", 12.0),
    ("Serum albumin ≥ the lower limit of normal", "albumin", ">=", 3.4),
    ("Neutrophils at or above the institutional lower limit of normal", "anc", ">=", 1.5),
    ("Platelet count not below the lower normal limit", "platelets", ">=", 140.0),
    ("Serum albumin below the lower limit of normal", "albumin", "<", 3.4),
]


@pytest.mark.parametrize(("line", "code", "op", "value"), CASES)
def test_a_lower_limit_of_normal_is_read_as_one(line: str, code: str, op: str, value: float) -> None:
    labs = [a for a in parse_criterion(line).atoms if a.kind == "lab"]
    assert [(a.code, a.operator, a.value) for a in labs] == [(code, op, value)]
    assert labs[0].unit != "x ULN"


def test_an_analyte_without_a_lower_limit_in_the_table_gives_no_reading() -> None:
    assert [a for a in parse_criterion("Bilirubin ≥ LLN").atoms if a.kind == "lab"] == []
