"""Issue 15, the classes of error, each on small cases: the parser and the evaluator together
(`parse_eligibility` -> `assess_trial`), then the vectorised evaluator gives the same outcomes."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Criterion, Fact, Outcome, PatientProfile, Provenance, TrialVerdict
from oncofed.matching.assess import TrialAssessment, assess_trial
from oncofed.matching.outcomes import OUTCOME_CODE, VERDICTS
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from tests.verdict_cases import strict_reading  # noqa: F401  (fixture: the reading, before the decision policy)

pytestmark = pytest.mark.usefixtures("strict_reading")

DAY = date(2026, 11, 1)
SRC = Provenance("test")


def patient(**kw: object) -> PatientProfile:
    base: dict[str, object] = {"id": "p", "centre_id": "c", "birth_date": date(1970, 1, 1)}
    base.update(kw)
    return PatientProfile(**base)  # type: ignore[arg-type]


def lab(code: str, value: float, unit: str, uln: float | None = None) -> Fact:
    attrs = {"uln": uln} if uln else {}
    return Fact("lab", code, value, unit, when=date(2026, 10, 20), provenance=SRC, attributes=attrs)


def treatment(drug: str, klass: str) -> Fact:
    return Fact(
        "treatment", drug, provenance=SRC, attributes={"class": klass, "line": 1, "setting": "metastatic"}
    )


def parse(inclusion: str, exclusion: str = "") -> list[Criterion]:
    text = f"Inclusion Criteria:\n\n{inclusion}\n"
    if exclusion:
        text += f"\nExclusion Criteria:\n\n{exclusion}\n"
    return parse_eligibility(text).criteria


def assess(criteria: list[Criterion], p: PatientProfile) -> TrialAssessment:
    return assess_trial(criteria, p, DAY)


def outcome(criteria: list[Criterion], p: PatientProfile, words: str) -> Outcome:
    a = assess(criteria, p)
    return next(o.outcome for o in a.outcomes if words in o.criterion.text)


def same_in_batch(criteria: list[Criterion], profiles: list[PatientProfile]) -> None:
    """The vectorised evaluator agrees outcome for outcome and verdict for verdict."""
    batch = evaluate_trial_over_patients(criteria, PatientBatch.from_profiles(profiles, DAY))
    for j, p in enumerate(profiles):
        a = assess(criteria, p)
        assert batch.verdicts[:, j].tolist() == [OUTCOME_CODE[o.outcome] for o in a.outcomes], p
        assert int(batch.trial_verdict[j]) == VERDICTS.index(a.verdict)


FEMALE, MALE = patient(sex="FEMALE"), patient(sex="MALE")


def test_a_required_negative_pregnancy_test_is_met_by_a_patient_not_pregnant() -> None:
    c = parse(
        "- Female subjects of childbearing potential should have a negative urine or serum pregnancy within 72 hours"
    )
    not_pregnant = patient(
        sex="FEMALE", facts=[Fact("pregnancy", value="pregnant", negated=True, provenance=SRC)]
    )
    pregnant = patient(sex="FEMALE", facts=[Fact("pregnancy", value="pregnant", provenance=SRC)])
    assert outcome(c, not_pregnant, "pregnancy") is Outcome.SATISFIED
    assert outcome(c, pregnant, "pregnancy") is not Outcome.SATISFIED  # childbearing potential unknown
    assert outcome(c, MALE, "pregnancy") is Outcome.NOT_APPLICABLE  # sex-specific: not for a man
    same_in_batch(c, [not_pregnant, pregnant, MALE, FEMALE])


def test_seronegative_and_abstaining_are_required_absences() -> None:
    c = parse(
        "- Seronegative for human immunodeficiency virus (HIV) antibody.\n- Abstains from breastfeeding during the study"
    )
    hiv_neg = patient(sex="FEMALE", facts=[Fact("comorbidity", "hiv", negated=True, provenance=SRC)])
    hiv_pos = patient(sex="FEMALE", facts=[Fact("comorbidity", "hiv", provenance=SRC)])
    assert outcome(c, hiv_neg, "HIV") is Outcome.SATISFIED
    assert outcome(c, hiv_pos, "HIV") is Outcome.VIOLATED
    assert outcome(c, MALE, "breastfeeding") is Outcome.NOT_APPLICABLE
    same_in_batch(c, [hiv_neg, hiv_pos, MALE])


def test_a_conditional_limit_applies_only_when_its_condition_holds() -> None:
    c = parse("- AST and ALT <= 2.5 x ULN (<= 5 x ULN if liver metastases are present)")
    liver = Fact("metastasis", "liver", provenance=SRC)
    high = [lab("ast", 120, "U/L", uln=40), lab("alt", 120, "U/L", uln=40)]  # 3 x ULN
    # the looser limit of the parenthesis is read (issue 15, third pass): 3 x ULN with liver metastases is met
    assert outcome(c, patient(facts=[liver, *high]), "AST") is Outcome.SATISFIED
    assert outcome(c, patient(stage="II", facts=high), "AST") is Outcome.VIOLATED
    parsed = parse("- ALT/AST <= 2.5 x ULN; for patients with liver metastases ALT/AST <= 5 x ULN")
    assert outcome(parsed, patient(facts=[liver, *high]), "AST") is Outcome.SATISFIED
    assert outcome(parsed, patient(stage="II", facts=high), "AST") is Outcome.VIOLATED
    same_in_batch(c, [patient(facts=[liver, *high]), patient(stage="II", facts=high), patient()])
    same_in_batch(parsed, [patient(facts=[liver, *high]), patient(stage="II", facts=high), patient()])


def test_who_a_criterion_is_about_is_its_condition() -> None:
    c = parse("- Patients with gastrointestinal stromal tumors (GIST) must have failed imatinib")
    assert outcome(c, patient(primary_cancer="BRCA"), "GIST") is Outcome.NOT_APPLICABLE
    assert outcome(c, patient(primary_cancer="GIST"), "GIST") is Outcome.UNKNOWN
    women = parse(
        "- Age >= 18",
        "- Women who have undergone a hysterectomy\n- Women who are currently menstruating will be deferred",
    )
    assert outcome(women, MALE, "hysterectomy") is Outcome.NOT_APPLICABLE
    assert outcome(women, FEMALE, "hysterectomy") is Outcome.UNKNOWN  # never "applies" to every woman
    # a deferral is a procedure, not an exclusion
    assert outcome(women, FEMALE, "menstruating") is Outcome.NOT_APPLICABLE


def test_exceptions_and_permissions_never_exclude() -> None:
    c = parse(
        "- Age >= 18",
        "- Active brain metastases (treated and stable brain metastases are allowed)\n"
        "- Subjects with hypothyroidism stable on hormone replacement will not be excluded",
    )
    stable = patient(
        stage="IV",
        facts=[Fact("metastasis", "brain", provenance=SRC, attributes={"status": "treated_stable"})],
    )
    untreated = patient(
        stage="IV", facts=[Fact("metastasis", "brain", provenance=SRC, attributes={"status": "untreated"})]
    )
    assert outcome(c, stable, "brain") is Outcome.SATISFIED
    assert outcome(c, untreated, "brain") is Outcome.VIOLATED
    assert outcome(c, stable, "hypothyroidism") is Outcome.NOT_APPLICABLE
    definition = parse("- HER2-positive is defined as HER2 IHC 3+ or ISH >= 2.0")
    assert outcome(definition, patient(), "defined") is Outcome.NOT_APPLICABLE
    same_in_batch(c, [stable, untreated, patient()])


def test_or_alternatives_and_lists() -> None:
    c = parse("- ECOG performance status 0, or 1\n- WHO PS 0, 1 or 2")
    assert outcome(c, patient(ecog=1), "0, or 1") is Outcome.SATISFIED
    assert outcome(c, patient(ecog=2), "0, or 1") is Outcome.VIOLATED
    assert outcome(c, patient(ecog=2), "WHO") is Outcome.SATISFIED
    same_in_batch(c, [patient(ecog=0), patient(ecog=2), patient(ecog=3), patient()])


def test_ranges_and_units() -> None:
    c = parse("- ANC >= 1,500/mm3\n- Hemoglobin >= 90 g/L\n- Karnofsky performance status >= 70")
    p = patient(ecog=1, facts=[lab("anc", 1.2, "10^9/L"), lab("hemoglobin", 9.5, "g/dL")])
    assert outcome(c, p, "ANC") is Outcome.VIOLATED
    assert outcome(c, p, "Hemoglobin") is Outcome.SATISFIED
    assert outcome(c, p, "Karnofsky") is Outcome.SATISFIED  # ECOG 1 = Karnofsky 70-80
    kps = parse("- Karnofsky performance status  70")  # a lost sign: never read as "ECOG 0"
    assert [a.kind for c_ in kps for a in c_.atoms] == ["karnofsky"]
    same_in_batch(c, [p, patient()])


def test_cohorts_are_alternatives_and_the_explanation_says_which() -> None:
    c = parse(
        "- Age >= 18\n- For Colorectal (CRC):\n- Must have metastatic colorectal cancer\n"
        "- For Breast Cancer:\n- Must have metastatic breast cancer\n- HER2-negative"
    )
    breast = patient(
        primary_cancer="BRCA", stage="IV", facts=[Fact("biomarker", "HER2", "negative", provenance=SRC)]
    )
    lung = patient(primary_cancer="LUAD", stage="IV")
    a = assess(c, breast)
    assert a.verdict is not TrialVerdict.EXCLUDED and a.cohort and "Breast" in a.cohort
    crc = next(o for o in a.outcomes if "colorectal" in o.criterion.text)
    assert crc.outcome is Outcome.NOT_APPLICABLE and "cohort" in crc.sentence
    assert assess(c, lung).verdict is TrialVerdict.EXCLUDED  # excluded from every cohort
    same_in_batch(c, [breast, lung, patient()])


def test_headings_and_fragments_are_not_criteria() -> None:
    c = parse(
        "- Key :\n- :\n- Hematologic:\n- ANC >= 1.5 x 10^9/L\n- Adequate organ function as follows:\n- Bilirubin <= 1.5 x ULN"
    )
    assert [x.text for x in c] == ["ANC >= 1.5 x 10^9/L", "Bilirubin <= 1.5 x ULN"]


def test_investigator_criteria_are_unknown_to_confirm_never_a_block() -> None:
    c = parse(
        "- Age >= 18\n- Signed written informed consent\n- In the opinion of the investigator, fit for the study"
    )
    a = assess(c, patient())
    consent = [o for o in a.outcomes if o.investigator]
    assert consent and all(o.outcome is Outcome.UNKNOWN and "investigator" in o.sentence for o in consent)
    assert a.verdict is TrialVerdict.ELIGIBLE  # nothing violated, nothing else unknown


def test_a_trial_without_parsed_criteria_is_not_evaluated_never_eligible() -> None:
    assert assess([], patient()).verdict is TrialVerdict.NOT_EVALUATED
    from oncofed.domain import Trial
    from oncofed.matching.criteria_source import registry_criteria

    adults = registry_criteria(Trial(id="T", title="t", min_age_years=18.0))
    assert assess(adults, patient()).verdict is TrialVerdict.NOT_EVALUATED
    assert assess(adults, patient(birth_date=date(2015, 1, 1))).verdict is TrialVerdict.EXCLUDED


def test_absence_from_a_history_never_excludes() -> None:
    c = parse("- Prior taxane therapy", "- Prior anti-PD-1 therapy\n- Prior whole brain radiotherapy")
    p = patient(facts=[treatment("trastuzumab", "anti-HER2"), treatment("carboplatin", "platinum")])
    assert outcome(c, p, "taxane") is Outcome.UNKNOWN  # not listed: never "not met"
    assert outcome(c, p, "anti-PD-1") is Outcome.SATISFIED  # the drug history is presumed complete
    assert outcome(c, p, "radiotherapy") is Outcome.UNKNOWN  # a drug history says nothing of radiotherapy
    same_in_batch(c, [p, patient(facts=[treatment("docetaxel", "taxane")]), patient()])


def test_qualified_exclusions_ask_for_the_qualifier() -> None:
    c = parse("- Breast cancer", "- Bilateral breast cancer\n- Uncontrolled hypertension")
    htn = Fact("comorbidity", "hypertension", provenance=SRC)
    p = patient(primary_cancer="BRCA", facts=[htn])
    assert outcome(c, p, "Bilateral") is Outcome.UNKNOWN  # not "applies" to every breast patient
    assert outcome(c, p, "hypertension") is Outcome.UNKNOWN
    bad = patient(
        primary_cancer="BRCA",
        facts=[Fact("comorbidity", "hypertension", provenance=SRC, attributes={"status": "uncontrolled"})],
    )
    assert outcome(c, bad, "hypertension") is Outcome.VIOLATED
    same_in_batch(c, [p, bad, patient(primary_cancer="LUAD")])


def test_exclusions_written_as_requirements_and_sex_specific_limits() -> None:
    c = parse(
        "- Age >= 18",
        "- Patients must not have known human immunodeficiency virus (HIV) infection.\n"
        "- QTc interval > 450 msec (males) or > 470 msec (females)",
    )
    hiv = patient(facts=[Fact("comorbidity", "hiv", provenance=SRC)])
    assert outcome(c, hiv, "HIV") is Outcome.VIOLATED  # "must not have" under exclusions excludes HIV
    woman_460 = patient(sex="FEMALE", facts=[lab("qtc", 460, "ms")])
    man_460 = patient(sex="MALE", facts=[lab("qtc", 460, "ms")])
    assert outcome(c, woman_460, "QTc") is not Outcome.VIOLATED
    assert outcome(c, man_460, "QTc") is Outcome.VIOLATED
    same_in_batch(c, [hiv, woman_460, man_460, patient()])


def test_counts_current_therapy_and_or_led_alternatives() -> None:
    c = parse(
        "- No more than two prior anti-HER2 therapies for metastatic disease",
        "- Currently receiving corticosteroids",
    )
    two = patient(facts=[treatment("trastuzumab", "anti-HER2"), treatment("pertuzumab", "anti-HER2")])
    past = Fact(
        "treatment",
        "dexamethasone",
        provenance=SRC,
        attributes={"class": "corticosteroid", "historical": True},
    )
    assert outcome(c, two, "anti-HER2") is Outcome.SATISFIED  # a count, not "no prior anti-HER2"
    assert (
        outcome(c, patient(facts=[past]), "corticosteroids") is Outcome.SATISFIED
    )  # a past course is not current
    alternatives = parse(
        "- Relapsed neuroblastoma\n- OR relapsed osteosarcoma\n- OR metastatic uveal melanoma\n- Life expectancy of at least 12 weeks"
    )
    a = assess(alternatives, patient(primary_cancer="UM", stage="IV"))
    assert a.verdict is not TrialVerdict.EXCLUDED and a.cohort and "alternative 3" in a.cohort
    life = next(o for o in a.outcomes if "Life expectancy" in o.criterion.text)
    assert life.outcome is Outcome.UNKNOWN  # common to every alternative
    same_in_batch(c, [two, patient(facts=[past]), patient()])
