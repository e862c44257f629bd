"""How the parts of one criterion line relate (verdicts26): a negation's reach, a list's last item, a therapy
that qualifies a condition, alternatives carrying their own histology, a schedule that narrows a drug.
Wordings written for these tests (not the audit's, `benchmarks/audit_relations.py`, nor a benchmark
file's); each fails on the engine before this pass."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria.parser import parse_eligibility
from oncofed.domain import Fact, PatientProfile, Provenance
from tests.verdict_cases import read_line

DAY = date(2026, 11, 1)
SRC = Provenance("test")


def patient(
    *facts: Fact, cancer: str = "BRCA", said: str = "breast carcinoma", stage: str = "IV", sex: str = "FEMALE"
) -> PatientProfile:
    base = [
        Fact("primary_cancer", cancer, display=said, provenance=SRC, attributes={"text": said}),
        Fact(
            "stage",
            code=stage,
            value=stage,
            provenance=SRC,
            attributes={"m": "M1" if stage == "IV" else "M0"},
        ),
        Fact("disease_status", "metastatic", negated=stage != "IV", provenance=SRC),
    ]
    return PatientProfile(id="p", centre_id="c", sex=sex, birth_date=date(1961, 3, 1), primary_cancer=cancer,
                          stage=stage, facts=base + list(facts))  # fmt: skip


def course(drug: str, klass: str, **more: object) -> Fact:
    attrs: dict[str, object] = {"class": klass, "start": "2023-02-01", "setting": "metastatic", "line": 1}
    return Fact("treatment", drug, provenance=SRC, attributes=attrs | more)


def read(section: str, line: str, profile: PatientProfile) -> str:
    return read_line(section, line, profile)


# --- 1. a negation's reach: the "not" of a clause ends with it ----------------------------------------

REACH = [
    "Locally advanced breast carcinoma which is not amenable to resection, and/or metastatic disease",
    "Locally advanced tumour that is not suitable for curative surgery or radiotherapy, or metastatic disease",
    "Locally advanced disease that cannot be treated with curative intent or stage IV disease",
    "Inoperable locally advanced cancer that is not a candidate for chemoradiation, or metastatic cancer",
    "Maladie localement avancée qui n'est pas accessible à une chirurgie et/ou une maladie métastatique",
]


@pytest.mark.parametrize("line", REACH)
def test_a_clause_s_negation_does_not_reach_the_next_alternative(line: str) -> None:
    assert read("Inclusion", line, patient()) == "eligible"  # a metastatic patient meets the line
    criteria = parse_eligibility(f"Inclusion criteria:\n- {line}").criteria
    settings = [a for c in criteria for a in c.atoms if a.kind in ("disease_setting", "stage")]
    assert settings and not any(a.negated for a in settings)


def test_a_determiner_negation_still_reaches_its_whole_list() -> None:
    criteria = parse_eligibility("Inclusion criteria:\n- No HIV or hepatitis B infection").criteria
    infections = [a for c in criteria for a in c.atoms if a.kind == "infection"]
    assert infections and all(a.negated for a in infections)
    # among the exclusions the same words keep both infections out (verdicts40, criteria/exclusion_absence.py)
    criteria = parse_eligibility("Exclusion criteria:\n- No HIV or hepatitis B infection").criteria
    infections = [a for c in criteria for a in c.atoms if a.kind == "infection"]
    assert len(infections) == 2 and not any(a.negated for a in infections)


PLANS = [
    "Locally advanced breast cancer that is not amenable to curative surgery, or metastatic disease appropriate "
    "for taxane chemotherapy",
    "Locally advanced disease not amenable to resection, or metastatic disease suitable for chemotherapy",
    "Locally advanced cancer which is not resectable and/or metastatic disease appropriate for first-line chemotherapy",
    "Locally advanced breast cancer that is not operable, or metastatic disease considered for single-agent "
    "chemotherapy",
    "Locally advanced tumour that cannot be cured by surgery, or metastatic disease appropriate for chemotherapy",
]


@pytest.mark.parametrize("line", PLANS)
def test_a_therapy_the_patient_is_appropriate_for_is_a_plan_not_a_history(line: str) -> None:
    treated = patient(
        course("paclitaxel", "taxane", setting="adjuvant")
    )  # "not amenable" does not reach it either
    assert read("Inclusion", line, treated) != "excluded"
    criteria = parse_eligibility(f"Inclusion criteria:\n- {line}").criteria
    assert not [a for c in criteria for a in c.atoms if a.kind == "prior_therapy"]


# --- 2. a list's last item ----------------------------------------------------------------------------

STAGE_LISTS = [
    ("Gastric cancer of stage II, III, and IV", "STAD", "IV", "I"),
    ("Resected melanoma (stage IIB, IIC, or III)", "MEL", "IIIB", "IIA"),
    ("Colon cancer, stages II to IV", "COAD", "IIIC", "I"),
    ("Endometrial cancer, stage IIIA–IVB", "UCEC", "IIIB", "II"),
    ("Gastric carcinoma with no distant metastases(stages I, II, and III)", "STAD", "IB", "IV"),
]


@pytest.mark.parametrize(("line", "cancer", "inside", "outside"), STAGE_LISTS)
def test_every_item_of_a_stage_list_counts(line: str, cancer: str, inside: str, outside: str) -> None:
    assert read("Inclusion", line, patient(stage=inside, cancer=cancer, said=cancer)) == "eligible"
    assert read("Inclusion", line, patient(stage=outside, cancer=cancer, said=cancer)) == "excluded"


CHEMO = (("docetaxel", "taxane"), ("gemcitabine", "antimetabolite"), ("eribulin", "microtubule inhibitor"),
         ("vinorelbine", "vinca alkaloid"))  # fmt: skip
LINE_LISTS = [
    ("Patients treated with 1, 2, or 3 lines of systemic therapy for advanced disease", 1, 4),
    ("2, 3, or 4 prior regimens for metastatic disease", 3, 1),
    ("2, 3 or 4 previous lines", 2, 1),
    ("1 through 4 prior lines", 2, 0),
    ("one, two or three prior regimens", 1, 4),
]


def lines(k: int) -> PatientProfile:
    given = [course(d, c, line=i, start=f"202{i}-01-01") for i, (d, c) in enumerate(CHEMO[:k], 1)]
    return patient(*given) if given else patient(Fact("treatment", None, negated=True, provenance=SRC))


@pytest.mark.parametrize(("line", "inside", "outside"), LINE_LISTS)
def test_every_item_of_a_list_of_line_counts_counts(line: str, inside: int, outside: int) -> None:
    assert read("Inclusion", line, lines(inside)) == "eligible"
    assert read("Inclusion", line, lines(outside)) == "excluded"


def test_a_negation_of_the_settings_themselves_reaches_both() -> None:
    criteria = parse_eligibility(
        "Inclusion criteria:\n- Breast cancer that is not metastatic or locally advanced"
    ).criteria
    settings = [a for c in criteria for a in c.atoms if a.kind == "disease_setting"]
    assert len(settings) == 2 and all(a.negated for a in settings)


# --- 3. a therapy that qualifies a condition ----------------------------------------------------------

CARBOPLATIN = course("carboplatin", "platinum")
GOVERNED = [
    ("Serious infection requiring systemic therapy, or any other active infection", "infection", "active_infection"),
    ("Autoimmune disorder that has needed systemic treatment, or other autoimmune condition", "comorbidity",
     "autoimmune_disease"),
    ("Ongoing infection treated with systemic therapy or other uncontrolled infection", "infection", "active_infection"),
    ("Heart failure needing systemic therapy, or other cardiac failure", "comorbidity", "heart_failure"),
    ("Infection active nécessitant un traitement systémique ou autre infection grave", "infection", "active_infection"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "kind", "code"), GOVERNED)
def test_the_therapy_of_a_condition_is_no_prior_therapy_exclusion(line: str, kind: str, code: str) -> None:
    without = Fact(kind, code, negated=True, provenance=SRC)
    assert read("Exclusion", line, patient(CARBOPLATIN, without)) != "excluded"
    criteria = parse_eligibility(f"Exclusion criteria:\n- {line}").criteria
    assert not [a for c in criteria for a in c.atoms if a.kind == "prior_therapy"]


NEGATED_GOVERNED = [
    ("No active infection requiring systemic therapy", "infection", "active_infection"),
    ("Absence of autoimmune disease requiring systemic treatment", "comorbidity", "autoimmune_disease"),
    ("Pas d'infection active nécessitant un traitement systémique", "infection", "active_infection"),
]


@pytest.mark.parametrize(("line", "kind", "code"), NEGATED_GOVERNED)
def test_a_condition_s_therapy_denied_with_it_is_no_prior_therapy_requirement(
    line: str, kind: str, code: str
) -> None:
    assert (
        read("Inclusion", line, patient(CARBOPLATIN, Fact(kind, code, negated=True, provenance=SRC)))
        == "eligible"
    )


def test_a_medicine_that_treats_a_condition_stays_with_that_condition() -> None:
    criteria = parse_eligibility(
        "Exclusion criteria:\n- Inflammatory bowel disease that required corticosteroids"
    ).criteria
    colitis = [a for c in criteria for a in c.atoms if a.kind == "comorbidity"]
    assert colitis and [x.kind for x in colitis[0].condition] == ["prior_therapy"]


# --- 4. alternatives carrying their own histology -----------------------------------------------------

SCLC = {"cancer": "SCLC", "said": "small cell lung carcinoma"}
COLON = {"cancer": "COAD", "said": "colon adenocarcinoma"}
MELANOMA = {"cancer": "MEL", "said": "melanoma"}
ALTERNATIVES = [
    ("Small cell lung cancer; triple negative breast cancer (women only); or melanoma", MELANOMA),
    ("Ovarian cancer (women only); small cell lung cancer; or melanoma", MELANOMA),
    ("Squamous cell cancer of the head and neck; small-cell lung cancer; or adenocarcinoma of the gallbladder", SCLC),
    ("Melanoma, ovarian cancer (female patients only), or colon cancer", COLON),
    ("Small cell lung cancer; squamous cell carcinoma of the anus; or HER2-positive breast cancer (women only)", SCLC),
]  # fmt: skip


@pytest.mark.parametrize(("line", "who"), ALTERNATIVES)
def test_an_alternative_s_histology_or_sex_is_its_own(line: str, who: dict[str, str]) -> None:
    assert read("Inclusion", line, patient(sex="MALE", **who)) == "eligible"


def test_a_histology_alone_is_no_alternative_for_another_organ() -> None:
    line = "Small cell lung cancer; melanoma; or gastroesophageal adenocarcinoma"
    assert read("Inclusion", line, patient(**COLON)) != "eligible"  # a colon adenocarcinoma is not it


# --- 5. a schedule that narrows a drug ----------------------------------------------------------------

SCHEDULES = [
    ("Prior treatment with weekly docetaxel", "docetaxel", "taxane", "every 3 weeks"),
    (
        "Previous metronomic capecitabine",
        "capecitabine",
        "antimetabolite",
        "twice daily, 14 days every 3 weeks",
    ),
    ("Prior dose-dense epirubicin", "epirubicin", "anthracycline", "every 3 weeks"),
    ("Prior gemcitabine or weekly cisplatin", "cisplatin", "platinum", "every 3 weeks"),
    ("Prior oral topotecan", "topotecan", "topoisomerase inhibitor", "intravenous"),
]


@pytest.mark.parametrize(("line", "drug", "klass", "given"), SCHEDULES)
def test_a_schedule_narrows_the_drug(line: str, drug: str, klass: str, given: str) -> None:
    unsaid = patient(course(drug, klass))
    assert read("Exclusion", line, unsaid) == "unknown"  # the schedule the record does not state
    key = "route" if given == "intravenous" else "schedule"
    assert read("Exclusion", line, patient(course(drug, klass, **{key: given}))) == "eligible"


def test_a_route_that_names_the_drug_s_class_is_no_narrower_course() -> None:
    criteria = parse_eligibility("Exclusion criteria:\n- Prior capecitabine (oral fluoropyrimidine)").criteria
    drugs = [a for c in criteria for a in c.atoms if a.code == "capecitabine"]
    assert drugs and not drugs[0].attributes.get("qualifier")


def test_a_named_formulation_is_its_own_drug() -> None:
    line = "Prior nanoalbumin-paclitaxel"
    assert read("Exclusion", line, patient(course("paclitaxel", "taxane"))) == "eligible"
    assert read("Exclusion", line, patient(course("nab-paclitaxel", "taxane"))) == "excluded"
