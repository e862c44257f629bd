"""verdicts34: classes the template audits found (benchmarks/audit_templates.py, benchmarks/audit_polarity.py), each
on wordings written for it and near-misses.

1. The NCI "< or =" / "> or =" operator ("bilirubin < or = 1.5 x ULN" was not read; "ECOG < or = 2" read as ECOG 2).
2. "within normal institutional limits" (and "institutional normal limits", "institutional limits of normal") read
   whole: the limit then joins the "OR creatinine clearance >= 60 mL/min" alternative that follows it.
3. "10**9/L" as "10^9/L".
4. A line that opens with a negation governs the threshold it names first ("No QTc > 470 msec" is the inclusion
   twin of the exclusion "QTc > 470 msec").
"""

from __future__ import annotations

import pytest

from oncofed.domain import Fact, PatientProfile
from tests.verdict_cases import SRC, parse, profile, read_line, same_everywhere


def labs(line: str) -> list[tuple[str, str, float, str | None, bool, bool]]:
    return [
        (
            str(a.code),
            a.operator,
            round(float(a.value), 3),
            a.unit,
            a.negated,
            a.attributes.get("group") is not None,
        )
        for c in parse(line)
        for a in c.atoms
        if a.kind == "lab"
    ]


def with_labs(**values: float) -> PatientProfile:
    units = {"bilirubin": "x ULN", "creatinine": "x ULN", "creatinine_clearance": "mL/min", "qtc": "ms",
             "platelets": "10^9/L", "anc": "10^9/L", "ast": "x ULN"}  # fmt: skip
    facts = [Fact("lab", k, value=v, unit=units[k], provenance=SRC) for k, v in values.items()]
    return profile(*facts, name="+".join(f"{k}{v}" for k, v in values.items()))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Total serum bilirubin < or = 1.5 x ULN", ("bilirubin", "<=", 1.5)),
        ("Total bilirubin < or = 1.5 times the upper limit of normal", ("bilirubin", "<=", 1.5)),
        ("Platelets > or = 100,000/mm3", ("platelets", ">=", 100.0)),
        ("Absolute neutrophil count >or= 1,500/µL", ("anc", ">=", 1.5)),
        ("Serum creatinine <  or  = 2 mg/dL", ("creatinine", "<=", 2.0)),
    ],
)
def test_the_or_equal_operator(line: str, expected: tuple[str, str, float]) -> None:
    assert [x[:3] for x in labs(line)] == [expected], line


def test_the_or_equal_operator_on_scores_and_ages() -> None:
    (c,) = parse("ECOG performance status < or = 2")
    assert [(a.kind, a.operator, a.value) for a in c.atoms] == [("ecog", "<=", 2)]
    (c,) = parse("Age > or = 18 years")
    assert [(a.kind, a.operator, a.value) for a in c.atoms] == [("age", ">=", 18.0)]


@pytest.mark.parametrize(
    "line",
    [
        "Bilirubin < 1.5 x ULN or AST > 3 x ULN",  # two operators joined by "or": no "< or =" between them
        "Creatinine < 1.5 mg/dL or creatinine clearance > 60 mL/min",
        "Platelets <100,000 or >500,000/mm3",
    ],
)
def test_or_between_two_thresholds_is_no_operator(line: str) -> None:
    assert all(op in ("<", ">") for _c, op, *_ in labs(line)), (line, labs(line))


NORMAL_LIMITS_OR = [
    "Creatinine within normal institutional limits OR creatinine clearance >= 60 mL/min/1.73 m^2",
    "Creatinine within institutional normal limits or creatinine clearance >= 60 mL/min",
    "Serum creatinine within institutional limits of normal, or creatinine clearance of at least 60 mL/min",
    "Creatinine clearance >= 60 mL/min or creatinine within normal institutional limits",
    "Serum creatinine within the normal range, or a measured creatinine clearance >= 60 mL/min",
]


