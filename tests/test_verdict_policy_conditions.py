"""The decision policy holds back a criterion's CONDITIONS as well as its statement: with a table trusting no
kind of reading, no criterion is ever violated. A condition ("... for patients with creatinine above
normal", "female patients who are postmenopausal", "if liver metastases are present") is a reading of the
line too; left as read while the statement atoms were held back, its FALSE alone made lines violated under
the shipped table that trusted nothing (38 pairs of the dev notes x the trials corpus,
`benchmarks/audit_policy.py`). Wordings written here."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Atom, Criterion, Fact, Outcome, Provenance, Section
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria
from tests.verdict_cases import DAY, profile, same_everywhere

SRC = Provenance("note", "n1")
WHEN = date(2026, 11, 20)

INCLUSIONS = [
    "Serum creatinine ≤ 1.5 × ULN, or calculated creatinine clearance ≥ 50 mL/min in patients whose creatinine "
    "exceeds the ULN",
    "Creatinine within normal limits OR creatinine clearance >= 60 mL/min for patients with creatinine above "
    "the upper limit of normal",
    "Haemoglobin ≥ 9 g/dL or ≥ 8 g/dL for patients with bone marrow involvement",
    "Total bilirubin ≤ 1.5 x ULN (≤ 3 x ULN for subjects with Gilbert syndrome)",
    "AST and ALT ≤ 2.5 × ULN, or ≤ 5 × ULN if liver metastases are present",
    "Male patients aged 18 or over, and female patients who are postmenopausal (no menses for 12 months or "
    "bilateral oophorectomy)",
    "Platelets ≥ 100 × 10^9/L unless due to bone marrow infiltration",
]
EXCLUSIONS = [
    "QTc > 470 ms in women or > 450 ms in men",
    "Pregnant or breast-feeding women",
    "Uncontrolled hypertension (systolic > 160 mmHg) in patients on two or more drugs",
]


def _lab(code: str, value: float, unit: str) -> Fact:
    return Fact("lab", code, value, unit, when=WHEN, provenance=SRC)


PROFILES = [
    profile(
        _lab("creatinine", 0.7, "mg/dL"),
        _lab("hemoglobin", 12.1, "g/dL"),
        _lab("ast", 30, "U/L"),
        name="labs-normal",
    ),  # fmt: skip
    profile(_lab("creatinine", 2.4, "mg/dL"), _lab("creatinine_clearance", 38, "mL/min"), name="renal"),
    profile(
        Fact("metastasis", "liver", provenance=SRC),
        _lab("ast", 160, "U/L"),
        _lab("alt", 150, "U/L"),
        name="liver",
    ),  # fmt: skip
    profile(name="no-labs", born=date(1990, 5, 1)),
]


def _criteria() -> list[Criterion]:
    text = "Inclusion Criteria:\n" + "".join(f"- {x}\n" for x in INCLUSIONS)
    text += "Exclusion Criteria:\n" + "".join(f"- {x}\n" for x in EXCLUSIONS)
    return list(parse_eligibility(text).criteria)


def test_the_wordings_parse_into_criteria_with_conditions() -> None:
    crit = _criteria()
    assert len(crit) == len(INCLUSIONS) + len(EXCLUSIONS)
    assert sum(bool(c.condition) or any(a.condition for a in c.atoms) for c in crit) >= 3


@pytest.mark.parametrize("p", PROFILES, ids=lambda p: p.id)
def test_a_table_trusting_nothing_violates_nothing(p) -> None:  # type: ignore[no-untyped-def]
    with trust.using(()):
        outcomes = evaluate_criteria(_criteria(), p, DAY)
    assert [o.criterion.text for o in outcomes if o.outcome is Outcome.VIOLATED] == []


def test_every_path_agrees_under_every_table() -> None:
    same_everywhere(_criteria(), PROFILES)


# the reading the parser once gave the NCI template: the condition written after the alternatives attached
# to each of them. Whatever the parser attaches, an untrusted condition must not decide.
CREAT = Atom("lab", "<=", 1.5, unit="x ULN", code="creatinine", attributes={"group": "g"},
             condition=(Atom("lab", ">", 1.0, unit="x ULN", code="creatinine"),))  # fmt: skip
CLEAR = Atom("lab", ">=", 60.0, unit="mL/min", code="creatinine_clearance", attributes={"group": "g"},
             condition=(Atom("lab", ">", 1.0, unit="x ULN", code="creatinine"),))  # fmt: skip


def test_an_untrusted_condition_alone_does_not_exclude() -> None:
    line = Criterion(Section.INCLUSION, 1, "creatinine or clearance line", atoms=(CREAT, CLEAR))
    normal = profile(_lab("creatinine", 0.7, "mg/dL"), name="normal")
    with trust.using(()):
        held = evaluate_criteria([line], normal, DAY)[0]
    assert held.outcome is not Outcome.VIOLATED
    with trust.using(("inclusion:lab",)):  # the lab readings trusted, conditions included: the reading stands
        trusted = evaluate_criteria([line], normal, DAY)[0]
    with trust.strict():
        strict = evaluate_criteria([line], normal, DAY)[0]
    assert trusted.outcome is strict.outcome
    same_everywhere([line], [normal, profile(_lab("creatinine", 2.4, "mg/dL"), name="high")])
