"""Issue 15, sixth pass: classes of error found on the blind verdict set's read folds and the notes gold,
each on small cases written for the class (not copied from the sets), also run through the vectorised
evaluator."""

from __future__ import annotations

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Outcome, Section
from tests.test_verdict_classes_fourth import note, outcome, parse, same_in_batch
from tests.verdict_cases import strict_reading  # noqa: F401  (fixture: the reading, before the decision policy)

pytestmark = pytest.mark.usefixtures("strict_reading")


def _atoms(text: str, section: Section = Section.EXCLUSION) -> list[tuple[str, str | None, str, object]]:
    criteria = parse_eligibility(text, default_section=section).criteria
    return [(a.kind, a.code, a.operator, a.value) for c in criteria for a in c.atoms]


def _facts(text: str, kind: str) -> list[tuple[str | None, bool, dict[str, object]]]:
    return [(f.code, f.negated, dict(f.attributes)) for f in note(text).facts if f.kind == kind]


# --- notes: what was not done, brain metastases by lobe, chemoradiation -----------------------------


def test_a_procedure_that_could_not_be_performed_is_not_a_treatment_received() -> None:
    for text in (
        "Papillary thyroid cancer with a large neck mass: unable to perform thyroidectomy, s/p neck RT.",
        "Rectal adenocarcinoma cT4. Could not undergo surgery given his frailty; chemoRT 2024.",
    ):
        received = {code for code, negated, _ in _facts(text, "treatment") if not negated}
        assert not received & {"thyroidectomy", "surgery"}, text
    done = _facts("Papillary thyroid cancer. Total thyroidectomy 2021, then RAI.", "treatment")
    assert "thyroidectomy" in {code for code, negated, _ in done if not negated}


def test_a_metastasis_named_by_its_brain_lobe_is_a_brain_metastasis() -> None:
    for text in (
        "Metastatic NSCLC. Brain: L parietal met resected 2024, MRI stable since.",
        "Metastatic melanoma; cerebellar metastasis treated with SRS 2023.",
    ):
        assert ("brain", False) in {(code, negated) for code, negated, _ in _facts(text, "metastasis")}, text
    assert ("brain", True) in {
        (code, negated)
        for code, negated, _ in _facts("Metastatic NSCLC. No brain mets on MRI.", "metastasis")
    }


def test_any_history_of_brain_metastases_is_violated_by_treated_stable_ones() -> None:
    criteria = parse(
        "Metastatic breast cancer.",
        "Any history of brain metastases or any other active central nervous system disease.",
    )
    treated = note("Metastatic breast cancer. Frontal lobe metastasis resected + SRS 2023, MRI 2025 stable.")
    never = note("Metastatic breast cancer, bone mets. MRI brain 2025: no brain metastases.")
    assert outcome(criteria, treated, "Any history") is Outcome.VIOLATED
    assert outcome(criteria, never, "Any history") is Outcome.SATISFIED
    same_in_batch(criteria, [treated, never])
    # "active" written before the brain metastases still asks for active ones
    assert _atoms("Active brain metastases.")[0][:2] == ("brain_metastases", None)
    active = parse_eligibility("Active brain metastases.", default_section=Section.EXCLUSION)
    assert active.criteria[0].atoms[0].attributes["status"] == "active"


def test_a_bare_count_of_brain_metastases_is_no_presence() -> None:
    # "3 metastases in the brain" whose comparison sign was lost: a single metastasis must not violate it
    assert not [a for a in _atoms("4 metastases in the brain.") if a[0] == "brain_metastases"]
    assert ("metastasis", "brain", ">", 3.0) in _atoms("More than 3 brain metastases.")


