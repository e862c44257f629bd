"""A decimal comma in an English note ("ANC 1,5 x10^9/L", as French-trained authors write) is read as the decimal
point it is; a comma before three digits still groups thousands, and a list of numbers is no value (verdicts35,
found by `benchmarks.audit_note_variants2 --rewrite decimal_comma`: 306 of 359 notes lost a lab)."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes import extract

HEAD = "Oncology clinic 02/11/2026. 63 y/o M, colon adenocarcinoma.\n"


def _labs(line: str) -> dict[str, float]:
    return {f.code or "": float(f.value) for f in extract(HEAD + line, "n", "note").facts if f.kind == "lab"}


@pytest.mark.parametrize(
    ("line", "analyte", "value"),
    [
        ("Bloods: ANC 1,5 x10^9/L, platelets 212 G/L.", "anc", 1.5),
        ("Hb 9,8 g/dL (transfused 10/2026).", "hemoglobin", 9.8),
        ("Creatinine 1,25 mg/dL; eGFR 58.", "creatinine", 1.25),
        ("Neutrophils were 2,1 G/L on 28/10.", "anc", 2.1),
        ("Total bilirubin: 1,3 x ULN.", "bilirubin", round(1.3 * 1.2, 4)),
        ("Labs - Hb 11,0 g/dL, plt 180 x10^9/L", "hemoglobin", 11.0),
        ("INR 1,1, Hb 10,2 g/dL, ALT 40 U/L.", "inr", 1.1),
    ],
)
def test_a_decimal_comma_is_a_decimal(line: str, analyte: str, value: float) -> None:
    assert _labs(line).get(analyte) == pytest.approx(value), _labs(line)


@pytest.mark.parametrize(
    ("line", "analyte", "value"),
    [
        ("Platelets 150,000/mm3.", "platelets", 150.0),  # thousands
        ("ANC 1,500/mm3 on day 8.", "anc", 1.5),
    ],
)
def test_three_digits_after_a_comma_are_thousands(line: str, analyte: str, value: float) -> None:
    assert _labs(line).get(analyte) == pytest.approx(value), _labs(line)


@pytest.mark.parametrize(
    "line",
    [
        "ANC 1,5,2,0 and 2,5 over three visits.",  # a list, no value
        "Hb 10, 12 and 11 g/dL on the last three visits.",
        "ANC 1,50,0 x10^9/L (typo).",
    ],
)
def test_lists_of_numbers_give_no_value(line: str) -> None:
    assert not {k for k in _labs(line) if k in ("anc", "hemoglobin")}, _labs(line)
