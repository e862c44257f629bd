"""Four criteria classes of verdicts-blind11's readable folds (verdicts33), each on wordings written for
it and near-misses that must keep their old reading:

1. what a formula names is no requirement (`criteria/formulas.py`): "Female CrCl = ((140 - age) x ...)"
   required a woman;
2. an interval in seconds is converted ("QTc > 0.45 second" was "above 0.45 ms": every QTc violated it);
3. "naïve to X" (with its diaeresis) is the absence of X, as "naive to X" was;
4. "one of the following N conditions:" then N flat lines: the lines are alternatives (each was required)."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Fact, PatientProfile
from oncofed.matching.assess import assess_trial
from tests.verdict_cases import (
    DAY,
    SRC,
    profile,
    read_line,
    same_everywhere,
    strict_reading,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.usefixtures("strict_reading")


def person(*facts: Fact, sex: str, born: date = date(1966, 2, 1), name: str = "p") -> PatientProfile:
    base = profile(*facts, name=f"{name}-{sex}", born=born)
    return PatientProfile(
        id=base.id, centre_id=base.centre_id, birth_date=born, sex=sex, primary_cancer=base.primary_cancer,
        stage=base.stage, facts=list(facts),
    )  # fmt: skip


CRCL = Fact("lab", "creatinine_clearance", 85.0, "mL/min", when=date(2026, 10, 20), provenance=SRC)
MAN = person(CRCL, sex="MALE", name="man")
WOMAN = person(CRCL, sex="FEMALE", name="woman")

# --- 1. a formula ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "who"),
    [
        ("Women: CrCl = (140 - age) x weight (kg) x 0.85 / (72 x serum creatinine)", MAN),
        (
            "Estimated GFR for female subjects = [(140 - age) x body weight (kg)] / [72 x creatinine (mg/dL)] x 0.85",
            MAN,
        ),
        ("Clearance in females = 0.85 x (140 - age in years) x weight / (72 x serum creatinine)", MAN),
        ("Men: CrCl = (140-age) × weight (kg) / (72 × serum creatinine)", WOMAN),
        ("CrCl for male patients = weight x (140 - age) divided by (72 x SCr)", WOMAN),
        (
            "Creatinine clearance >= 50 mL/min, as follows: female CrCl = (140 - age) x kg x 0.85 / (72 x SCr)",
            MAN,
        ),
        (
            "CrCl >= 50 mL/min (formula: (140 - age) x weight x 0.85 if female, divided by 72 x creatinine)",
            MAN,
        ),
    ],
)
def test_a_sex_a_formula_names_is_no_requirement(line: str, who: PatientProfile) -> None:
    assert read_line("Inclusion", line, who) == "eligible", line


def test_a_line_that_is_only_a_formula_is_a_definition() -> None:
    (c,) = parse_eligibility(
        "Inclusion criteria:\n- Female CrCl = ((140 - age in years) x weight in kg x 0.85) / (72 x creatinine)"
    ).criteria
    assert [a.kind for a in c.condition] == ["permission"] and not c.atoms, c
    same_everywhere([c], [MAN, WOMAN])


@pytest.mark.parametrize(
    "line",
    [
        "Women >= 18 years of age",
        "Female sex; creatinine clearance >= 60 mL/min (Cockcroft-Gault)",
        "Women: ANC >= 1.5 x 10^9/L",
        "Postmenopausal women with platelets = 100 x 10^9/L or more",
        "Female gender, ANC = 1500/mcL or more",
    ],
)
def test_near_misses_a_sex_outside_any_formula_is_still_required(line: str) -> None:
    anc = Fact("lab", "anc", 3.0, "10^9/L", when=date(2026, 10, 20), provenance=SRC)
    plt = Fact("lab", "platelets", 250.0, "10^9/L", when=date(2026, 10, 20), provenance=SRC)
    assert read_line("Inclusion", line, person(CRCL, anc, plt, sex="MALE")) == "excluded", line


# --- 2. an interval in seconds -------------------------------------------------------------------------


def qtc(ms: float) -> PatientProfile:
    return profile(Fact("lab", "qtc", ms, "ms", when=date(2026, 10, 20), provenance=SRC), name=f"qtc{ms}")


@pytest.mark.parametrize(
    "line",
    [
        "QT/QTc interval > 0.45 second",
        "QTcF greater than 0.47 seconds on the screening ECG",
        "Corrected QT interval (QTc) of more than 0.48 sec",
        "QTc > 0.450 s (Fridericia)",
        "Prolonged QTc (> 0.46 seconds) or congenital long QT syndrome",
        "Mean QTc > 0.47 on three ECGs",  # no unit: no ECG interval is under 5 ms, so seconds
    ],
)
def test_an_interval_in_seconds_is_converted(line: str) -> None:
    assert read_line("Exclusion", line, qtc(430.0)) == "eligible", line
    assert read_line("Exclusion", line, qtc(505.0)) == "excluded", line


@pytest.mark.parametrize(
    "line", ["QTcF > 470 msec", "QTc interval > 450 milliseconds", "QTc >= 500 ms on 2 successive ECGs"]
)
def test_near_misses_an_interval_in_ms_reads_as_before(line: str) -> None:
    assert read_line("Exclusion", line, qtc(430.0)) == "eligible", line
    assert read_line("Exclusion", line, qtc(520.0)) == "excluded", line


def test_a_count_in_seconds_is_never_compared_raw() -> None:
    plt = Fact("lab", "platelets", 50.0, "10^9/L", when=date(2026, 10, 20), provenance=SRC)
    assert read_line("Inclusion", "Platelets >= 100 s", profile(plt, name="plt")) == "unknown"


# --- 3. "naïve to" -------------------------------------------------------------------------------------

NEVER_CHEMO = profile(
    Fact("treatment", "chemotherapy", negated=True, provenance=SRC, attributes={"class": "chemotherapy"}),
    Fact(
        "treatment",
        "endocrine therapy",
        negated=True,
        provenance=SRC,
        attributes={"class": "endocrine therapy"},
    ),
    name="never",
)
HAD_CHEMO = profile(
    Fact("treatment", "paclitaxel", provenance=SRC, attributes={"class": "taxane", "end": "2025-06-30"}),
    name="had",
)


@pytest.mark.parametrize(
    "line",
    [
        "Naïve to chemotherapy",
        "Patients must be naïve to systemic chemotherapy",
        "Naïve to chemotherapy and to endocrine therapy",
        "Subjects naïve to cytotoxic chemotherapy",
        "naïve to chemotherapy or hormonal therapy",
    ],
)
def test_naive_with_its_diaeresis_is_the_absence(line: str) -> None:
    assert read_line("Inclusion", line, NEVER_CHEMO) == "eligible", line
    assert read_line("Inclusion", line, HAD_CHEMO) == "excluded", line


@pytest.mark.parametrize(
    ("line", "never", "had"),
    [
        ("Prior chemotherapy received", "excluded", "eligible"),
        ("Chemotherapy-naïve", "eligible", "excluded"),
        ("Naïve to radiotherapy; prior chemotherapy is required", "excluded", "unknown"),  # the clause ends
        ("Previously treated with chemotherapy", "excluded", "eligible"),
    ],
)
def test_near_misses_a_received_therapy_is_still_required(line: str, never: str, had: str) -> None:
    assert read_line("Inclusion", line, NEVER_CHEMO) == never, line
    assert read_line("Inclusion", line, HAD_CHEMO) == had, line


# --- 4. "one of the following N" ------------------------------------------------------------------------

OLD = person(sex="FEMALE", born=date(1960, 1, 11), name="old")  # 66, no oophorectomy, ECOG unknown
ECOG2 = person(Fact("ecog", None, 2, provenance=SRC), sex="FEMALE", born=date(1960, 1, 11), name="ecog2")


def verdict(text: str, who: PatientProfile) -> str:
    criteria = parse_eligibility(text).criteria
    same_everywhere(criteria, [who])
    return str(assess_trial(criteria, who, DAY).verdict.value)


@pytest.mark.parametrize(
    "lead",
    [
        "Postmenopausal, defined as meeting any one of the following three conditions:",
        "Postmenopausal status by one of the following 3 criteria:",
        "Patients must meet one of the following three requirements:",
        "Must satisfy any one of the following three:",
        "Menopause is defined by any of the following three conditions:",
    ],
)
def test_counted_flat_options_are_alternatives(lead: str) -> None:
    text = (
        f"Inclusion criteria:\n{lead}\nPrior bilateral oophorectomy\nAge >= 60 years\n"
        "Age < 60 years and amenorrhoea for 12 months or more\nECOG 0-1\n"
    )
    assert verdict(text, OLD) != "excluded", lead
    assert verdict(text, ECOG2) == "excluded", lead  # the line after the options is common again


def test_either_of_the_following_announces_two() -> None:
    text = "Inclusion criteria:\nEither of the following:\nPrior bilateral oophorectomy\nAge >= 60 years\nECOG 0-1\n"
    assert verdict(text, OLD) != "excluded"
    assert verdict(text, ECOG2) == "excluded"


@pytest.mark.parametrize(
    "lead",
    [
        "All of the following three conditions:",
        "Postmenopausal women meeting the following three conditions:",
        "Patients must meet two of the following three requirements:",
    ],
)
def test_near_misses_lines_under_other_lead_ins_are_each_required(lead: str) -> None:
    text = f"Inclusion criteria:\n{lead}\nPrior bilateral oophorectomy\nAge >= 60 years\nECOG 0-1\n"
    oophorectomy = {c.text: c.cohort for c in parse_eligibility(text).criteria}
    assert oophorectomy.get("Prior bilateral oophorectomy") is None, (lead, oophorectomy)


# --- 5. a therapy restated in its own condition --------------------------------------------------------


def course(drug: str, klass: str, end: str, name: str, start: str = "2016-01-01") -> PatientProfile:
    attrs = {"class": klass, "start": start, "end": end, "setting": "adjuvant"}
    return profile(Fact("treatment", drug, provenance=SRC, attributes=attrs), name=name)


@pytest.mark.parametrize(
    ("line", "drug"),
    [
        (
            "Prior exemestane (if exemestane was given as adjuvant therapy and stopped >= 12 months before, the "
            "patient can be enrolled)",
            "exemestane",
        ),
        (
            "Previous letrozole (patients who stopped letrozole at least 12 months before are eligible)",
            "letrozole",
        ),
        (
            "Has received tamoxifen for breast cancer (Note: when tamoxifen ended >= 12 months before inclusion, "
            "the patient may join)",
            "tamoxifen",
        ),
        (
            "Anastrozole for breast cancer (a patient whose anastrozole was completed more than 6 months before "
            "may participate)",
            "anastrozole",
        ),
        (
            "Fulvestrant in the past (if the last fulvestrant dose was given at least 6 months before, the subject "
            "can also be included)",
            "fulvestrant",
        ),
        # the generic after "for" is the drug's purpose (therapy_purpose.generic_purposes), not a second therapy
        (
            "Have received letrozole for breast cancer treatment (note: if letrozole has been stopped for >= 12 "
            "months before this enrolment, the patient can join)",
            "letrozole",
        ),
    ],
)
def test_a_therapy_restated_in_its_exemption_is_still_the_statement(line: str, drug: str) -> None:
    """Excluded when the whole course is recent; the patient the exemption admits is not excluded (on main the
    line had no reading, or read the exemption's time as the statement's: the old course excluded)."""
    recent = course(drug, "endocrine therapy", "2026-06-30", f"{drug}-recent", "2026-01-05")
    assert read_line("Exclusion", line, recent) == "excluded", line
    old = course(drug, "endocrine therapy", "2023-06-30", f"{drug}-old")
    assert read_line("Exclusion", line, old) == "eligible", line


def test_long_ago_the_exempted_patient_is_not_excluded() -> None:
    line = "Prior exemestane (if exemestane was stopped >= 12 months before enrolment, the patient can join)"
    assert (
        read_line("Exclusion", line, course("exemestane", "endocrine therapy", "2023-06-30", "exe-old"))
        != "excluded"
    )


@pytest.mark.parametrize(
    "line",
    [
        "AST <= 5 x ULN if exemestane was given within 12 months",  # the therapy only in the condition
        "Previous letrozole; if letrozole was stopped at least 12 months ago, eligible",  # its time unread
        "Prior chemotherapy completed at least 4 weeks before registration",  # a minimum time of the statement
        "Fulvestrant in the past; if fulvestrant ended more than 6 months before study entry, the subject may be "
        "included",  # the exemption's time in another clause: no window of the statement
    ],
)
def test_near_misses_no_restated_statement(line: str) -> None:
    old = course("letrozole", "endocrine therapy", "2023-06-30", "let-old")
    assert read_line("Exclusion", line, old) != "excluded", line


@pytest.mark.parametrize(
    "line",
    [
        "Prior systemic therapy for breast cancer",
        "Prior cancer treatment for metastatic disease",
        "Radiotherapy for bone metastases and any cancer treatment",
    ],
)
def test_near_misses_a_generic_that_is_the_head_still_reads(line: str) -> None:
    """The generic is what the line asks about (no named therapy before "for"): a docetaxel still counts."""
    doc = Fact("treatment", "docetaxel", provenance=SRC,
               attributes={"class": "taxane", "end": "2026-06-30", "setting": "metastatic"})  # fmt: skip
    assert read_line("Exclusion", line, profile(doc, name="doc")) != "eligible", line


@pytest.mark.parametrize(
    "line",
    [
        "Patientes naïves de toute chimiothérapie",
        "Naïve de toute chimiothérapie antérieure",
        "Patients naïfs de tout traitement par taxane",
    ],
)
def test_french_naive_de_toute_is_the_absence(line: str) -> None:
    from tests.verdict_cases_fr import read_french

    assert read_french("Inclusion", line, HAD_CHEMO) == "excluded", line
    assert read_french("Inclusion", line, NEVER_CHEMO) != "excluded", line