def test_chemoradiation_without_a_setting_is_no_line_for_advanced_disease() -> None:
    facts = _facts("Cervical SCC FIGO IIIB 2022 -> cisplatin chemoRT + brachy, CR.", "treatment")
    settings = {code: attrs.get("setting") for code, negated, attrs in facts if not negated}
    assert settings["cisplatin"] == "definitive" and settings["radiotherapy"] == "definitive"
    assert settings.get("chemotherapy") == "definitive"
    criteria = parse("At least one prior line of systemic therapy for metastatic disease.")
    naive = note(
        "Cervical SCC FIGO IIIB 2022 -> cisplatin chemoRT, CR. Lung mets 2024; no systemic therapy since."
    )
    treated = note(
        "Cervical SCC FIGO IIIB 2022 -> cisplatin chemoRT, CR. Lung mets 2024: 1L carboplatin/paclitaxel."
    )
    assert outcome(criteria, naive, "At least one") is Outcome.VIOLATED
    assert outcome(criteria, treated, "At least one") is Outcome.SATISFIED
    same_in_batch(criteria, [naive, treated])
    palliative = _facts(
        "Metastatic NSCLC: palliative chemoradiation to the chest for metastatic disease.", "treatment"
    )
    assert {attrs.get("setting") for _, _, attrs in palliative} == {"metastatic"}


def test_a_drug_or_a_time_word_before_radiotherapy_is_not_its_site() -> None:
    for text in (
        "Anal SCC T2N0: mitomycin chemoRT 2023.",
        "Cervical SCC 2022: cisplatin chemoRT. Postmenopausal after chemoRT.",
    ):
        sites = {attrs.get("site") for code, _, attrs in _facts(text, "treatment") if code == "radiotherapy"}
        assert sites == {None}, (text, sites)
    sites = {
        attrs.get("site")
        for code, _, attrs in _facts("Breast cancer: whole breast radiotherapy 2022.", "treatment")
    }
    assert "whole breast" in sites


# --- criteria: household contacts, LVEF limits of normal, appetite stimulants, lead-ins, doses --------


def test_a_criterion_about_household_contacts_never_reads_the_patients_own_facts() -> None:
    for text in (
        "Household contacts: children < 1 year old, pregnant women or immunocompromised people (HIV, transplant).",
        "Patients who live with immunocompromised people.",
    ):
        assert _atoms(text) == [("non_evaluable", "household_contacts", "present", None)], text
    assert ("infection", "hiv", "present", None) in _atoms("Patients living with HIV.")
    # a sentence before the one about the contacts is still about the patient
    assert _atoms("Known HIV infection. Household contacts of immunocompromised people.") == [
        ("infection", "hiv", "present", None),
        ("non_evaluable", "household_contacts", "present", None),
    ]
    criteria = parse(
        "Soft tissue sarcoma.",
        "Household contacts who are children < 1 year old or immunocompromised hosts (AIDS, organ transplant).",
    )
    hiv = note("Leiomyosarcoma of the thigh, 2023. HIV positive on ART, CD4 600. Lives alone.")
    assert outcome(criteria, hiv, "Household contact") is Outcome.UNKNOWN
    same_in_batch(criteria, [hiv])


