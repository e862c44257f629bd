"""Issue 15, fifth pass: classes of error of the notes reader found on the blind verdict set's read
folds (line numbers written "2L", "L2", "third-line" ...), each on small cases written for the class
(not copied from the sets), also run through the vectorised evaluator."""

from __future__ import annotations

import pytest

from oncofed.domain import Outcome
from tests.test_verdict_classes_fourth import note, outcome, parse, same_in_batch
from tests.verdict_cases import strict_reading  # noqa: F401  (fixture: the reading, before the decision policy)

pytestmark = pytest.mark.usefixtures("strict_reading")


def _lines(text: str) -> dict[str, int | None]:
    return {f.code: f.attributes.get("line") for f in note(text).facts if f.kind == "treatment"}


def _prior_lines(text: str) -> int | None:
    return next((int(f.value) for f in note(text).facts if f.kind == "prior_lines"), None)


def test_each_treatment_takes_the_line_number_written_before_it() -> None:
    text = (
        "Metastatic gastric adenocarcinoma. Palliative tx: 1L FOLFOX 2022, 2L ramucirumab + paclitaxel 2023, "
        "3L irinotecan 2024 -> PD."
    )
    lines = _lines(text)
    assert lines["ramucirumab"] == 2 and lines["paclitaxel"] == 2 and lines["irinotecan"] == 3
    assert _prior_lines(text) == 3


def test_line_numbers_written_l1_l2_and_ordinals() -> None:
    assert _lines("Metastatic NSCLC. L1 carboplatin/pemetrexed 2023; L2: docetaxel 2024.")["docetaxel"] == 2
    assert _lines("Metastatic melanoma: nivolumab 2nd line, progression 2024.")["nivolumab"] == 2
    assert _lines("Metastatic CRC: FOLFIRI as third-line 2024.")["irinotecan"] == 3


def test_a_vertebra_is_not_a_line_of_therapy() -> None:
    lines = _lines(
        "Metastatic breast cancer, bone mets L2-L4 treated with radiotherapy; paclitaxel first-line."
    )
    assert lines.get("radiotherapy") is None and lines["paclitaxel"] == 1
    assert _lines("Metastatic prostate cancer. Radiotherapy to L3 vertebra 2024.").get("radiotherapy") is None


def test_at_most_n_prior_lines_is_violated_by_a_numbered_fourth_line() -> None:
    criteria = parse("No more than 3 prior lines of chemotherapy for metastatic disease.")
    over = note(
        "Metastatic ovarian cancer. 1L carboplatin/paclitaxel 2021, 2L PLD 2022, 3L gemcitabine 2023, "
        "4L topotecan 2024 -> PD. ECOG 1."
    )
    within = note(
        "Metastatic ovarian cancer. 1L carboplatin/paclitaxel 2021, 2L gemcitabine 2023 -> PD. ECOG 1."
    )
    assert outcome(criteria, over, "No more than 3") is Outcome.VIOLATED
    assert outcome(criteria, within, "No more than 3") is not Outcome.VIOLATED
    same_in_batch(criteria, [over, within])


def _metastatic(text: str) -> tuple[set[str], bool | None]:
    facts = note(text).facts
    sites = {f.code or "" for f in facts if f.kind == "metastasis" and not f.negated}
    status = [f.negated for f in facts if f.kind == "disease_status" and f.code == "metastatic"]
    return sites, (False in status) if status else None


def test_lesions_a_biopsy_proved_to_be_the_cancer_are_metastases() -> None:
    sites, metastatic = _metastatic(
        "Pancreatic adenocarcinoma of the head, Whipple 2023. MRI 02/2025: two pulmonary nodules, biopsy c/w pancreatic primary."
    )
    assert "lung" in sites and metastatic
    sites, metastatic = _metastatic(
        "Gastric adenocarcinoma pT2N0M0 resected 2022. CT 2025: new liver lesion, bx = gastric mets."
    )
    assert "liver" in sites and metastatic  # a later biopsy-proven lesion wins over the M0 of the staging


def test_a_lesion_with_a_benign_or_negative_biopsy_is_not_a_metastasis() -> None:
    for text in (
        "Invasive lobular carcinoma R breast. CT 2025: 2 liver lesions, bx = benign hemangioma.",
        "Invasive lobular carcinoma R breast. CT 2025: liver lesion, biopsy negative for malignancy.",
        "Invasive lobular carcinoma R breast. CT 2025: liver lesion, bx pending.",
    ):
        sites, metastatic = _metastatic(text)
        assert "liver" not in sites and not metastatic, text


