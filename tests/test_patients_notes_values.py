"""Notes: values a trial asks about (issue 15) — labs in canonical units and x ULN, performance
status, stage / TNM, metastatic sites, prior lines with setting, regimens, receptor statuses."""

from __future__ import annotations

import pytest

from oncofed.domain import Fact
from oncofed.ingest.patients.notes import extract


def facts(text: str, kind: str) -> list[Fact]:
    return [f for f in extract(text, "n1", "note:t").facts if f.kind == kind]


def labs(text: str) -> dict[str, tuple[float, str | None]]:
    return {f.code or "": (f.value, f.unit) for f in facts(text, "lab")}


@pytest.mark.parametrize(
    ("text", "analyte", "value", "unit"),
    [
        ("ANC of 1,800/mcL.", "anc", 1.8, "10^9/L"),
        ("Platelet count 95 x 10^9/L.", "platelets", 95.0, "10^9/L"),
        ("Platelets: 210,000 /cu.mm", "platelets", 210.0, "10^9/L"),
        ("platelet count 119 x 109/L", "platelets", 119.0, "10^9/L"),
        ("Haemoglobin at 105 g/L.", "hemoglobin", 10.5, "g/dL"),
        ("Hgb: 9.8 gm/dL", "hemoglobin", 9.8, "g/dL"),
        ("Creatinine 88.4 µmol/L.", "creatinine", 1.0, "mg/dL"),
        ("Creatinine clearance was 52 mL/minute.", "creatinine_clearance", 52.0, "mL/min"),
        ("LVEF of 60%.", "lvef", 60.0, "%"),
        ("QTcF 455 msec.", "qtc", 455.0, "ms"),
        ("INR: 1.1", "inr", 1.1, ""),
        ("Cr 1.3 mg/dL, plt 180K.", "platelets", 180.0, "10^9/L"),
        ("Cr 1.3 mg/dL, plt 180K.", "creatinine", 1.3, "mg/dL"),
    ],
)
def test_lab_values_are_converted_to_the_canonical_unit(
    text: str, analyte: str, value: float, unit: str
) -> None:
    got = labs("A 50-year-old woman. " + text)
    assert got[analyte][0] == pytest.approx(value, rel=1e-3) and got[analyte][1] == unit


def test_multiples_of_the_uln_keep_the_multiple_and_a_comparable_value() -> None:
    got = facts("AST and ALT both at 2.5 times the upper limit of normal; total bilirubin 1.2 x ULN.", "lab")
    by = {f.code: f for f in got}
    assert set(by) == {"ast", "alt", "bilirubin"}
    assert by["ast"].attributes["x_uln"] == 2.5 and by["ast"].value == pytest.approx(
        2.5 * by["ast"].attributes["uln"]
    )
    assert by["bilirubin"].attributes["x_uln"] == 1.2


@pytest.mark.parametrize(
    "text",
    [
        "AST and ALT below twice the upper limit of normal.",
        "eGFR > 60 mL/min.",
        "Liver function tests within normal limits.",
        "SCr 2.1",  # no unit: a patient's result is never given a guessed unit
        "Platelets 300000 /ml",  # a unit that does not convert
        "Direct bilirubin 2.4 mg/dL",
    ],
)
def test_inequalities_words_and_unknown_units_are_not_values(text: str) -> None:
    assert labs(text) == {}


def test_table_reference_range_is_not_the_value() -> None:
    got = facts("Creatinine                 0.7-1.4 mg/dl    0.8 mg/dl", "lab")
    assert [(f.code, f.value) for f in got] == [("creatinine", 0.8)] and got[0].attributes["uln"] == 1.4


def test_performance_status_scales() -> None:
    assert [f.value for f in facts("WHO performance status of 0.", "ecog")] == [0]
    assert [
        f.value for f in facts("Eastern Cooperative Oncology Group (ECOG) performance status was 2.", "ecog")
    ] == [2]
    assert facts("Eligible patients need ECOG 0-1.", "ecog") == []
    assert [f.value for f in facts("Karnofsky 70%.", "karnofsky")] == [70]