@pytest.mark.parametrize("line", NORMAL_LIMITS_OR)
def test_a_normal_limit_is_an_alternative_of_its_or(line: str) -> None:
    found = labs(line)
    assert ("creatinine", "<=", 1.0, "x ULN", False, True) in found, found
    assert any(x[0] == "creatinine_clearance" and x[5] for x in found), found
    # creatinine above the ULN but the clearance good: the line is met by its alternative
    assert read_line("Inclusion", line, with_labs(creatinine=1.3, creatinine_clearance=75.0)) == "eligible"
    assert read_line("Inclusion", line, with_labs(creatinine=1.3, creatinine_clearance=40.0)) == "excluded"


@pytest.mark.parametrize(
    "line",
    [
        "Creatinine within normal institutional limits and creatinine clearance >= 60 mL/min",  # both
        "Total bilirubin within normal institutional limits",
        "Total bilirubin within institutional limits of normal.",
    ],
)
def test_a_normal_limit_alone_or_with_and_is_required(line: str) -> None:
    found = labs(line)
    assert found[0][:4] in (("creatinine", "<=", 1.0, "x ULN"), ("bilirubin", "<=", 1.0, "x ULN")), found
    assert not any(x[5] for x in found), found


def test_ten_to_the_ninth_written_with_two_stars() -> None:
    assert labs("Absolute neutrophil count >= 1.5 x 10**9/L")[0][:4] == ("anc", ">=", 1.5, "10^9/L")
    assert labs("Platelets >= 100 x 10**9/l")[0][:4] == ("platelets", ">=", 100.0, "10^9/L")


NEGATED = [
    ("No QTc > 470 msec", "qtc", {"qtc": 430.0}, {"qtc": 490.0}),
    ("Without platelet count < 100,000/mm3", "platelets", {"platelets": 220.0}, {"platelets": 60.0}),
    ("Absence of ANC < 1,500/mm3", "anc", {"anc": 3.0}, {"anc": 0.9}),
    (
        "Patients must not have a creatinine > 1.5 x ULN",
        "creatinine",
        {"creatinine": 1.0},
        {"creatinine": 2.0},
    ),
    ("No history of a QTc interval > 480 ms", "qtc", {"qtc": 430.0}, {"qtc": 500.0}),
]


@pytest.mark.parametrize(("line", "code", "good", "bad"), NEGATED)
def test_a_line_opening_negation_governs_its_threshold(
    line: str, code: str, good: dict[str, float], bad: dict[str, float]
) -> None:
    assert [x[:1] + x[4:5] for x in labs(line)] == [(code, True)], labs(line)
    assert read_line("Inclusion", line, with_labs(**good)) == "eligible", line
    assert read_line("Inclusion", line, with_labs(**bad)) == "excluded", line
    # the exclusion written the other way decides alike
    twin = line.split(" ", 1)[1] if line.startswith(("No ", "Without ")) else None
    if twin and not twin.startswith("history"):
        assert read_line("Exclusion", twin, with_labs(**bad)) == "excluded", twin
    same_everywhere(parse(line), [with_labs(**good), with_labs(**bad), profile(name="none")])


@pytest.mark.parametrize(
    "line",
    [
        "No more than 3 x ULN for AST",  # "no more than" is an operator
        "No prior chemotherapy; ANC >= 1,500/mm3",  # the count after a semicolon is its own requirement
        "No prior chemotherapy, platelets >= 100,000/mm3",
        "No liver metastases or bilirubin > 1.5 x ULN",  # a connective between: not read as negated
        "Age no less than 18 years",
    ],
)
def test_negations_that_do_not_govern_a_threshold(line: str) -> None:
    assert not any(x[4] for x in labs(line)), (line, labs(line))
    assert all(not a.negated for c in parse(line) for a in c.atoms if a.kind == "age"), line


def breast(stage: str, her2: str = "negative") -> PatientProfile:
    return profile(Fact("biomarker", "HER2", her2, provenance=SRC), name=f"{stage}-{her2}", stage=stage)