def test_lvef_within_or_out_of_normal_limits_is_read_against_the_lowest_lln() -> None:
    assert _atoms("LVEF out of normal limits.") == [("lab", "lvef", "<", 50.0)]
    assert _atoms("LVEF below the institutional lower limit of normal.") == [("lab", "lvef", "<", 50.0)]
    assert _atoms("LVEF >= LLN by echocardiogram.", Section.INCLUSION) == [("lab", "lvef", ">=", 50.0)]
    assert _atoms("LVEF within normal limits.", Section.INCLUSION) == [("lab", "lvef", ">=", 50.0)]
    assert _atoms("LVEF >= 55 % or within normal limits.", Section.INCLUSION)[0] == (
        "lab",
        "lvef",
        ">=",
        55.0,
    )
    assert ("lab", "bilirubin", "<=", 1.0) in _atoms("Bilirubin within normal limits.", Section.INCLUSION)
    # the sense must be written, and an LVEF that is the exception of an unread statement decides nothing
    assert not [a for a in _atoms("LVEF is  institutional lower limit of normal.") if a[1] == "lvef"]
    unless = parse(
        "Breast cancer.", "Cardiomegaly on chest x-ray unless echo shows that the LVEF is >= the LLN."
    )
    fine = note("Breast cancer, HER2+. Echo 2025: LVEF 62%.")
    assert outcome(unless, fine, "Cardiomegaly") is not Outcome.VIOLATED
    criteria = parse("Sarcoma.", "Cardiac disease: LVEF out of normal limits.")
    low = note("Leiomyosarcoma, lung mets. LVEF 41% on echo 02/2025.")
    normal = note("Leiomyosarcoma, lung mets. LVEF 62% on echo 02/2025.")
    assert outcome(criteria, low, "LVEF out of") is Outcome.VIOLATED
    assert outcome(criteria, normal, "LVEF out of") is Outcome.SATISFIED
    same_in_batch(criteria, [low, normal])


def test_a_topic_lead_in_is_no_requirement_of_its_own() -> None:
    assert _atoms("Cardiac disease: myocardial infarction within 6 months.") == [
        ("comorbidity", "myocardial_infarction", "present", None)
    ]
    assert {a[1] for a in _atoms("Infection: active hepatitis B or C.")} == {"hepatitis_b", "hepatitis_c"}
    # a lead-in with nothing after it is the criterion itself
    assert ("comorbidity", "cardiovascular_disease", "present", None) in _atoms("Cardiac disease: any.")


def test_a_cumulative_dose_limit_is_not_the_receipt_of_the_drug() -> None:
    for text in (
        "Prior cumulative doxorubicin dose > 400 mg/m2.",
        "Prior doxorubicin at a cumulative dose above 360 mg/m2.",
        "Cumulative dose of anthracyclines in excess of 450 mg/m2.",
    ):
        assert [a[:2] for a in _atoms(text)] == [("non_evaluable", "cumulative_dose")], text
    assert ("prior_therapy", "anthracycline", "present", None) in _atoms("Prior anthracycline therapy.")
    criteria = parse("Sarcoma.", "Prior cumulative doxorubicin dose > 400 mg/m2.")
    treated = note("Leiomyosarcoma, lung mets 2023 -> doxorubicin x5 (cum 375 mg/m2).")
    assert outcome(criteria, treated, "cumulative") is Outcome.UNKNOWN
    same_in_batch(criteria, [treated])


def test_appetite_stimulants_by_name_brand_and_class() -> None:
    criteria = parse(
        "Cancer cachexia.",
        "Currently taking dronabinol (MARINOL®), megestrol acetate (MEGACE®), or any prescription medication "
        "intended to increase appetite.",
    )
    atoms = [a for a in criteria[1].atoms if a.kind == "prior_therapy"]
    assert len(atoms) == 3 and len({a.attributes.get("group") for a in atoms}) == 1  # alternatives
    on_it = note("NSCLC with cachexia. Meds: megestrol 160 mg daily for appetite, omeprazole.")
    none = note("NSCLC with cachexia. Meds: omeprazole. No appetite stimulants.")
    assert outcome(criteria, on_it, "Currently taking") is Outcome.VIOLATED
    assert outcome(criteria, none, "Currently taking") is not Outcome.VIOLATED
    same_in_batch(criteria, [on_it, none])


# --- notes: adenomas, a past history's cancer -------------------------------------------------------


