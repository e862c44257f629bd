"""verdicts38: a list of analytes shares the threshold written after it, a multiple of the ULN is read with its
implied sign, and "within normal limits" is read on each analyte's own side (criteria/lab_lists.py,
resources/normal_sides.tsv). Wordings written for these tests; the near-misses must keep no (or their old) reading."""

from __future__ import annotations

import pytest

from oncofed.criteria import parse_eligibility


def _labs(line: str, section: str = "Inclusion") -> set[tuple[str, str, float, str]]:
    parsed = parse_eligibility(f"{section} Criteria:\n- {line}\n")
    return {
        (a.code or "", a.operator, round(float(a.value), 2), a.unit or "")
        for c in parsed.criteria
        for a in c.atoms
        if a.kind == "lab" and isinstance(a.value, int | float)
    }


# --- a list shares the threshold written after it; a bare multiple of the ULN is a ceiling (a floor excluded) ---
LISTS = [
    (
        "Serum ALT, AST and GGT  3 x ULN",
        "Inclusion",
        {("alt", "<=", 3.0, "x ULN"), ("ast", "<=", 3.0, "x ULN")},
    ),
    (
        "Aspartate aminotransferase (AST) (SGOT) or alanine aminotransferase (ALT) (SGPT) no more than 3 x ULN",
        "Inclusion",
        {("ast", "<=", 3.0, "x ULN"), ("alt", "<=", 3.0, "x ULN")},
    ),
    (
        "SGPT (alanine aminotransferase [ALT]) and SGOT (aspartate aminotransferase [AST]) < 2 x ULN",
        "Inclusion",
        {("alt", "<", 2.0, "x ULN"), ("ast", "<", 2.0, "x ULN")},
    ),
    (
        "Liver enzymes (ALT and AST)  2 times the institutional ULN",
        "Inclusion",
        {("alt", "<=", 2.0, "x ULN"), ("ast", "<=", 2.0, "x ULN")},
    ),
    ("Creatinine 1.5 times ULN or less", "Inclusion", {("creatinine", "<=", 1.5, "x ULN")}),
    ("Total bilirubin  2 x upper limit normal", "Inclusion", {("bilirubin", "<=", 2.0, "x ULN")}),
    (
        "ALT, AST, alkaline phosphatase or bilirubin 3 x ULN",
        "Exclusion",
        {("alt", ">", 3.0, "x ULN"), ("ast", ">", 3.0, "x ULN"), ("bilirubin", ">", 3.0, "x ULN")},
    ),
    ("TBIL no more than 1.5 times of normal upper limit", "Inclusion", {("bilirubin", "<=", 1.5, "x ULN")}),
]


@pytest.mark.parametrize(("line", "section", "expected"), LISTS)
def test_a_list_shares_its_threshold(
    line: str, section: str, expected: set[tuple[str, str, float, str]]
) -> None:
    assert _labs(line, section) == expected


NEAR_MISSES = [
    ("ALT 1.5-3 x ULN", "Inclusion", set()),  # a range: no sign to imply
    ("AST 2 to 3 x ULN", "Inclusion", set()),
    ("ALT increased (grade 1: ULN - 3 x ULN)", "Inclusion", set()),  # a grading table's band
    # a number without a unit is not shared across units: 3 x normal for the ALT, never 3 mg/dL of bilirubin
    (
        "Total bilirubin, ALT < 3 x normal",
        "Inclusion",
        {("bilirubin", "<", 3.0, "x ULN"), ("alt", "<", 3.0, "x ULN")},
    ),
    (
        "Creatinine or creatinine clearance >= 60 mL/min",
        "Inclusion",
        {("creatinine_clearance", ">=", 60.0, "mL/min")},
    ),
    ("ALT or AST greater than twice the upper limit of normal", "Exclusion", set()),  # never 1 x ULN
]


@pytest.mark.parametrize(("line", "section", "expected"), NEAR_MISSES)
def test_near_misses_keep_no_wrong_limit(
    line: str, section: str, expected: set[tuple[str, str, float, str]]
) -> None:
    assert _labs(line, section) == expected


def test_a_flattened_line_s_condition_ends_at_its_own_lab() -> None:
    line = (
        "Total bilirubin <= 1.5 x ULN OR direct bilirubin <= ULN for subjects with total bilirubin > 1.5 ULN "
        "aspartate aminotransferase (AST) and alanine aminotransferase (ALT) <= 3 x ULN"
    )
    parsed = parse_eligibility(f"Inclusion Criteria:\n- {line}\n")
    ast = [a for c in parsed.criteria for a in c.atoms if a.kind == "lab" and a.code == "ast"]
    assert ast and all(
        not a.condition for a in ast
    )  # the AST is the line's, not the direct bilirubin's condition


# --- "within (institutional) normal limits / range of normal", "normal", "WNL": the analyte's own side ---
NORMAL = [
    ("LVEF within institutional range of normal", {("lvef", ">=", 50.0, "%")}),
    ("Left ventricular ejection fraction normal on echocardiography", {("lvef", ">=", 50.0, "%")}),
    ("LVEF: WNL by MUGA", {("lvef", ">=", 50.0, "%")}),
    (
        "Cardiac ejection fraction within the institutional range of normal by ECHO",
        {("lvef", ">=", 50.0, "%")},
    ),
    (
        "Platelets within normal limits",
        {("platelets", ">=", 140.0, "10^9/L"), ("platelets", "<=", 1.0, "x ULN")},
    ),
    ("Albumin within institutional normal limits", {("albumin", ">=", 3.4, "g/dL")}),
    ("Total bilirubin within the institutional range of normal", {("bilirubin", "<=", 1.0, "x ULN")}),
]


@pytest.mark.parametrize(("line", "expected"), NORMAL)
def test_within_normal_limits_on_the_analyte_s_side(
    line: str, expected: set[tuple[str, str, float, str]]
) -> None:
    assert _labs(line) == expected


NORMAL_NEAR_MISSES = [
    ("Creatinine clearance within normal limits or  60 mL/min", "Inclusion"),  # an alternative number follows
    ("LVEF normal by MUGA or  45% by echo", "Inclusion"),
    ("Magnesium or albumin outside the normal range", "Exclusion"),  # out of the range, not within it
    ("Potassium within normal limits", "Inclusion"),  # no side known for the analyte
]


@pytest.mark.parametrize(("line", "section"), NORMAL_NEAR_MISSES)
def test_no_limit_of_normal_where_the_line_says_otherwise(line: str, section: str) -> None:
    assert _labs(line, section) == set()
