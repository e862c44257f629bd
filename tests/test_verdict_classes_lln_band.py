"""A lower limit of normal the criterion does not give is a band, not a number (verdicts39). "LVEF within
institutional range of normal" was read LVEF >= 50 % (the lowest LLN in use), so a patient at 52 % met it where
the centre's limit may be 55 %. Centres use 50-55 % (resources/lln_bands.tsv, sources there): a value below
every limit in use fails, a value at or above every one meets, between them it depends on the centre (unknown);
a record that gives its own reference range decides. The same for the other analytes read "within normal" /
">= LLN" with a fixed number (haemoglobin, platelets, neutrophils, albumin, clearances). Wordings written here."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.domain import Fact
from tests.verdict_cases import SRC, parse, profile, read_line, same_everywhere

WHEN = date(2026, 10, 20)


def lab(code: str, value: float, unit: str, **attrs: float) -> Fact:
    return Fact("lab", code, value=value, unit=unit, when=WHEN, provenance=SRC, attributes=dict(attrs))


# LVEF criteria whose limit is the centre's: ways a different author writes them
LVEF_WORDINGS = [
    ("Inclusion", "LVEF within institutional range of normal"),
    ("Inclusion", "Left ventricular ejection fraction (LVEF) within normal limits by ECHO or MUGA"),
    ("Inclusion", "Normal cardiac function: ejection fraction >= the institutional lower limit of normal"),
    ("Inclusion", "LVEF: WNL (echocardiogram)"),
    ("Inclusion", "LVEF at or above the lower limit of normal for the institution"),
    ("Exclusion", "LVEF below the institutional lower limit of normal"),
]


@pytest.mark.parametrize(("section", "line"), LVEF_WORDINGS)
def test_an_lvef_between_the_limits_in_use_depends_on_the_centre(section: str, line: str) -> None:
    p = profile(lab("lvef", 52.0, "%"), name="lvef52")
    assert read_line(section, line, p) == "unknown"


@pytest.mark.parametrize(("section", "line"), LVEF_WORDINGS)
def test_an_lvef_outside_the_limits_in_use_decides(section: str, line: str) -> None:
    low, high = profile(lab("lvef", 45.0, "%"), name="lvef45"), profile(lab("lvef", 60.0, "%"), name="lvef60")
    assert read_line(section, line, low) == "excluded"
    assert read_line(section, line, high) == "eligible"
    edge = profile(lab("lvef", 55.0, "%"), name="lvef55")  # at every centre's limit
    assert read_line(section, line, edge) == "eligible"


def test_the_record_s_own_lower_limit_decides() -> None:
    line = "LVEF within institutional range of normal"
    own50 = profile(lab("lvef", 52.0, "%", lln=50.0, uln=70.0), name="own50")
    own55 = profile(lab("lvef", 52.0, "%", lln=55.0, uln=70.0), name="own55")
    assert read_line("Inclusion", line, own50) == "eligible"
    assert read_line("Inclusion", line, own55) == "excluded"


OTHER_ANALYTES = [
    ("Haemoglobin >= LLN", lab("hemoglobin", 12.8, "g/dL"), lab("hemoglobin", 11.0, "g/dL"), lab("hemoglobin", 14.0, "g/dL")),
    ("Platelet count not below the lower normal limit", lab("platelets", 145.0, "10^9/L"), lab("platelets", 120.0, "10^9/L"), lab("platelets", 180.0, "10^9/L")),
    ("Serum albumin within institutional normal limits", lab("albumin", 3.45, "g/dL"), lab("albumin", 3.0, "g/dL"), lab("albumin", 4.1, "g/dL")),
    ("Neutrophils at or above the institutional lower limit of normal", lab("anc", 1.7, "10^9/L"), lab("anc", 1.2, "10^9/L"), lab("anc", 3.0, "10^9/L")),
]  # fmt: skip


@pytest.mark.parametrize(("line", "between", "below", "above"), OTHER_ANALYTES)
def test_other_analytes_read_against_the_band(line: str, between: Fact, below: Fact, above: Fact) -> None:
    assert read_line("Inclusion", line, profile(between, name="between")) == "unknown"
    assert read_line("Inclusion", line, profile(below, name="below")) == "excluded"
    assert read_line("Inclusion", line, profile(above, name="above")) == "eligible"


# near-misses: a criterion that gives its own number decides at that number, as before
NEAR_MISSES = [
    ("Inclusion", "LVEF >= 50 %", "eligible"),
    ("Inclusion", "Left ventricular ejection fraction of at least 50% by MUGA or ECHO", "eligible"),
    ("Inclusion", "LVEF ≥ 55% on echocardiogram", "excluded"),
    ("Exclusion", "LVEF < 50%", "eligible"),
    ("Exclusion", "Ejection fraction below 55 percent", "excluded"),
]


@pytest.mark.parametrize(("section", "line", "expected"), NEAR_MISSES)
def test_a_criterion_giving_its_number_still_decides(section: str, line: str, expected: str) -> None:
    assert read_line(section, line, profile(lab("lvef", 52.0, "%"), name="lvef52")) == expected


def test_an_upper_limit_of_normal_is_not_a_band() -> None:
    # "bilirubin within normal limits" is <= 1 x ULN (the record's ULN, else labs.tsv's): unchanged
    assert (
        read_line(
            "Inclusion", "Total bilirubin within normal limits", profile(lab("bilirubin", 0.8, "mg/dL"))
        )
        == "eligible"
    )


def test_the_evaluators_agree_on_a_band() -> None:
    criteria = parse("LVEF within institutional range of normal\nHaemoglobin >= LLN", "LVEF below the LLN")
    people = [
        profile(lab("lvef", v, "%"), lab("hemoglobin", h, "g/dL"), name=f"p{v}-{h}")
        for v, h in ((45.0, 11.0), (52.0, 12.5), (55.0, 13.5), (60.0, 14.0))
    ]
    people.append(profile(lab("lvef", 52.0, "%", lln=50.0), name="own"))
    people.append(profile(name="none"))
    same_everywhere(criteria, people)