def test_any_adenoma_is_decided_by_the_polyps_histology() -> None:
    criteria = parse("At least one adenoma removed at screening colonoscopy.")
    adenoma = note("Screening colonoscopy 2019: 3 polyps removed, histology: tubulovillous adenoma, LGD.")
    hyperplastic = note("Screening colonoscopy 2019: 2 polyps removed, histology: hyperplastic, no adenoma.")
    assert outcome(criteria, adenoma, "adenoma") is Outcome.SATISFIED
    assert outcome(criteria, hyperplastic, "adenoma") is Outcome.VIOLATED
    same_in_batch(criteria, [adenoma, hyperplastic])
    # an adenocarcinoma is no adenoma, and a cancer's own histology still decides when there is one
    crc = _facts("Sigmoid adenocarcinoma pT2N0 on colectomy 2023.", "comorbidity")
    assert "adenoma" not in {code for code, _, _ in crc}
    # an adenoma of another organ is a tumour of its own, no bowel polyp
    for text in ("Acromegaly from a pituitary adenoma, resected 2023.", "Incidental adrenal adenoma on CT."):
        assert not _facts(text, "comorbidity"), text


def _primary(text: str) -> tuple[str | None, set[str]]:
    facts = note(text).facts
    primary = next((f.code for f in facts if f.kind == "primary_cancer"), None)
    others = {
        str(f.attributes.get("cancer")) for f in facts if f.code == "prior_malignancy" and not f.negated
    }
    return primary, others


def test_a_cancer_under_a_past_history_heading_is_not_the_primary() -> None:
    assert _primary(
        "Clinic 02/2025, 66 y/o M. PMH: prostate adenocarcinoma 2012, prostatectomy, PSA undetectable. HTN.\n"
        "Now: NSCLC adenocarcinoma, stage IV (bone mets) dx 11/2024."
    ) == ("LUAD", {"PRAD"})
    assert (
        _primary(
            "Past medical history: melanoma of the back 2010, excised. Today: metastatic colon cancer, liver mets."
        )[0]
        == "COAD"
    )
    # the only cancer of the note stays the primary, even under the heading
    assert _primary("PMH: breast cancer 2019, lumpectomy + RT. Now liver mets, ER+.")[0] == "BRCA"


# --- weight loss: criteria thresholds over a period, the loss a note gives ----------------------------


def _loss(text: str) -> tuple[float, float | None] | None:
    f = next((f for f in note(text).facts if f.kind == "weight_loss"), None)
    return (float(f.value), f.attributes.get("months")) if f else None


def test_weight_loss_thresholds_and_their_period_are_read_from_criteria() -> None:
    def atoms(text: str) -> list[tuple[str, object, dict[str, object]]]:
        criteria = parse_eligibility(text, default_section=Section.INCLUSION).criteria
        return [
            (a.operator, a.value, a.attributes) for c in criteria for a in c.atoms if a.kind == "weight_loss"
        ]

    assert atoms("Unintentional weight loss of more than 5% within the past 3 months.") == [
        (">", 5.0, {"months": 3.0})
    ]
    assert atoms("At least 10% loss of body weight over 6 months.") == [(">=", 10.0, {"months": 6.0})]
    assert atoms("Weight loss >= 2% from the highest weight.") == [(">=", 2.0, {"months": None})]
    assert atoms("Weight loss > 10 kg.") == [] and atoms("Body weight >= 40 kg.") == []


def test_a_notes_weight_loss_stated_in_percent_kilograms_or_from_the_highest_weight() -> None:
    assert _loss("Reports 7% weight loss over 3 months, appetite poor.") == (7.0, 3.0)
    assert _loss("Lost 9 kg in the past 2 months. Weight 81 kg.") == (10.0, 2.0)
    assert _loss("Wt 57 kg today; usual weight 60 kg.") == (5.0, None)
    assert _loss("Weight 88.0 kg; highest in last 6 months 90.0 kg.") == (2.2, 6.0)
    assert _loss("Lost 9 kg over 2 months.") is None  # no weight to relate it to
    assert _loss("Plan: dietitian, aim for weight loss of 5 kg. Wt 95 kg.") is None