def test_tnm_without_a_group_is_kept_and_m0_means_not_metastatic() -> None:
    text = "Invasive ductal carcinoma of the breast, cT2N1M0."
    assert [f.value for f in facts(text, "tnm")] == ["cT2N1M0"]
    assert [(f.code, f.negated) for f in facts(text, "disease_status")] == [("metastatic", True)]


def test_metastatic_sites_as_notes_write_them() -> None:
    def sites(text: str) -> set[tuple[str | None, bool]]:
        return {(f.code, f.negated) for f in facts(text, "metastasis")}

    assert sites("Breast cancer metastasized to her liver and lungs.") == {("liver", False), ("lung", False)}
    assert sites("Metastatic to lymph nodes and adrenal glands.") == {
        ("lymph_node", False),
        ("adrenal_gland", False),
    }
    assert sites("ER+ metastatic breast cancer to bone and liver.") == {("bone", False), ("liver", False)}
    assert sites("NSCLC with progression to the adrenal gland.") == {("adrenal_gland", False)}
    assert sites("Hepatocellular carcinoma with progression in the liver.") == set()  # the primary's organ
    assert sites("Colorectal cancer with liver-only metastases.") == {("liver", False)}
    assert sites("Metastatic breast cancer with a 3 cm lesion in her liver.") == {("liver", False)}
    assert sites("Lung adenocarcinoma with lesions in both lungs, stage IV.") == set()  # the primary's organ
    assert sites("Breast cancer, a lesion in her liver (no metastatic disease).") == set()  # not advanced
    assert sites("No evidence of CNS metastases.") == {("brain", True)}
    brain = facts("Metastatic NSCLC. She has treated and stable brain metastases.", "metastasis")[0]
    assert brain.code == "brain" and brain.attributes["status"] == "treated_stable"


def test_prior_lines_and_setting() -> None:
    text = (
        "She had trastuzumab in the adjuvant setting. She then received three lines of systemic treatment "
        "for her metastatic disease, including capecitabine."
    )
    by = {f.code: f for f in facts(text, "treatment")}
    assert by["trastuzumab"].attributes["setting"] == "adjuvant"
    assert by["capecitabine"].attributes["setting"] == "metastatic"
    assert [f.value for f in facts(text, "prior_lines")] == [3]
    assert [
        f.value for f in facts("Ovarian cancer, s/p 4 prior lines including carboplatin.", "prior_lines")
    ] == [4]
    counted = "First-line carboplatin for metastatic disease. She then received docetaxel."
    assert [f.value for f in facts(counted, "prior_lines")] == [2]


def test_regimens_expand_to_their_drugs_and_ambiguous_acronyms_need_a_therapy_cue() -> None:
    got = {f.code for f in facts("Marginal zone lymphoma treated with R-CHOP x 6 cycles.", "treatment")}
    assert got == {"rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"}
    neoadjuvant = facts("Breast cancer treated with neoadjuvant AC-T.", "treatment")
    assert {(f.code, f.attributes.get("setting")) for f in neoadjuvant} == {
        ("doxorubicin", "neoadjuvant"),
        ("cyclophosphamide", "neoadjuvant"),
        ("paclitaxel", "neoadjuvant"),
    }
    assert facts("The PCR test for influenza was negative.", "treatment") == []
    assert {f.code for f in facts("He received four cycles of PCR.", "treatment")} == {
        "pentostatin",
        "cyclophosphamide",
        "rituximab",
    }


def test_treatment_classes_and_generic_negations() -> None:
    text = "No prior tamoxifen or aromatase inhibitors. She had not received any previous treatment for her cancer."
    got = {(f.code, f.negated) for f in facts(text, "treatment")}
    assert {("tamoxifen", True), ("aromatase inhibitor", True), ("systemic therapy", True)} <= got
    targeted = "She never received immunotherapy targeting PD-1 or PD-L1."
    assert {("anti-PD-1", True), ("anti-PD-L1", True)} <= {
        (f.code, f.negated) for f in facts(targeted, "treatment")
    }


