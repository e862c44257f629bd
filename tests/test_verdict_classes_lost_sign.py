"""A laboratory limit whose comparison sign the registry text lost (verdicts30, criteria/implied_sign.py),
on wordings written for it: the value written is read on the measure's safe side (an upper limit for
bilirubin, creatinine, transaminases, QTc; a lower limit for neutrophils, platelets, haemoglobin,
creatinine clearance, LVEF), turned over among the exclusions, never read as "1 x ULN" from the words
"upper limit of normal"; a measure with no safe side, a range, or a sense written after the number stay
as they were. Also: "For subjects without liver metastases:" is whom the line is for, not a requirement
that the patient have none (the negative clause's own "without" / "w/o" negates its condition)."""

from __future__ import annotations

import pytest

from oncofed.domain import Atom, Fact, PatientProfile
from tests.verdict_cases import SRC, parse, profile, read_line, same_everywhere
from tests.verdict_cases_fr import read_french


def labs(inclusion: str, exclusion: str = "") -> list[Atom]:
    return [a for c in parse(inclusion, exclusion) for a in c.atoms if a.kind == "lab"]


def lab(code: str, value: float, unit: str, **attributes: object) -> Fact:
    return Fact("lab", code, value=value, unit=unit, provenance=SRC, attributes=dict(attributes))


@pytest.mark.parametrize(
    ("line", "code", "op", "value", "unit"),
    [
        ("Total bilirubin  1.5 times the upper limit of normal", "bilirubin", "<=", 1.5, "x ULN"),
        ("Serum creatinine 1.8 x institutional ULN", "creatinine", "<=", 1.8, "x ULN"),
        ("SGOT (AST) 3 x ULN", "ast", "<=", 3.0, "x ULN"),
        ("QTcF interval 480 msec", "qtc", "<=", 480.0, "ms"),
        ("Absolute granulocyte count  1,000/mcL", "anc", ">=", 1.0, "10^9/L"),
        ("Platelet count: 75 x 10^9/L", "platelets", ">=", 75.0, "10^9/L"),
        ("Haemoglobin of 8.5 g/dL", "hemoglobin", ">=", 8.5, "g/dL"),
        (
            "Calculated creatinine clearance (Cockcroft-Gault)  45 ml/min",
            "creatinine_clearance",
            ">=",
            45.0,
            "mL/min",
        ),
        ("LVEF 50% by echocardiogram", "lvef", ">=", 50.0, "%"),
        ("INR 1.5 x ULN", "inr", "<=", 1.5, "x ULN"),
    ],
)
def test_a_value_with_no_sign_is_read_on_the_safe_side(
    line: str, code: str, op: str, value: float, unit: str
) -> None:
    found = [a for a in labs(line) if a.code == code]
    assert [(a.operator, a.value, a.unit) for a in found] == [(op, value, unit)], line
    assert found[0].attributes["implied_sign"] == ("upper" if op == "<=" else "lower")


def test_a_list_of_limits_each_on_its_own_side() -> None:
    found = labs(
        "Adequate organ function: bilirubin 2 mg/dL; ANC 1.5 x 10^9/L; creatinine 1.5 x ULN; hemoglobin 9 g/dL"
    )
    assert {(a.code, a.operator, a.value) for a in found} == {
        ("bilirubin", "<=", 2.0),
        ("anc", ">=", 1.5),
        ("creatinine", "<=", 1.5),
        ("hemoglobin", ">=", 9.0),
    }


def test_coordinated_analytes_share_the_value() -> None:
    found = labs("AST/ALT  2.5 x ULN")
    assert {(a.code, a.operator, a.value) for a in found} == {("ast", "<=", 2.5), ("alt", "<=", 2.5)}


def test_an_exclusion_names_the_values_that_keep_out() -> None:
    found = labs(
        "Histologically confirmed breast cancer", "Total bilirubin 1.5 x ULN or platelets 50 x 10^9/L"
    )
    assert {(a.code, a.operator, a.value) for a in found} == {
        ("bilirubin", ">", 1.5),
        ("platelets", "<", 50.0),
    }


@pytest.mark.parametrize(
    "line",
    [
        "Body mass index 30 kg/m2",  # no safe side
        "Platelets 100 - 400 x 10^9/L",  # a range
        "Creatinine clearance 30 to 60 mL/min",  # a range
        "Bilirubin within 14 days of enrolment",  # a time, no limit
    ],
)
def test_no_sign_no_safe_side_no_limit(line: str) -> None:
    assert labs(line) == [], line


def test_a_sense_written_after_the_number_wins() -> None:
    found = labs("Hemoglobin 9 g/dL or more")
    assert [(a.operator, a.value) for a in found] == [(">=", 9.0)]
    assert "implied_sign" not in found[0].attributes


def test_the_words_upper_limit_of_normal_are_no_limit_of_one_uln() -> None:
    found = labs("Bilirubin  1.5 x the upper limit of normal (ULN)")
    assert [(a.operator, a.value) for a in found] == [("<=", 1.5)]


def test_a_written_sign_is_read_as_before() -> None:
    found = labs("Bilirubin <= 1.5 x ULN, ANC > 1500/mm3")
    assert {(a.code, a.operator, a.value) for a in found} == {("bilirubin", "<=", 1.5), ("anc", ">", 1.5)}
    assert not any("implied_sign" in a.attributes for a in found)


def _p(*facts: Fact) -> PatientProfile:
    return profile(*facts)


