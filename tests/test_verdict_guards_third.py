"""Third pass of general guards against wrong exclusions of eligible patients: a criterion whose only
atoms are its exception's ("X unless Y" with X not read), and cohort labels read as a cancer-type
acronym ("Part B All"). Each class on small cases written for the class (not copied from any verdict
set), also run through the vectorised evaluator."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from oncofed.criteria.coverage import names_scope
from oncofed.criteria.vocab import find_cancer_types
from oncofed.domain import Outcome
from tests.test_verdict_classes_fourth import note, outcome, parse, same_in_batch
from tests.verdict_cases import strict_reading  # noqa: F401  (fixture: the reading, before the decision policy)

pytestmark = pytest.mark.usefixtures("strict_reading")

# --- 1. an exclusion whose only atom is its exception ---------------------------------------------

_MAIN = (  # main statements the parser has no atom for
    "Septal hypertrophy or dilated atria on echocardiography",
    "Significant conduction abnormality on the baseline ECG",
    "Abnormal wall motion seen on the screening MUGA scan",
)
_LVEF_EXCEPTIONS = (
    "unless LVEF >= 55 %",
    "unless the LVEF is at least 55 %",
    "(except when LVEF >= 55 %)",
    "with the exception of patients with LVEF >= 55 %",
)
_NORMAL = note("58-year-old woman with metastatic breast cancer. Echo: LVEF 65 %. ECOG 1.")
_LOW = note("58-year-old woman with metastatic breast cancer. Echo: LVEF 40 %. ECOG 1.")
_UNMEASURED = note("58-year-old woman with metastatic breast cancer. ECOG 1.")


@pytest.mark.parametrize(("main", "unless"), list(itertools.product(_MAIN, _LVEF_EXCEPTIONS)))
def test_an_exception_alone_never_violates_an_exclusion(main: str, unless: str) -> None:
    criteria = parse("Metastatic breast cancer", f"{main} {unless}")
    exclusion = criteria[-1]
    # the exception is not what the criterion states: its statement is left to the investigator
    assert {a.kind for a in exclusion.atoms} == {"non_evaluable"}, exclusion.atoms
    words = main[:20]
    # the exception met: the exclusion does not apply
    assert outcome(criteria, _NORMAL, words) in (Outcome.NOT_APPLICABLE, Outcome.SATISFIED)
    # the exception not met, or not known: whether the main statement holds is not known
    assert outcome(criteria, _LOW, words) is Outcome.UNKNOWN
    assert outcome(criteria, _UNMEASURED, words) is Outcome.UNKNOWN
    same_in_batch(criteria, [_NORMAL, _LOW, _UNMEASURED])


@pytest.mark.parametrize(
    "exclusion",
    [
        "Prior hormonal therapy for advanced disease other than tamoxifen",
        "Previous biologic therapy except tamoxifen",
        "Treatment with any investigational drug within 4 weeks, with the exception of tamoxifen",
    ],
)
def test_a_therapy_named_as_the_exception_does_not_exclude_those_who_received_it(exclusion: str) -> None:
    criteria = parse("Breast cancer", exclusion)
    took = note("Woman, 61, ER-positive breast cancer. Adjuvant tamoxifen 2019-2024.")
    other = note("Woman, 61, ER-positive breast cancer. Adjuvant letrozole 2019-2024.")
    words = exclusion[:20]
    assert outcome(criteria, took, words) is not Outcome.VIOLATED
    assert outcome(criteria, other, words) is not Outcome.VIOLATED
    same_in_batch(criteria, [took, other])


def test_an_exception_after_a_read_statement_keeps_the_statement() -> None:
    # the main statement is read: a patient it names is still excluded
    criteria = parse("Breast cancer", "Pregnant or breastfeeding women, unless LVEF >= 55 %")
    assert any(a.kind == "pregnancy" for a in criteria[-1].atoms)
    # a scope before the exception and the statement after it ("For all cohorts except cohort 7, ..."):
    # what the line asks follows the comma and is read
    scoped = parse("For all cohorts except cohort 7, the metastatic disease is melanoma.")
    assert any(a.kind == "cancer_type" for a in scoped[-1].atoms)
    # an exception inside parentheses ends at the closing one: what follows is read
    brackets = parse(
        "Breast cancer",
        "Patients taking concomitant medications (except bisphosphonates) such as trastuzumab",
    )
    assert any(a.kind == "prior_therapy" and not a.negated for a in brackets[-1].atoms)


def test_an_exception_alone_in_an_inclusion_never_excludes() -> None:
    # "Any solid tumour except A, B or C": the exception's cancers are not what the line asks
    criteria = parse("Any advanced solid tumour except gastric, oesophageal or colorectal cancer")
    lung = note("Man, 66, metastatic lung adenocarcinoma, EGFR wild type. ECOG 1.")
    gastric = note("Man, 66, metastatic gastric adenocarcinoma. ECOG 1.")
    for p in (lung, gastric):
        assert outcome(criteria, p, "Any advanced solid") is not Outcome.VIOLATED
    same_in_batch(criteria, [lung, gastric])


# --- 2. cohort labels read as a cancer-type acronym -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Module 2 Part B All (except B5) - No previous treatment with a PARP inhibitor",
        "Part B all: no prior platinum",
        "Cohort B-All comers",
        "Aml cohort",  # a capitalised word is not the acronym
        "all patients must be able to swallow tablets",
    ],
)
def test_short_cancer_acronyms_written_as_words_are_no_cancer_type(text: str) -> None:
    assert find_cancer_types(text) == [], text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("relapsed or refractory B-ALL", "BLL"),
        ("AML in first relapse", "AML"),
        ("CLL requiring therapy", "CLLSLL"),
        ("mCRPC after abiraterone", "PRAD"),
        ("metastatic ccRCC", "CCRCC"),
        ("pNET, grade 1-2", "PANET"),
        ("Acute lymphoblastic leukemia in second remission", "BLL"),
    ],
)
def test_cancer_acronyms_written_as_acronyms_and_long_names_still_match(text: str, code: str) -> None:
    assert code in {m.code for m in find_cancer_types(text)}, text


def test_a_cohort_label_does_not_exclude_by_cancer_type() -> None:
    criteria = parse(
        "Histologically confirmed advanced solid tumour\n\n"
        "Module 2 Part B All (except B5) - No previous treatment with a PARP inhibitor"
    )
    breast = note("Woman, 54, metastatic breast cancer, BRCA2 mutation. ECOG 0. No prior PARP inhibitor.")
    assert not any(a.kind == "cancer_type" for c in criteria for a in c.atoms if "Part B" in c.text)
    assert outcome(criteria, breast, "Module 2 Part B") is not Outcome.VIOLATED
    same_in_batch(criteria, [breast])


@pytest.mark.parametrize(
    "line",
    [
        "Module 3 Part C2 Study expansion: advanced pancreatic adenocarcinoma with an ATM loss",
        "Cohort 4 dose escalation: relapsed ovarian cancer",
        "Part D expansion cohort: metastatic prostate cancer",
    ],
)
def test_a_part_named_with_its_kind_is_a_scope_that_never_excludes(line: str) -> None:
    # the label names its kind ("Study expansion", "dose escalation") before the colon: still a cohort
    # label, whether or not the structure reader gave the line a cohort
    criteria = parse(f"Advanced solid tumour\n\n{line}")
    lung = note("Man, 66, metastatic lung adenocarcinoma, EGFR wild type. ECOG 1.")
    assert outcome(criteria, lung, line[:18]) is not Outcome.VIOLATED
    assert names_scope(replace(criteria[-1], cohort=None)), line
    same_in_batch(criteria, [lung])