def test_chemoradiation_is_both_and_declined_therapy_is_not_received() -> None:
    got = {(f.code, f.negated) for f in facts("NSCLC treated with concurrent chemoradiation.", "treatment")}
    assert got == {("chemotherapy", False), ("radiotherapy", False)}
    assert facts("She declined chemotherapy and would like to avoid radiotherapy.", "treatment") == []


def test_mismatch_repair_and_microsatellite_statuses() -> None:
    got = {(f.code, f.value) for f in facts("Colorectal adenocarcinoma, MSI-H/dMMR.", "biomarker")}
    assert got == {("MSI", "MSI-H"), ("MMR", "dMMR")}


def test_windowed_absence_is_not_read_as_never() -> None:
    text = "A 60-year-old woman. No radiotherapy in the past month."
    assert facts(text, "treatment") == []


def test_surgery_counts_only_for_the_cancer() -> None:
    assert facts("Past history: knee surgery, cataracts s/p surgery.", "treatment") == []
    got = facts("Breast cancer treated by chemotherapy followed by surgery.", "treatment")
    assert "surgery" in {f.code for f in got}


def test_receptor_statuses_as_notes_write_them() -> None:
    def markers(text: str) -> dict[str | None, object]:
        return {f.code: f.value for f in facts(text, "biomarker")}

    assert markers("Hormone receptor-negative, HER2-positive breast cancer.") == {
        "ER": "negative",
        "PR": "negative",
        "HER2": "positive",
    }
    assert markers("Tumour was ER, PR, and HER2 negative.") == {
        "ER": "negative",
        "PR": "negative",
        "HER2": "negative",
    }
    assert markers("ER-positive and HER2-negative.") == {"ER": "positive", "HER2": "negative"}
    assert markers("Triple-negative breast cancer.") == {
        "ER": "negative",
        "PR": "negative",
        "HER2": "negative",
    }
    assert markers("Metastatic HER2-positive breast cancer.")["HER2"] == "positive"
    assert "ER" not in markers("ER <10% by IHC.")  # low: not a value


def test_life_expectancy_in_weeks() -> None:
    got = facts("Life expectancy of more than 3 months.", "life_expectancy")
    assert [(f.value, f.attributes["operator"]) for f in got] == [(pytest.approx(13.05, abs=0.1), ">=")]


def test_sentences_not_understood_are_kept_for_the_page() -> None:
    text = "A 50-year-old woman with breast cancer. Ki-67 was 30% on the core biopsy. She likes gardening."
    unread = [f.display for f in extract(text, "n1", "note:t").facts if f.kind == "note_unread"]
    assert unread == ["Ki-67 was 30% on the core biopsy."]


def test_clinic_letter_shorthand() -> None:
    text = (
        "57 y/o M, metastatic adenocarcinoma of the sigmoid colon, RAS/BRAF wt, MSS/pMMR. "
        "1L FOLFOX-bevacizumab -> PD; 2L FOLFIRI-panitumumab -> PD; 3L regorafenib. Anti-PD-1 naive."
    )
    assert [f.code for f in facts(text, "primary_cancer")] == ["COAD"]
    markers = {(f.code, f.value, f.negated) for f in facts(text, "biomarker")}
    assert {("KRAS", "mutation", True), ("NRAS", "mutation", True), ("BRAF", "mutation", True)} <= markers
    given = {f.code: f for f in facts(text, "treatment")}
    assert given["bevacizumab"].attributes["line"] == 1 and given["panitumumab"].attributes["line"] == 2
    assert given["anti-PD-1"].negated
    assert [f.value for f in facts(text, "prior_lines")] == [3]
    assert [f.code for f in facts("68 y/o M, oral cavity SCC, s/p glossectomy.", "primary_cancer")] == [
        "HNSC"
    ]
    assert facts("Cholecystectomy in 2010.", "treatment") == []  # a surgery, not for a cancer
