"""Notes: what is not the patient's history (plans, trials, relatives, hypotheticals, allergies) and
negation as notes write it (issue 15). Each test is one class of error seen on real notes."""

from __future__ import annotations

from oncofed.domain import Fact
from oncofed.ingest.patients.notes import extract


def facts(text: str) -> list[Fact]:
    return [f for f in extract(text, "n1", "note:t").facts if f.kind != "note"]


def keys(text: str, kind: str) -> set[tuple[str | None, bool]]:
    return {(f.code, f.negated) for f in facts(text) if f.kind == kind}


def mentions(text: str) -> dict[str | None, str]:
    return {f.code: f.attributes["scope"] for f in facts(text) if f.kind == "note_mention"}


def test_trial_drug_described_as_an_option_is_not_a_treatment_received() -> None:
    text = (
        "A 61-year-old man with metastatic melanoma progressed on ipilimumab. "
        "His oncologist discussed a phase II trial of pembrolizumab plus an investigational vaccine."
    )
    assert keys(text, "treatment") == {("ipilimumab", False)}
    assert mentions(text)["pembrolizumab"] in ("plan", "trial")


def test_trial_description_sentence_is_not_history_but_trial_non_participation_is_read() -> None:
    text = (
        "She had not participated in any other clinical trial and her ECOG was 1. "
        "The study randomly assigned participants to receive olaparib or placebo."
    )
    assert ("olaparib", False) not in keys(text, "treatment")
    assert mentions(text)["olaparib"] == "trial"
    assert [f.value for f in facts(text) if f.kind == "ecog"] == [1]


def test_plans_recommendations_and_offers_are_not_treatments_received() -> None:
    for sentence in (
        "Neoadjuvant chemotherapy was recommended.",
        "She is a candidate for mastectomy.",
        "He was offered radiotherapy to the spine.",
        "The plan is to start letrozole next week.",
        "She is scheduled for surgical resection of the tumour.",
    ):
        text = "A 55-year-old woman with breast cancer. " + sentence
        assert not any(f.kind == "treatment" and not f.negated for f in facts(text)), sentence
        assert mentions(text), sentence


def test_relatives_history_is_not_the_patients() -> None:
    text = (
        "A 47-year-old woman seen for fatigue. Her husband has pancreatic cancer and receives gemcitabine. "
        "Family history of type 2 diabetes (her mother). She has hypertension."
    )
    got = facts(text)
    assert not any(f.kind == "primary_cancer" for f in got)
    assert not any(f.kind == "treatment" for f in got)
    assert {(f.code, f.negated) for f in got if f.kind == "comorbidity"} == {("hypertension", False)}
    assert mentions(text)["PAAD"] == "family" and mentions(text)["diabetes"] == "family"


def test_drugs_named_in_an_allergy_are_not_treatments_but_the_conditions_after_are_read() -> None:
    text = "A 50-year-old woman. She has no known hypersensitivity to paclitaxel or carboplatin, no history of HIV."
    assert ("paclitaxel", False) not in keys(text, "treatment")
    assert mentions(text)["paclitaxel"] == "allergy"
    assert ("hiv", True) in keys(text, "comorbidity") and ("hypersensitivity", True) in keys(
        text, "comorbidity"
    )


def test_result_written_after_the_finding_negates_it() -> None:
    text = "A 40-year-old man. HIV negative. HBsAg neg. Her hepatitis B and C serologies were negative. Beta-hCG negative."
    got = keys(text, "comorbidity")
    assert {("hiv", True), ("hepatitis_b", True), ("hepatitis_c", True)} <= got
    assert not any(not negated for _, negated in got)


def test_infection_named_positive_is_present() -> None:
    text = "A 40-year-old man with chronic hepatitis C infection on treatment; HIV positive since 2010."
    got = keys(text, "comorbidity")
    assert ("hepatitis_c", False) in got and ("hiv", False) in got
    assert not any(code == "active_infection" for code, _ in got)  # "hepatitis C infection" is one condition