def test_the_reading_for_patients_and_the_evidence_says_the_sign_was_implied() -> None:
    within = _p(lab("bilirubin", 1.3, "mg/dL", uln=1.2))  # 1.1 x ULN: within 1.5 x ULN
    beyond = _p(lab("bilirubin", 2.4, "mg/dL", uln=1.2))  # 2 x ULN
    assert read_line("Inclusion", "Bilirubin  1.5 x ULN", within) == "eligible"
    assert read_line("Inclusion", "Bilirubin  1.5 x ULN", beyond) == "excluded"
    assert read_line("Exclusion", "Total bilirubin 1.5 x ULN", within) == "eligible"
    assert read_line("Exclusion", "Total bilirubin 1.5 x ULN", beyond) == "excluded"
    low = _p(lab("creatinine_clearance", 35, "mL/min"))
    assert (
        read_line("Inclusion", "Creatinine 2.0 x ULN and creatinine clearance 40 mL/min", low) == "excluded"
    )
    from oncofed.matching.evaluate import evaluate_criteria
    from tests.verdict_cases import DAY

    outcome = evaluate_criteria(parse("Bilirubin  1.5 x ULN"), beyond, DAY)[0]
    assert "no sign written: read as an upper limit" in " ".join(e.explanation for e in outcome.evidence)
    same_everywhere(parse("Bilirubin  1.5 x ULN\n\nANC 1,500/mm3"), [within, beyond, low])


# "For subjects without liver metastases:" -------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "For subjects without liver metastases: ALT and AST <= 2.5 x ULN",
        "For participants w/o hepatic metastases: AST < 3 x ULN",
        "In patients without liver metastases, AST and ALT  2.5 x ULN",
        "For patients who do not have liver metastases: ALT <= 3 x ULN",
        "For pts without liver involvement: ALT 3 x ULN",
    ],
)
def test_a_negative_subject_clause_is_whom_the_line_is_for(line: str) -> None:
    liver = _p(
        Fact("metastasis", "liver", provenance=SRC),
        lab("alt", 160, "U/L", uln=40),
        lab("ast", 160, "U/L", uln=40),
    )
    assert read_line("Inclusion", line, liver) == "eligible", line  # not for her: she has liver metastases
    plain = _p(
        lab("alt", 160, "U/L", uln=40),
        lab("ast", 160, "U/L", uln=40),
        Fact("metastasis", "liver", negated=True, provenance=SRC),
    )
    assert read_line("Inclusion", line, plain) == "excluded", line  # 4 x ULN, no liver metastases


def test_two_subgroups_keep_their_own_limits() -> None:
    line = "AST and ALT 2.5 x ULN for subjects without liver metastases and 5 x ULN for subjects with liver metastases"
    liver = _p(
        Fact("metastasis", "liver", provenance=SRC),
        lab("alt", 160, "U/L", uln=40),
        lab("ast", 160, "U/L", uln=40),
    )
    # 4 x ULN with liver metastases: not excluded by the 2.5 x ULN of the patients without them
    assert read_line("Inclusion", line, liver) != "excluded"
    signed = line.replace("ALT 2.5", "ALT <= 2.5").replace("and 5", "and <= 5")
    assert read_line("Inclusion", signed, liver) == "eligible"


@pytest.mark.parametrize(
    ("inclusion", "exclusion", "wanted"),
    [
        ("Total bilirubin  upper limit of normal", "", [("<=", 1.0, "upper")]),
        ("", "Serum bilirubin  the upper limit of normal", [(">", 1.0, "upper")]),
        ("ALT  institutional upper limit of normal", "", [("<=", 1.0, "upper")]),
        # a lower limit of normal with no sign stays unread, as "LVEF is  institutional LLN" was decided
        # (tests/test_verdict_classes_sixth.py): no value written to read on a side
        ("Serum albumin  lower limit of normal", "", []),
        ("Total bilirubin  lower limit of normal", "", []),  # a lower limit on a measure limited from above
        ("Bilirubin within normal limits", "", [("<=", 1.0, None)]),  # the sense is written
    ],
)
def test_a_limit_of_normal_with_no_sign(
    inclusion: str, exclusion: str, wanted: list[tuple[str, float, str | None]]
) -> None:
    found = labs(inclusion or "Breast cancer", exclusion)
    assert [(a.operator, a.value, a.attributes.get("implied_sign")) for a in found] == wanted


def test_french_wordings() -> None:
    beyond = _p(
        lab("bilirubin", 2.4, "mg/dL", uln=1.2), Fact("metastasis", "liver", negated=True, provenance=SRC)
    )
    assert read_french("Inclusion", "Bilirubine totale  1,5 x LSN", beyond) == "excluded"
    assert read_french("Exclusion", "Bilirubine totale 1,5 x LSN", beyond) == "excluded"
    high_alt = _p(lab("alt", 160, "U/L", uln=40), Fact("metastasis", "liver", provenance=SRC))
    assert (
        read_french("Inclusion", "Pour les patients sans métastases hépatiques : ALAT  2,5 x LSN", high_alt)
        == "eligible"
    )


@pytest.mark.parametrize(
    "line",
    [
        "For patients with liver, lung or bone metastases, AST <= 5 x ULN",
        "In patients without liver or bone metastases, ALT  2.5 x ULN",
    ],
)
def test_a_comma_inside_the_condition_does_not_end_it(line: str) -> None:
    # the comma that ends the opening condition is the one followed by the limit, not one of its list
    criteria = parse(line)
    assert not [a for c in criteria for a in c.atoms if a.kind == "metastasis"], line
    assert [a for c in criteria for a in c.condition if a.kind == "metastasis"], line