def test_a_biopsy_proven_distant_lesion_violates_no_metastatic_disease() -> None:
    criteria = parse("Histologically confirmed breast cancer.", "Metastatic disease.")
    spread = note(
        "Invasive ductal carcinoma L breast, cT2N1. CT 01/2025: 3 liver lesions, bx = breast primary."
    )
    local = note("Invasive ductal carcinoma L breast, cT2N1. CT + bone scan 01/2025: no distant mets.")
    assert outcome(criteria, spread, "Metastatic disease") is Outcome.VIOLATED
    assert outcome(criteria, local, "Metastatic disease") is not Outcome.VIOLATED
    same_in_batch(criteria, [spread, local])


def _surgeries(text: str) -> dict[str, str]:
    return {f.code or "": f.kind for f in note(text).facts if f.attributes.get("class") == "surgery"}


def test_a_resection_of_the_primary_cancers_organ_is_its_surgery() -> None:
    assert _surgeries("Sigmoid adenocarcinoma pT3N0. Sigmoid colectomy 05/2023.")["colectomy"] == "treatment"
    assert _surgeries("NSCLC (adenocarcinoma) RUL pT2aN0. Lobectomy 2022.")["lobectomy"] == "treatment"
    assert _surgeries("Invasive ductal carcinoma L breast. Mastectomy 2021.")["mastectomy"] == "treatment"


def test_a_resection_of_another_organ_stays_a_procedure_of_the_history() -> None:
    surgeries = _surgeries("Invasive ductal carcinoma L breast. Hysterectomy 2010. Cholecystectomy 2015.")
    assert surgeries == {"hysterectomy": "procedure", "cholecystectomy": "procedure"}


def test_prior_surgery_required_is_met_by_the_resection_of_the_primary() -> None:
    criteria = parse("Prior surgery for colon cancer.")
    operated = note("Colon adenocarcinoma pT3N1M0. R hemicolectomy 03/2024. ECOG 0.")
    assert outcome(criteria, operated, "Prior surgery") is Outcome.SATISFIED
    same_in_batch(criteria, [operated, note("Colon adenocarcinoma pT3N1M0. Hysterectomy 2010. ECOG 0.")])


def _primary(text: str) -> str | None:
    return next((f.code for f in note(text).facts if f.kind == "primary_cancer"), None)


def test_scc_of_an_organ_is_that_organs_squamous_cell_carcinoma() -> None:
    assert _primary("58 y/o F, persistent SCC of the cervix, FIGO IIB 2023.") == "CESC"
    assert _primary("66 y/o M, SCC lung, stage IV.") == "LUSC"
    assert _primary("SCC of the anal canal, T2N0, chemoRT 2024.") == "ANSC"
    assert _primary("SCC of unknown primary, cervical nodes.") is None
    recurrent = {
        f.code
        for f in note("Recurrent SCC of the cervix, lung mets 2024.").facts
        if f.kind == "disease_status"
    }
    assert "recurrent" in recurrent


def test_not_amenable_to_curative_treatment_with_a_therapy_is_no_ban_on_having_had_it() -> None:
    criteria = parse(
        "Recurrent squamous cell carcinoma of the cervix that is not amenable to curative treatment with "
        "surgery and/or radiation therapy."
    )
    treated = note("Recurrent SCC of the cervix: cisplatin chemoRT 2022. Recurrence 2023: lung mets.")
    assert outcome(criteria, treated, "not amenable") is not Outcome.VIOLATED
    assert not [a for a in criteria[0].atoms if a.kind == "prior_therapy"]
    same_in_batch(criteria, [treated])


def test_histology_words_before_a_cancer_named_by_its_organ_are_its_histology() -> None:
    criteria = parse("Squamous cell carcinoma or adenocarcinoma of the cervix.")
    small_cell = note("49 y/o F, small cell neuroendocrine carcinoma of the cervix, FIGO IB3 2024.")
    squamous = note("49 y/o F, squamous cell carcinoma of the cervix, FIGO IB3 2024.")
    assert outcome(criteria, small_cell, "Squamous cell") is Outcome.VIOLATED
    assert outcome(criteria, squamous, "Squamous cell") is Outcome.SATISFIED
    same_in_batch(criteria, [small_cell, squamous])