def test_comorbidity_qualifiers_keep_type_and_do_not_negate() -> None:
    got = [
        f
        for f in facts("A 70-year-old man with type 2 diabetes without complications and COPD.")
        if f.kind == "comorbidity"
    ]
    diabetes = next(f for f in got if f.code == "diabetes")
    assert diabetes.value == "type_2" and not diabetes.negated
    assert ("lung_disease", False) in {(f.code, f.negated) for f in got}
    assert not any(
        f.kind == "comorbidity" and f.code == "diabetes"
        for f in facts("No diabetic complications were noted.")
    )


def test_negation_does_not_cross_into_a_new_clause() -> None:
    text = "She had no significant cardiac issues, and her hypertension was well controlled with amlodipine."
    got = keys(text, "comorbidity")
    assert ("cardiovascular_disease", True) in got and ("hypertension", False) in got


def test_a_resolved_finding_at_the_end_does_not_negate_a_whole_list() -> None:
    text = "64 yo male with hx of CVA, diabetes, chronic kidney disease and recurrent urinary infections, now resolved."
    got = keys(text, "comorbidity")
    assert ("stroke", False) in got and ("diabetes", False) in got


def test_time_anchor_is_not_negated_and_pregnancy_test_needs_a_result() -> None:
    assert keys("A 30-year-old woman. No infection prior to her pregnancy.", "pregnancy") == set()
    assert keys("A 30-year-old pregnant woman, 20 weeks.", "pregnancy") == {(None, False)}
    assert keys("Her pregnancy test is negative.", "pregnancy") == {(None, True)}
    assert keys("A pregnancy test was ordered.", "pregnancy") == set()
    assert keys("She is not pregnant or lactating.", "breastfeeding") == {(None, True)}


def test_therapy_not_responded_to_was_received() -> None:
    text = "A 52-year-old woman whose breast cancer did not respond to anthracyclines and taxanes."
    assert {("anthracycline", False), ("taxane", False)} <= keys(text, "treatment")


def test_non_cancer_stages_are_not_cancer_stages() -> None:
    for text in (
        "A 60-year-old man with Parkinson's disease, Hoehn-Yahr stage II.",
        "Fungal esophagitis stage IV?",
        "A 12-year-old girl, breast development at Tanner stage 1.",
    ):
        assert not any(f.kind == "stage" for f in facts(text)), text
    assert [f.code for f in facts("She has stage IIIB non-small cell lung cancer.") if f.kind == "stage"] == [
        "IIIB"
    ]


def test_recurrent_only_describes_the_cancer() -> None:
    assert not any(
        f.kind == "disease_status"
        for f in facts("A 60-year-old man with recurrent urinary tract infections.")
    )
    got = facts("A 60-year-old man with recurrent ovarian cancer.")
    assert ("recurrent", False) in {(f.code, f.negated) for f in got if f.kind == "disease_status"}


def test_a_reason_ends_a_plan_or_negation_scope() -> None:
    text = "Not a candidate for immunotherapy due to a history of lupus. No chemotherapy because of her cirrhosis."
    got = keys(text, "comorbidity")
    assert ("autoimmune_disease", False) in got and ("liver_disease", False) in got
    assert ("chemotherapy", True) in keys(text, "treatment")
    assert mentions(text)["immune checkpoint inhibitor"] == "plan"


def test_serology_abbreviations_after_the_virus() -> None:
    got = keys("HCV Ab negative. HBsAg negative. HIV-1/2 antibody: negative.", "comorbidity")
    assert ("hepatitis_c", True) in got and ("hepatitis_b", True) in got and ("hiv", True) in got
    assert not any(not negated for _, negated in got)


def test_plan_family_and_allergy_sections() -> None:
    text = (
        "72F with metastatic colon cancer.\n"
        "Meds: capecitabine.\n"
        "Allergies: oxaliplatin (anaphylaxis).\n"
        "Family history: mother with breast cancer.\n"
        "Plan: start FOLFIRI + bevacizumab.\n"
        "Labs: Hgb 10.1 g/dL."
    )
    assert keys(text, "treatment") == {("capecitabine", False)}
    found = mentions(text)
    assert found["oxaliplatin"] == "allergy" and found["BRCA"] == "family"
    assert found["folfiri"] == "plan" and found["bevacizumab"] == "plan"
    assert [f.value for f in facts(text) if f.kind == "lab"] == [10.1]  # the section after the plan is read
