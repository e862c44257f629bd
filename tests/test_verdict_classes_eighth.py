"""Eighth pass of verdict classes (issue 15 follow-up, the misses left on the third blind set's folds 0-1):
an item wrapped over a blank line keeps its condition, a sentence ending "is excluded" is no section
header (and under inclusions excludes what it names), a "<part>: <population>" heading may be long, and an
exclusion common to every cohort that one cohort's own inclusion contradicts cannot exclude (unknown).
Each class on small cases written for the class (not copied from any verdict set), also run through the
vectorised evaluator and the fast ranking path."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.criteria.segment import segment
from oncofed.criteria.structure import CONTRADICTED
from oncofed.domain import Fact, Outcome, PatientProfile, Section, TrialVerdict
from oncofed.matching.assess import assess_trial
from tests.verdict_cases import (
    DAY,
    SRC,
    parse,
    same_everywhere,
    strict_reading,  # noqa: F401  (fixture: the reading, before the decision policy)
)

pytestmark = pytest.mark.usefixtures("strict_reading")


def patient(cancer: str, *facts: Fact) -> PatientProfile:
    return PatientProfile(
        id=f"p-{cancer}-{len(facts)}",
        centre_id="c",
        birth_date=date(1960, 5, 1),
        sex="MALE",
        primary_cancer=cancer,
        stage="IV",
        facts=list(facts),
    )


def treatment(drug: str, klass: str, setting: str = "metastatic") -> Fact:
    return Fact("treatment", drug, provenance=SRC, attributes={"class": klass, "line": 1, "setting": setting})


# --- 1. an item wrapped over a blank line -------------------------------------------------------------


def test_a_line_ending_mid_sentence_continues_on_the_next_lower_case_line() -> None:
    text = (
        "Inclusion Criteria:\n\nAge 18 or older.\n\nPatients with gastric cancer must have had one earlier "
        "fluoropyrimidine-based\n\ndoublet given for advanced disease.\n\nECOG 0-1.\n"
    )
    texts = [s.text.replace("\n", " ") for s in segment(text)]
    assert any("fluoropyrimidine-based  doublet given" in t for t in texts)
    assert not any(t.startswith("doublet") for t in texts)
    assert len(texts) == 3


def test_list_items_are_never_joined() -> None:
    """An item ending with "or" / "and", a next item starting with "or", an item starting lower-case, a
    finished sentence: the line breaks are items."""
    text = (
        "Inclusion Criteria:\n\nHas not received a taxane, or\n\nhas received a taxane over a year ago\n\n"
        "Measurable disease\n\nor evaluable bone-only disease\n\nage 18 or over\n\nbody weight over 40 kg\n\n"
        "Adequate organ function.\n\nplatelets over 100\n"
    )
    assert len(segment(text)) == 8


def test_a_wrapped_condition_is_read_with_its_requirement() -> None:
    criteria = parse(
        "Participants with prostate cancer must have had one earlier taxane-based\n\n"
        "chemotherapy regimen for metastatic disease."
    )
    line = next(c for c in criteria if "taxane-based" in c.text)
    assert "regimen" in line.text
    assert all(c.text.strip()[:1].isupper() for c in criteria)


# --- 2. "X is excluded." is a criterion, never a section header ---------------------------------------


def test_a_sentence_ending_with_excluded_is_no_exclusion_header() -> None:
    text = (
        "Inclusion Criteria:\n\nUveal melanoma is excluded.\n\nSubjects must have received prior "
        "anti-VEGF therapy.\n\nExclusion Criteria:\n\nActive autoimmune disease.\n"
    )
    criteria = parse_eligibility(text).criteria
    vegf = next(c for c in criteria if "anti-VEGF" in c.text)
    assert vegf.section is Section.INCLUSION
    excluded = next(c for c in criteria if "Uveal" in c.text)
    assert excluded.section is Section.INCLUSION
    assert excluded.atoms and all(a.negated for a in excluded.atoms)
    # a real header still switches: "Patients will be excluded if:" leads exclusions
    later = parse_eligibility(
        "Inclusion Criteria:\n\nAge 18 or over.\n\nPatients will be excluded if:\n\nActive hepatitis B.\n"
    ).criteria
    assert next(c for c in later if "hepatitis" in c.text).section is Section.EXCLUSION


def test_an_excluded_subtype_under_inclusions_excludes_only_that_subtype() -> None:
    criteria = parse("Histologically confirmed melanoma.\n\nUveal melanoma is excluded.")
    skin = patient("MEL")
    eye = patient("UM")
    assert assess_trial(criteria, skin, DAY).verdict is not TrialVerdict.EXCLUDED
    assert assess_trial(criteria, eye, DAY).verdict is TrialVerdict.EXCLUDED
    same_everywhere(criteria, [skin, eye])


# --- 3. a long "<part>: <population>" heading ------------------------------------------------------------


def test_a_long_part_heading_heads_its_lines() -> None:
    criteria = parse(
        "Part 2 expansion: Squamous cell carcinoma of the head and neck region\n\n"
        "Subjects must have received platinum-based chemotherapy.\n\n"
        "Part 2 expansion: Renal cell carcinoma\n\nSubjects must have received prior anti-VEGF therapy."
    )
    vegf = next(c for c in criteria if "anti-VEGF" in c.text)
    platinum = next(c for c in criteria if "platinum" in c.text)
    assert vegf.cohort and "Renal" in vegf.cohort
    assert platinum.cohort and "head and neck" in platinum.cohort


# --- 4. a common exclusion that a cohort's own inclusion contradicts ------------------------------------

TRIAL = (
    "Dose expansion: Lung cancer\n\nSubjects must not have received prior anti-PD-1 therapy.\n\n"
    "Dose expansion: Melanoma\n\nSubjects must have received prior anti-PD-1 therapy in the metastatic setting."
)


def test_a_common_exclusion_contradicted_by_a_cohort_is_unknown_never_excludes() -> None:
    criteria = parse(TRIAL, "Prior therapy with an anti-PD-1 or anti-CTLA-4 antibody.\n\nActive hepatitis B.")
    common = next(c for c in criteria if "anti-CTLA-4" in c.text)
    assert [a.code for a in common.atoms] == [CONTRADICTED]
    treated = patient("MEL", treatment("pembrolizumab", "anti-PD-1"))
    a = assess_trial(criteria, treated, DAY)
    assert a.verdict is not TrialVerdict.EXCLUDED
    line = next(o for o in a.outcomes if "anti-CTLA-4" in o.criterion.text)
    assert line.outcome is Outcome.UNKNOWN
    # the lung cohort's own line still excludes a lung patient treated with anti-PD-1
    lung = patient("LUAD", treatment("nivolumab", "anti-PD-1"))
    assert assess_trial(criteria, lung, DAY).verdict is TrialVerdict.EXCLUDED
    # other common exclusions are untouched
    assert any(a.kind == "infection" for c in criteria if "hepatitis" in c.text for a in c.atoms)
    same_everywhere(criteria, [treated, lung])


def test_a_common_exclusion_stays_when_no_cohort_requires_what_it_forbids() -> None:
    trial = (
        "Dose expansion: Lung cancer\n\nSubjects must have received prior platinum-based chemotherapy.\n\n"
        "Dose expansion: Melanoma\n\nSubjects must have received prior BRAF inhibitor therapy."
    )
    criteria = parse(trial, "Prior therapy with an anti-PD-1 antibody.")
    common = next(c for c in criteria if "anti-PD-1" in c.text)
    assert CONTRADICTED not in [a.code for a in common.atoms]
    treated = patient("MEL", treatment("pembrolizumab", "anti-PD-1"))
    assert assess_trial(criteria, treated, DAY).verdict is TrialVerdict.EXCLUDED
    same_everywhere(criteria, [treated])


def test_a_timed_common_exclusion_is_no_contradiction() -> None:
    """ "within 4 weeks" restricts the timing of a history a cohort may require: it stays."""
    trial = (
        "Dose expansion: Melanoma\n\nSubjects must have received prior anti-PD-1 therapy.\n\n"
        "Dose expansion: Lung cancer\n\nSubjects must have received prior platinum-based chemotherapy."
    )
    criteria = parse(trial, "Anti-PD-1 therapy within 4 weeks before the first dose.")
    common = next(c for c in criteria if "within 4 weeks" in c.text)
    assert CONTRADICTED not in [a.code for a in common.atoms]


def test_the_contradicted_exclusion_says_why() -> None:
    criteria = parse(TRIAL, "Prior therapy with an anti-PD-1 or anti-CTLA-4 antibody.")
    a = assess_trial(criteria, patient("MEL"), DAY)
    line = next(o for o in a.outcomes if "anti-CTLA-4" in o.criterion.text)
    assert "one cohort's own inclusion requires" in line.sentence


def test_a_lead_with_a_colon_and_comma_ended_options_stay_items() -> None:
    """ "Part 2 : histologically confirmed" then "non-small cell lung cancer (cohort A)," : a lead and its
    options, not one wrapped sentence."""
    text = (
        "Inclusion Criteria:\n\nPart 2 : histologically confirmed\n\nnon-small cell lung cancer (cohort A),\n\n"
        "Patients must have had one earlier platinum\n\nregimen for advanced disease,\n"
    )
    assert len(segment(text)) == 4


def test_excluded_from_the_study_under_inclusions_is_an_absence() -> None:
    criteria = parse("Histologically confirmed melanoma.\n\nPregnant women are excluded from this study.")
    line = next(c for c in criteria if "Pregnant" in c.text)
    assert line.section is Section.INCLUSION
    assert line.atoms and all(a.negated for a in line.atoms if a.kind != "non_evaluable")


def test_a_therapy_qualifying_a_condition_is_no_contradicted_exclusion() -> None:
    trial = (
        "Dose expansion: Melanoma\n\nSubjects must have received prior corticosteroids.\n\n"
        "Dose expansion: Lung cancer\n\nSubjects must have received prior platinum-based chemotherapy."
    )
    criteria = parse(trial, "History of pneumonitis that required systemic steroids.")
    line = next(c for c in criteria if "pneumonitis" in c.text)
    assert CONTRADICTED not in [a.code for a in line.atoms]
    assert any(a.kind == "comorbidity" for a in line.atoms)
