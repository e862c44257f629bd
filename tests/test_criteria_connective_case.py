"""A connective's case does not change a line's reading: "AST OR ALT > 2.5 x ULN" is "AST or ALT > 2.5 x ULN".
Upper-case connectives lost a coordinated lab ("ALT AND AST <= 3 x ULN" read as the AST only), a "... OR
greater" threshold, or let a condition govern every alternative before it. The corpus-wide check is
`benchmarks/audit_case.py`. Wordings written here."""

from __future__ import annotations

import re

import pytest

from oncofed.criteria.parser import connectives_lowered, parse_criterion

LINES = [
    "AST OR ALT > 2.5 x ULN",
    "ALT AND AST ≤ 3 times the upper limit of normal",
    "Serum bilirubin, AST OR ALT above 1.5 x ULN",
    "Body mass index of 35 kg/m2 OR greater",
    "SGOT AND/OR SGPT > 3 x ULN",
    "Platelets ≥ 100 x 10^9/L AND haemoglobin ≥ 9 g/dL",
    "Creatinine ≤ 1.5 x ULN OR creatinine clearance ≥ 50 mL/min for patients with creatinine above the ULN",
]


def _key(line: str) -> list[tuple[object, ...]]:
    return [(a.kind, a.code, a.operator, str(a.value), a.unit, a.negated, a.attributes.get("group") is not None,
             tuple((x.kind, x.code, x.operator, str(x.value)) for x in a.condition))
            for a in parse_criterion(line).atoms]  # fmt: skip


@pytest.mark.parametrize("line", LINES)
def test_a_connective_s_case_does_not_change_the_reading(line: str) -> None:
    lower = re.sub(r"(?<=\s)(AND/OR|OR|AND)(?=\s)", lambda m: m.group().lower(), line)
    assert _key(line) == _key(lower)
    assert len(_key(line)) >= 1


def test_lowering_keeps_every_offset_and_leaves_words_alone() -> None:
    text = "ORAL drugs OR ANDROGENS AND/OR an OR-ganised line (OR) ends OR"
    out = connectives_lowered(text)
    assert len(out) == len(text)
    assert out == "ORAL drugs or ANDROGENS and/or an OR-ganised line (OR) ends OR"