def test_weight_loss_criteria_decide_only_where_the_periods_make_it_certain() -> None:
    criteria = parse("Weight loss of at least 5% in the last 6 months.")
    lost = note("Pancreatic adenocarcinoma. Lost 6 kg over 3 months; weight now 60 kg.")
    stable = note("Pancreatic adenocarcinoma. Weight 70.0 kg, highest in last 6 months 71.0 kg.")
    short = note("Pancreatic adenocarcinoma. 2% weight loss over the past 2 months.")
    assert outcome(criteria, lost, "Weight loss") is Outcome.SATISFIED  # 9.1 % within 3 of the 6 months
    assert outcome(criteria, stable, "Weight loss") is Outcome.VIOLATED  # 1.4 % from the 6 months' highest
    assert outcome(criteria, short, "Weight loss") is Outcome.UNKNOWN  # 2 % in 2 months: 6 months unknown
    same_in_batch(criteria, [lost, stable, short])


# --- exercise: minutes a week ------------------------------------------------------------------------


def _exercise(text: str) -> tuple[float, bool] | None:
    f = next((f for f in note(text).facts if f.kind == "exercise"), None)
    return (float(f.value), bool(f.attributes.get("at_least"))) if f else None


def test_minutes_of_exercise_a_week_are_summed_over_the_activities_a_note_names() -> None:
    assert _exercise("Cycling 40 min 3 times a week, pilates 50 min/week.") == (170.0, False)
    assert _exercise("Walks 20 min daily.") == (140.0, False)
    assert _exercise("Swims 2x/week for 45 min and plays tennis on weekends.") == (90.0, True)
    assert _exercise("No regular exercise; desk job.") == (0.0, False)
    assert _exercise("Oxaliplatin 120 min infusion, 6 cycles, 30 min daily walk.") == (210.0, False)
    assert _exercise("Cisplatin over 60 min daily x 5 days per cycle, 3 cycles.") is None  # no activity
    assert _exercise("Recommended: brisk walking 30 min daily.") is None  # a recommendation, not her habit


def test_exercise_criteria_in_minutes_a_week() -> None:
    criteria = parse("Less than 90 minutes of moderate exercise per week.")
    active = note("Breast cancer stage I, 2023. Jogs 3x/week 40 min.")
    inactive = note("Breast cancer stage I, 2023. Walks 15 min/wk, otherwise sedentary.")
    partly = note("Breast cancer stage I, 2023. Walks 30 min/wk + gardening weekly.")
    assert outcome(criteria, active, "Less than 90") is Outcome.VIOLATED
    assert outcome(criteria, inactive, "Less than 90") is Outcome.SATISFIED
    assert outcome(criteria, partly, "Less than 90") is Outcome.UNKNOWN  # gardening: minutes unknown
    same_in_batch(criteria, [active, inactive, partly])


def _counts(text: str) -> dict[str, object]:
    return {f.code or "": f.attributes.get("count") for f in note(text).facts if f.kind == "metastasis"}


def test_a_number_written_before_a_metastasis_counts_it() -> None:
    assert _counts("Metastatic CRC: two liver metastases, 4 lung mets.") == {"liver": 2, "lung": 4}
    assert _counts("Metastatic NSCLC. MRI: single R frontal met 2.5 cm.") == {"brain": 1}
    assert _counts("Metastatic melanoma, grade 2 liver mets.") == {"liver": None}
    criteria = parse("Metastatic colorectal cancer.", "More than 5 metastatic lesions.")
    many = note("Metastatic colorectal cancer: 6 liver mets and bone mets.")
    few = note("Metastatic colorectal cancer: 2 liver mets and bone mets.")
    counted = note("Metastatic colorectal cancer: 2 liver mets, 1 lung met.")
    assert outcome(criteria, many, "More than 5") is Outcome.VIOLATED  # at least 6 + 1
    assert outcome(criteria, few, "More than 5") is Outcome.UNKNOWN  # bone lesions not counted
    assert outcome(criteria, counted, "More than 5") is Outcome.SATISFIED
    same_in_batch(criteria, [many, few, counted])