LUNG = profile(name="lung", cancer="LUAD", stage="II")
# line: (a breast cancer the line keeps out, one it takes); the lung cancer meets every line
QUALIFIED = {
    "No stage IV breast cancer": (breast("IV"), breast("II")),
    "No metastatic breast cancer": (breast("IV"), breast("II")),
    "No HER2-positive breast cancer": (breast("II", "positive"), breast("II")),
    "Without HER2-positive breast carcinoma": (breast("II", "positive"), breast("II")),
    "No evidence of metastatic breast cancer": (breast("IV"), breast("II")),
}


@pytest.mark.parametrize("line", QUALIFIED)
def test_a_negated_qualified_cancer_denies_the_qualified_cancer(line: str) -> None:
    out, inside = QUALIFIED[line]
    assert read_line("Inclusion", line, out) == "excluded", line
    assert read_line("Inclusion", line, inside) == "eligible", line
    assert read_line("Inclusion", line, LUNG) == "eligible", line
    same_everywhere(parse(line), [out, inside, LUNG])


@pytest.mark.parametrize("line", ["No inflammatory breast cancer", "No bilateral breast cancer"])
def test_an_unread_qualifier_leaves_the_cancer_to_check(line: str) -> None:
    assert read_line("Inclusion", line, breast("II")) == "unknown", line  # was: every breast cancer excluded
    assert read_line("Inclusion", line, LUNG) == "eligible", line


@pytest.mark.parametrize(
    "line",
    [
        "No breast cancer",  # no qualifier: the cancer itself
        "No evidence of breast cancer",
        "No other breast cancer",  # another cancer than the trial's
        "No prior invasive breast cancer",
        "No history of metastatic breast cancer",
        "No squamous cell carcinoma OR sarcoma of the breast",  # a list, whatever the connective's case
    ],
)
def test_negations_of_a_cancer_without_a_qualifier_of_the_trial_s(line: str) -> None:
    assert not any(
        str(a.attributes.get("group") or "").startswith("notq") for c in parse(line) for a in c.atoms
    ), line


@pytest.mark.parametrize(
    ("line", "codes"),
    [
        ("Total bilirubin  ULN;", {"bilirubin"}),  # the registry lost the "≤"
        ("Serum bilirubin  the institutional ULN.", {"bilirubin"}),
        ("AST and ALT  ULN", {"ast", "alt"}),
        ("SGOT/SGPT  institutional ULN", {"ast", "alt"}),
        ("Creatinine  ULN or creatinine clearance  60 mL/min", {"creatinine", "creatinine_clearance"}),
    ],
)
def test_a_bare_uln_whose_sign_was_lost_reads_as_its_words(line: str, codes: set[str]) -> None:
    """ "Bilirubin  upper limit of normal" was read on the safe side (<= 1 x ULN); "Bilirubin  ULN" was not read."""
    found = labs(line)
    assert {x[0] for x in found} == codes, found
    assert all(x[1] in ("<=", ">=") for x in found), found


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Hemoglobin  ULN", []),  # a measure limited from below: no sign implied
        ("Bilirubin > ULN", [("bilirubin", ">", 1.0)]),  # the sign written
        ("Bilirubin ≤ 1.5 x ULN", [("bilirubin", "<=", 1.5)]),
    ],
)
def test_bare_uln_near_misses(line: str, expected: list[tuple[str, str, float]]) -> None:
    assert [x[:3] for x in labs(line)] == expected, line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Platelets >= 100,000/mm³", ("platelets", ">=", 100.0, "10^9/L")),  # superscripts still read
        ("Granulocytes >= 1,500/mm³", ("anc", ">=", 1.5, "10^9/L")),
        ("Creatinine clearance >= 60 mL/min/1.73 m²", ("creatinine_clearance", ">=", 60.0, "mL/min")),
    ],
)
def test_superscript_units_beside_the_two_star_power(
    line: str, expected: tuple[str, str, float, str]
) -> None:
    assert labs(line)[0][:4] == expected, labs(line)
