"""Ninth pass of verdict classes (issue 15 follow-up, session 7): classes of wrong "violated" readings,
found among the wrong events of the readable folds (`benchmarks/verdicts_trust.py --wrong`) and the
readings of the oncology-active-99 patients, fixed so that a kind of reading can earn the right to exclude
(matching/trust.py). Each class on small cases written for the class (not copied from any verdict set),
also run through the vectorised evaluator and the fast ranking path:

1. the setting of a prior therapy ("for metastatic disease") against the setting the record gives;
2. an exclusion reading as the ABSENCE of a therapy ("No concurrent anticancer therapy") never excludes;
3. a therapy named as the cause of what is asked ("recovered from the toxic effects of ...") is no
   statement about the therapy, nor is the cancer it was given for;
4. an event on a therapy ("ejection fraction decrease on trastuzumab") is not the therapy;
5. radiotherapy with a dose or an extent ("> 20 Gy", "more than 30% of bone marrow", "to the lungs");
6. washouts ("Chemotherapy: 21 days" under "Required washout ...:") are windows, not any therapy ever;
7. a condition with a CTCAE grade ("Grade >= 2 peripheral neuropathy") is not its mere record;
8. a number followed by a time unit ("up to 3 weeks") is no laboratory limit;
9. what follows "with or without" is no requirement;
10. "at least 4 weeks since prior chemotherapy" is a washout (and "less than 3 weeks" no count of drugs);
11. a therapy named as the cause of a condition ("chemotherapy-induced menopause") or as one the patient
    could be given ("no contraindication to chemotherapy") is no part of the history;
12. an instruction ("she should inform her treating physician", "will be required to discontinue
    trastuzumab") or a definition of what is counted ("will not be counted as a prior line") is no
    requirement."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Criterion, Fact, Outcome, PatientProfile
from oncofed.matching.evaluate import evaluate_criteria
from tests.verdict_cases import (
    DAY,
    SRC,
    parse,
    same_everywhere,
    strict_reading,  # noqa: F401  (fixture: the reading, before the decision policy)
)

pytestmark = pytest.mark.usefixtures("strict_reading")


def patient(*facts: Fact, cancer: str = "BRCA") -> PatientProfile:
    return PatientProfile(
        id=f"p-{cancer}-{len(facts)}-{facts[0].code if facts else ''}",
        centre_id="c",
        birth_date=date(1962, 3, 1),
        sex="FEMALE",
        primary_cancer=cancer,
        stage="IV",
        facts=list(facts),
    )


def course(drug: str, klass: str, setting: str | None = None, end: str | None = None) -> Fact:
    attrs: dict[str, object] = {"class": klass}
    if setting:
        attrs["setting"] = setting
    if end:
        attrs["end"] = end
    return Fact("treatment", drug, provenance=SRC, attributes=attrs)


def no(drug: str, klass: str) -> Fact:
    return Fact("treatment", drug, negated=True, provenance=SRC, attributes={"class": klass})


def line(criteria: list[Criterion], start: str) -> Criterion:
    return next(c for c in criteria if c.text.startswith(start))


def outcome(c: Criterion, p: PatientProfile) -> Outcome:
    return evaluate_criteria([c], p, DAY)[0].outcome


ADJUVANT = patient(course("docetaxel", "chemotherapy", "adjuvant", "2021-06-30"))
METASTATIC = patient(course("paclitaxel", "chemotherapy", "metastatic", "2025-03-31"))
UNSTATED = patient(course("paclitaxel", "chemotherapy", None, "2025-03-31"))
RADIOTHERAPY = patient(course("radiotherapy", "radiotherapy", None, "2024-05-31"))
NAIVE = patient(no("systemic therapy", "systemic therapy"), no("radiotherapy", "radiotherapy"))


# --- 1. the setting of a prior therapy ---------------------------------------------------------------


def test_a_course_in_another_setting_is_not_the_therapy_the_criterion_names() -> None:
    criteria = parse(
        "No prior chemotherapy for metastatic disease.",
        "Prior cytotoxic chemotherapy for metastatic disease\n\nPrior neoadjuvant chemotherapy",
    )
    inc = line(criteria, "No prior chemotherapy")
    exc = line(criteria, "Prior cytotoxic")
    neo = line(criteria, "Prior neoadjuvant")
    assert outcome(inc, ADJUVANT) is Outcome.SATISFIED  # adjuvant docetaxel: not for metastatic disease
    assert outcome(exc, ADJUVANT) is Outcome.SATISFIED
    assert outcome(neo, ADJUVANT) is Outcome.SATISFIED  # adjuvant is not neoadjuvant
    assert outcome(inc, METASTATIC) is Outcome.VIOLATED
    assert outcome(exc, METASTATIC) is Outcome.VIOLATED
    # a setting the record does not state (no date tells it either): either setting, not decided (verdicts24;
    # it was "still a hit" before: "no taxane in the advanced setting" excluded on an adjuvant course)
    assert outcome(exc, UNSTATED) is Outcome.UNKNOWN
    assert "adjuvant" in evaluate_criteria([exc], ADJUVANT, DAY)[0].sentence
    # a course in another setting is no proof that none was given in this one: a requirement is not violated
    required = line(parse("Must have received prior chemotherapy in the adjuvant setting"), "Must have")
    assert outcome(required, METASTATIC) is Outcome.UNKNOWN
    assert outcome(required, ADJUVANT) is Outcome.SATISFIED
    same_everywhere([*criteria, required], [ADJUVANT, METASTATIC, UNSTATED, RADIOTHERAPY, NAIVE])


# --- 2. the absence of a therapy under the exclusions --------------------------------------------------


def test_an_exclusion_reading_as_the_absence_of_a_therapy_never_excludes() -> None:
    criteria = parse(
        "Age 18 or older.",
        "No concurrent anticancer therapy.\n\n"
        "Any chronic skin condition that does not require systemic therapy;\n\n"
        "Spinal cord compression not definitively treated with surgery and/or radiation",
    )
    for start in ("No concurrent", "Any chronic skin", "Spinal cord"):
        c = line(criteria, start)
        assert all(a.kind != "prior_therapy" for a in c.atoms), c.atoms
        for p in (NAIVE, METASTATIC, RADIOTHERAPY):
            assert outcome(c, p) is not Outcome.VIOLATED, (start, p.id)
    # the same words under the inclusions keep their reading: no anticancer therapy now
    inc = line(parse("No prior chemotherapy."), "No prior chemotherapy")
    assert outcome(inc, METASTATIC) is Outcome.VIOLATED
    same_everywhere(criteria, [NAIVE, METASTATIC, RADIOTHERAPY])


# --- 3. a therapy named as the cause of what is asked ------------------------------------------------


def test_recovery_from_the_effects_of_a_therapy_is_no_statement_about_the_therapy() -> None:
    criteria = parse(
        "Age 18 or older.",
        "Patients must be recovered from any clinically relevant toxic effects of any prior surgery, "
        "radiotherapy or other therapy intended for the treatment of breast cancer.\n\n"
        "Has not recovered from AEs due to previous anti-neoplastic therapies and/or interventions "
        "(including radiation) to Grade 1 or baseline",
    )
    for c in criteria[1:]:
        assert {a.kind for a in c.atoms} == {"non_evaluable"}, c.atoms
        for p in (NAIVE, METASTATIC, RADIOTHERAPY):  # a breast cancer, treated or not: never violated
            assert outcome(c, p) is not Outcome.VIOLATED
    same_everywhere(criteria, [NAIVE, METASTATIC, RADIOTHERAPY])


# --- 4. an event on a therapy ------------------------------------------------------------------------


def test_an_event_on_a_therapy_is_not_the_therapy() -> None:
    criteria = parse("Age 18 or older.", "Prior ejection fraction decrease on trastuzumab")
    c = line(criteria, "Prior ejection")
    treated = patient(course("trastuzumab", "anti-HER2", "metastatic", "2025-01-31"))
    never = patient(no("trastuzumab", "anti-HER2"))
    assert outcome(c, treated) is Outcome.UNKNOWN  # the decrease is not recorded
    assert outcome(c, never) is Outcome.SATISFIED  # no trastuzumab, no decrease on it
    same_everywhere(criteria, [treated, never])


# --- 5. radiotherapy with a dose or an extent ----------------------------------------------------------


def test_radiotherapy_with_a_dose_or_an_extent_is_not_any_radiotherapy() -> None:
    criteria = parse(
        "Age 18 or older.",
        "Received > 20 Gy prior radiation to large areas of the bone marrow\n\n"
        "Radiation therapy encompassing more than 30% of bone marrow.\n\n"
        "Previous radiation therapy to the lungs and/or to the upper abdomen\n\n"
        "Previous radiation therapy\n\n"
        "Prior radiotherapy within 4 weeks prior to study entry",
    )
    for start in ("Received > 20 Gy", "Radiation therapy encompassing", "Previous radiation therapy to"):
        c = line(criteria, start)
        assert outcome(c, RADIOTHERAPY) is Outcome.UNKNOWN, start
        assert outcome(c, NAIVE) is Outcome.SATISFIED, start
    plain = next(c for c in criteria if c.text.strip() == "Previous radiation therapy")
    assert outcome(plain, RADIOTHERAPY) is Outcome.VIOLATED
    timed = line(criteria, "Prior radiotherapy within")
    assert not any(a.attributes.get("qualifier") for a in timed.atoms)  # "prior to study entry": a time
    assert outcome(timed, RADIOTHERAPY) is Outcome.SATISFIED  # ended in May 2024
    same_everywhere(criteria, [RADIOTHERAPY, NAIVE])


# --- 6. washouts -------------------------------------------------------------------------------------


def test_a_washout_is_a_window_not_any_therapy_ever() -> None:
    text = (
        "Inclusion Criteria:\n\nPatients must have a washout period of at least 3 weeks from prior "
        "chemotherapy.\n\nExclusion Criteria:\n\nRequired washout from prior therapy:\n\nChemotherapy: 21 days\n\n"
        "Radiation: 7 days\n\nSubjects receiving weekly therapy must have a washout period from prior "
        "chemotherapy of at least one week.\n"
    )
    criteria = parse_eligibility(text).criteria
    old = patient(course("paclitaxel", "chemotherapy", "metastatic", "2024-01-31"))
    recent = patient(course("paclitaxel", "chemotherapy", "metastatic", "2026-10-25"))
    undated = patient(course("paclitaxel", "chemotherapy", "metastatic"))
    item = line(criteria, "Chemotherapy: 21 days")
    assert [a.window_days for a in item.atoms] == [21]
    assert (outcome(item, old), outcome(item, recent), outcome(item, undated)) == (
        Outcome.SATISFIED, Outcome.VIOLATED, Outcome.UNKNOWN,
    )  # fmt: skip
    weekly = line(criteria, "Subjects receiving weekly")
    assert (outcome(weekly, old), outcome(weekly, recent)) == (Outcome.SATISFIED, Outcome.VIOLATED)
    required = line(criteria, "Patients must have a washout")  # under the inclusions: none in 3 weeks
    assert (outcome(required, old), outcome(required, recent)) == (Outcome.SATISFIED, Outcome.VIOLATED)
    # without a washout heading, "Chemotherapy" is any chemotherapy
    bare = line(parse("Age 18 or older.", "Chemotherapy"), "Chemotherapy")
    assert bare.atoms[0].window_days is None
    same_everywhere(criteria, [old, recent, undated, NAIVE])


# --- 7. a condition with a CTCAE grade -----------------------------------------------------------------


def test_a_condition_with_a_grade_is_not_its_mere_record() -> None:
    criteria = parse(
        "Age 18 or older.",
        "Current NCI CTCAE (Version 4.0) Grade >= 2 peripheral neuropathy\n\n"
        "Patients with a peripheral neuropathy > grade 1\n\nPeripheral neuropathy",
    )
    neuropathy = patient(Fact("comorbidity", "peripheral_neuropathy", provenance=SRC))
    graded = [line(criteria, "Current NCI"), line(criteria, "Patients with a peripheral")]
    for c in graded:
        assert outcome(c, neuropathy) is Outcome.UNKNOWN, c.text
    assert outcome(line(criteria, "Peripheral neuropathy"), neuropathy) is Outcome.VIOLATED
    same_everywhere(criteria, [neuropathy, NAIVE])


# --- 8. a number followed by a time unit -------------------------------------------------------------


def test_a_time_is_no_laboratory_limit() -> None:
    criteria = parse(
        "LVEF assessment may be repeated once up to 3 weeks following the initial screening assessment.\n\n"
        "Calculated creatinine clearance >= 45 ml/min using the Cockcroft-Gault formula (obtained =< 14 days "
        "prior to registration)"
    )
    assert not [a for a in line(criteria, "LVEF").atoms if a.kind == "lab"]
    crcl = [a for a in line(criteria, "Calculated").atoms if a.kind == "lab"]
    assert [(a.operator, a.value) for a in crcl] == [(">=", 45.0)]


# --- 9. with or without ------------------------------------------------------------------------------


def test_what_follows_with_or_without_is_no_requirement() -> None:
    criteria = parse(
        "Radiographic confirmation of leptomeningeal metastasis by neuroimaging with or without known brain "
        "metastasis\n\nCompleted breast surgery with or without adjuvant chemotherapy or radiotherapy;"
    )
    lepto = line(criteria, "Radiographic")
    assert {a.kind for a in lepto.atoms} == {"leptomeningeal_disease"}
    surgery = line(criteria, "Completed breast surgery")
    assert all(a.code not in ("chemotherapy", "radiotherapy") for a in surgery.atoms)
    assert outcome(surgery, NAIVE) is not Outcome.VIOLATED


# --- 10. the time since a therapy --------------------------------------------------------------------


def test_the_time_since_a_therapy_is_a_washout() -> None:
    criteria = parse(
        "At least 4 weeks since prior chemotherapy\n\nAt least 28 days from the last dose of chemotherapy",
        "Less than 3 weeks since prior chemotherapy",
    )
    old = patient(course("paclitaxel", "chemotherapy", "metastatic", "2024-01-31"))
    recent = patient(course("paclitaxel", "chemotherapy", "metastatic", "2026-10-25"))
    never = patient(no("chemotherapy", "chemotherapy"))
    for c in criteria:
        assert [a.window_days for a in c.atoms] in ([28], [21]), c.text
        assert not any(a.attributes.get("at_most") for a in c.atoms)  # "less than 3 weeks": no count
        assert outcome(c, old) is Outcome.SATISFIED, c.text
        assert outcome(c, recent) is Outcome.VIOLATED, c.text
        assert outcome(c, never) is Outcome.SATISFIED, c.text  # no chemotherapy: nothing to wait for
    same_everywhere(criteria, [old, recent, never])


# --- 11. a therapy as a cause or an option -------------------------------------------------------------


def test_a_therapy_as_a_cause_or_an_option_is_no_part_of_the_history() -> None:
    criteria = parse(
        "Chemotherapy-induced menopause with more than 1 year since last menses\n\n"
        "No contraindication to the third generation AIs, LHRHa, chemotherapy"
    )
    for c in criteria:
        assert all(a.kind != "prior_therapy" for a in c.atoms), c.atoms
        for p in (METASTATIC, NAIVE, patient(no("chemotherapy", "chemotherapy"))):
            assert outcome(c, p) is not Outcome.VIOLATED, c.text
    same_everywhere(criteria, [METASTATIC, NAIVE])


# --- 12. instructions and definitions ------------------------------------------------------------------


def test_an_instruction_or_a_definition_is_no_requirement() -> None:
    criteria = parse(
        "Should a woman become pregnant while participating in this study, she should inform her treating "
        "physician immediately.\n\nPatients who are breastfeeding must agree to discontinue breastfeeding "
        "before receiving olaparib.\n\nOne prior regimen of chemotherapy; adjuvant chemotherapy will not be "
        "counted as a prior regimen.",
        "Subjects with HER2+ disease will be required to discontinue trastuzumab (Herceptin).",
    )
    treated = patient(course("trastuzumab", "anti-HER2", "metastatic", "2025-01-31"))
    for c in criteria:
        assert {a.kind for a in (*c.atoms, *c.condition)} == {"permission"}, c.text
        assert outcome(c, treated) is Outcome.NOT_APPLICABLE, c.text
