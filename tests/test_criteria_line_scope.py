"""What a criterion line says about itself (verdicts24): its polarity, the scope of a prior therapy, its
conditions and its alternatives the engine cannot read. Wordings written for these tests (not the audit's,
`benchmarks/audit_scope.py`, nor a benchmark file's); each fails on the engine before this pass."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.domain import Fact, PatientProfile, Provenance
from tests.verdict_cases import read_line

DAY = date(2026, 11, 1)
SRC = Provenance("test")


def patient(*facts: Fact, sex: str = "FEMALE") -> PatientProfile:
    base = [
        Fact("stage", code="IV", value="IV", provenance=SRC),
        Fact("disease_status", "metastatic", provenance=SRC),
        Fact("metastasis", "lung", provenance=SRC),
    ]
    return PatientProfile(id="p", centre_id="c", sex=sex, birth_date=date(1968, 5, 1), primary_cancer="BRCA",
                          stage="IV", facts=base + list(facts))  # fmt: skip


def course(drug: str, klass: str, setting: str | None = None) -> Fact:
    attrs: dict[str, object] = {"class": klass, "start": "2022-01-01"}
    if setting == "metastatic":
        attrs |= {"setting": "metastatic", "line": 1}
    elif setting:
        attrs |= {"setting": setting, "end": "2022-06-01"}
    return Fact("treatment", drug, provenance=SRC, attributes=attrs)


def read(section: str, line: str, profile: PatientProfile) -> str:
    return read_line(section, line, profile)


# --- 1. polarity: the line keeps its subject out, whatever its section --------------------------------

HEP_C = Fact("infection", "hepatitis_c", provenance=SRC, attributes={"active": True})
NO_HEP_C = Fact("infection", "hepatitis_c", negated=True, provenance=SRC)
NURSING, NOT_NURSING = (
    Fact("breastfeeding", provenance=SRC),
    Fact("breastfeeding", negated=True, provenance=SRC),
)
LEPTO = Fact("metastasis", "leptomeningeal", provenance=SRC)
NO_LEPTO = Fact("metastasis", "leptomeningeal", negated=True, provenance=SRC)
TRASTUZUMAB = course("trastuzumab", "anti-HER2", "metastatic")
NAIVE = Fact("treatment", None, negated=True, provenance=SRC)

POLARITY = [
    ("Subjects with active hepatitis C are ineligible due to the risk of hepatotoxicity.", HEP_C, NO_HEP_C),
    ("Women who are breastfeeding will not be enrolled.", NURSING, NOT_NURSING),
    ("Patients with leptomeningeal disease may not participate.", LEPTO, NO_LEPTO),
    ("Previous exposure to trastuzumab is not permitted in this study.", TRASTUZUMAB, NAIVE),
    ("Participants previously given trastuzumab cannot be randomized.", TRASTUZUMAB, NAIVE),
    ("Les patientes qui allaitent ne peuvent pas être incluses.", NURSING, NOT_NURSING),
    ("Lactating women are not candidates for this trial.", NURSING, NOT_NURSING),
]


@pytest.mark.parametrize("section", ["Inclusion", "Exclusion"])
@pytest.mark.parametrize(("line", "has", "lacks"), POLARITY)
def test_a_line_that_keeps_its_subject_out_reads_the_same_in_either_section(
    section: str, line: str, has: Fact, lacks: Fact
) -> None:
    assert read(section, line, patient(has)) == "excluded"
    assert read(section, line, patient(lacks)) == "eligible"


def test_a_man_is_not_kept_out_by_a_line_about_nursing_women() -> None:
    assert read("Inclusion", "Nursing mothers are also excluded, since the drug passes into milk.",
                patient(sex="MALE")) == "eligible"  # fmt: skip


def test_a_permission_or_a_heading_is_no_stated_exclusion() -> None:
    line = "Patients who had prior trastuzumab should not be excluded for that reason alone."
    assert read("Exclusion", line, patient(TRASTUZUMAB)) != "excluded"


# --- 2. scope: the setting / stage / disease a prior therapy was given for ----------------------------

SCOPED = [
    "No prior chemotherapy for stage IV breast cancer",
    "Must not have received docetaxel in the advanced stage setting",
    "No previous taxane therapy for Stage IIIC or Stage IV disease",
    "No prior systemic therapy for locally advanced or metastatic breast cancer",
    "Aucune chimiothérapie antérieure au stade avancé",
]


@pytest.mark.parametrize("line", SCOPED)
def test_a_scoped_negated_therapy_counts_only_the_courses_of_its_setting(line: str) -> None:
    adjuvant = course("docetaxel", "taxane", "adjuvant")
    advanced = course("docetaxel", "taxane", "metastatic")
    assert (
        read("Inclusion", line, patient(adjuvant)) == "eligible"
    )  # not "not stage IV", not "not metastatic"
    assert read("Inclusion", line, patient(NAIVE)) == "eligible"
    assert read("Inclusion", line, patient(advanced)) == "excluded"


def test_the_scope_of_a_therapy_the_vocabulary_does_not_name_is_no_negated_requirement() -> None:
    line = "No prior cytotoxic or targeted treatment for locally advanced or metastatic breast cancer"
    for who in (patient(NAIVE), patient(course("docetaxel", "taxane", "adjuvant"))):
        assert read("Inclusion", line, who) == "unknown"  # not "excluded for being metastatic"


def test_a_course_whose_setting_is_not_stated_leaves_a_scoped_line_open() -> None:
    unstated = Fact("treatment", "paclitaxel", provenance=SRC, attributes={"class": "taxane"})
    assert read("Inclusion", "No prior taxanes during the metastatic phase", patient(unstated)) == "unknown"


def test_a_scoped_therapy_among_the_exclusions_is_not_violated_by_an_adjuvant_course() -> None:
    line = "Prior CDK4/6 inhibitor for advanced or metastatic breast cancer"
    assert (
        read("Exclusion", line, patient(course("abemaciclib", "CDK4/6 inhibitor", "adjuvant"))) == "eligible"
    )
    assert (
        read("Exclusion", line, patient(course("palbociclib", "CDK4/6 inhibitor", "metastatic")))
        == "excluded"
    )


@pytest.mark.parametrize(
    "line",
    ["There is no limit in the number of prior endocrine therapies for metastatic disease",
     "No limitation on prior hormonal treatments in the advanced setting"],
)  # fmt: skip
def test_no_limit_is_a_permission(line: str) -> None:
    assert (
        read("Inclusion", line, patient(course("letrozole", "aromatase inhibitor", "metastatic")))
        == "eligible"
    )


# --- 3. conditions: a threshold that applies to some patients only ------------------------------------

LIVER = Fact("metastasis", "liver", provenance=SRC)
NO_LIVER = Fact("metastasis", "liver", negated=True, provenance=SRC)
BONE = Fact("metastasis", "bone", provenance=SRC)
NO_BONE = Fact("metastasis", "bone", negated=True, provenance=SRC)
CONDITIONAL = [
    ("AST <= 5 x ULN for pts w/ liver metastases", LIVER, NO_LIVER, Fact("lab", "ast", 300.0, unit="U/L", when=DAY)),
    ("Hemoglobin >= 9 g/dL for pts w/ bone metastases", BONE, NO_BONE, Fact("lab", "hemoglobin", 8.0, unit="g/dL", when=DAY)),
    ("Hémoglobine >= 9 g/dL chez les patients présentant des métastases osseuses", BONE, NO_BONE,
     Fact("lab", "hemoglobin", 8.0, unit="g/dL", when=DAY)),
    ("Bilirubine totale <= 3 x LSN pour les patients ayant des métastases hépatiques", LIVER, NO_LIVER,
     Fact("lab", "bilirubin", 6.0, unit="mg/dL", when=DAY)),
    ("Creatinine clearance >= 50 mL/min in pts with bone metastases", BONE, NO_BONE,
     Fact("lab", "creatinine_clearance", 35.0, unit="mL/min", when=DAY)),
]  # fmt: skip


@pytest.mark.parametrize(("line", "has", "lacks", "low"), CONDITIONAL)
def test_a_threshold_for_some_patients_does_not_apply_to_the_others(
    line: str, has: Fact, lacks: Fact, low: Fact
) -> None:
    assert read("Inclusion", line, patient(lacks, low)) == "eligible"  # not applicable
    assert read("Inclusion", line, patient(has, low)) == "excluded"


def test_a_negative_pregnancy_test_for_women_of_childbearing_potential() -> None:
    line = "Negative serum pregnancy test for women of childbearing potential"
    pregnant = patient(
        Fact("childbearing_potential", provenance=SRC), Fact("pregnancy", value="pregnant", provenance=SRC)
    )
    assert read("Inclusion", line, pregnant) == "excluded"
    assert (
        read("Inclusion", line, patient(Fact("childbearing_potential", negated=True, provenance=SRC)))
        == "eligible"
    )


# --- 4. disjunctions with an alternative the engine cannot read ---------------------------------------

DOSE_OR_NAIVE = [
    "Cumulative epirubicin dose <= 900 mg/m2 or no prior anthracycline therapy",
    "Total cumulative dose of doxorubicin below 450 mg/m2, or no prior anthracyclines",
    "Prior cumulative doxorubicin of at most 300 mg/m2 or of epirubicin </= 600 mg/m2, or anthracycline-naive",
    "Anthracycline-naive, or a cumulative doxorubicin dose < 300 mg/m2",
    "Dose cumulée de doxorubicine < 400 mg/m2 ou pas d'anthracycline antérieure",
]


@pytest.mark.parametrize("line", DOSE_OR_NAIVE)
def test_a_dose_limit_or_no_anthracycline_is_never_violated_by_the_alternative_read(line: str) -> None:
    assert read("Inclusion", line, patient(course("epirubicin", "anthracycline", "adjuvant"))) == "unknown"
    assert read("Inclusion", line, patient(NAIVE)) == "eligible"
