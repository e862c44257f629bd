"""The trusted reading "the patient's cancer is in another organ than the trial's" (matching/vocab.py
`another_organ`) is said only where the organ is fixed, on wordings generated from OncoTree
(benchmarks/audit_cancer_organ.py): a sarcoma, a GIST, a lymphoma or a mucosal melanoma against a cancer
named by its organ alone, a melanoma of the skin against one of the uvea, a histology named with the organ
it arose in ("endometrioid carcinoma of the ovary", criteria/cancer_site.py), in English and French, in a
trial's line and in a note."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria.parser import parse_eligibility
from oncofed.criteria.vocab import find_cancer_types
from oncofed.domain import Outcome, PatientProfile
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria
from oncofed.matching.vocab import another_organ, organs_differ
from tests.verdict_cases import DAY

ORGAN = ("inclusion:cancer_organ",)


def test_organ_less_tissues_against_an_organ_named_alone_are_not_another_organ() -> None:
    # OncoTree files uterine leiomyosarcoma under the uterus, a leiomyosarcoma named alone under soft tissue
    assert not another_organ("LMS", ("UTERUS",)) and not another_organ("UTERUS", ("STS",))
    assert not another_organ("GIST", ("STOMACH",))  # a GIST of the stomach is a cancer of the stomach
    assert not another_organ("DLBCLNOS", ("STOMACH",)) and not another_organ("THYROID", ("MBN",))
    # a melanoma of the skin, of a mucosa or of the uvea: one disease under two tissues
    assert not another_organ("UM", ("MEL",)) and not another_organ("MEL", ("UM",))
    assert not another_organ("MEL", ("HEAD_NECK",))  # a mucosal melanoma of the head and neck
    # where the organ (or the disease) is fixed, the organ question still answers
    assert another_organ("LMS", ("UCEC",)) and another_organ("UCEC", ("STS",))  # a carcinoma, a sarcoma
    assert another_organ("IDC", ("NSCLC",)) and another_organ("IDC", ("DLBCLNOS",))
    assert another_organ("BRCA", ("LYMPH",)) and another_organ("AML", ("BRCA",))
    assert another_organ("UM", ("HNSC",)) and another_organ("GIST", ("BRCA",))
    assert organs_differ("LUAD", "PAAD") and not organs_differ("LUAD", "NOT_A_CODE")


@pytest.mark.parametrize(
    ("text", "organ"),
    [
        ("Histologically confirmed endometrioid carcinoma of the ovary", "OVARY"),
        ("Cohort B: endometrioid carcinoma of the fallopian tube", "OVARY"),
        ("Cohort A: leiomyosarcoma of the uterus", "UTERUS"),
        ("Histologically confirmed gastrointestinal stromal tumour of the stomach", "STOMACH"),
        ("Cohorte B : carcinome endométrioïde de l'ovaire", "OVARY"),
        ("Léiomyosarcome de l'utérus confirmé histologiquement", "UTERUS"),
    ],
)
def test_a_histology_named_with_its_organ_is_a_cancer_of_that_organ(text: str, organ: str) -> None:
    result = parse_eligibility(f"Inclusion criteria:\n- {text}")
    codes = {c for crit in result.criteria for a in crit.atoms for c in trust.organ_codes(a)}
    assert codes == {organ}, (text, codes)


def test_the_organ_named_is_kept_only_when_it_is_another_tissue() -> None:
    # the same organ, or no organ after the name: the vocabulary's code is kept
    assert [m.code for m in find_cancer_types("adenocarcinoma of the colon")] == ["COAD"]
    assert [m.code for m in find_cancer_types("endometrioid carcinoma")] == ["UEC"]
    assert [m.code for m in find_cancer_types("endometrioid carcinoma of the endometrium")] == ["UEC"]
    # "in" is not "of": a cancer seen in an organ is not a cancer of it ("breast cancer in the liver")
    assert [m.code for m in find_cancer_types("breast cancer in the liver")] == ["BRCA"]


def _patient(cancer: str) -> PatientProfile:
    return PatientProfile(id="p", centre_id="c", birth_date=date(1960, 1, 1), primary_cancer=cancer)


@pytest.mark.parametrize(
    ("line", "cancer"),
    [
        ("Histologically confirmed leiomyosarcoma of the uterus", "UTERUS"),  # a record's ULMS, stored UTERUS
        ("Histologically confirmed uterine cancer", "LMS"),  # a note's "leiomyosarcoma"
        ("Cohort B: endometrioid carcinoma of the ovary", "OVT"),
        ("Histologically confirmed melanoma", "UM"),
        ("Cohort B: uveal melanoma", "MEL"),  # the subtype question (held back), not the organ
    ],
)
def test_a_patient_of_the_trials_organ_is_not_excluded(line: str, cancer: str) -> None:
    criteria = parse_eligibility(f"Inclusion criteria:\n- {line}").criteria
    with trust.using(ORGAN):
        outcomes = evaluate_criteria(criteria, _patient(cancer), DAY)
    assert all(o.outcome is not Outcome.VIOLATED or o.held_back for o in outcomes), line


def test_the_audit_generated_from_oncotree_finds_no_wrong_line() -> None:
    """Every composed site + histology of the audit, in a criterion line, English and French."""
    from benchmarks.audit_cancer_organ import LINES_EN, LINES_FR, line_codes, organ, wordings

    wrong = []
    for klass, lang, phrase, truth in wordings():
        if not klass.startswith("composed:"):
            continue
        pattern = (LINES_FR if lang == "fr" else LINES_EN)[0]
        text = pattern.format(x=phrase, X=phrase[:1].upper() + phrase[1:])
        codes = line_codes(text)
        if codes and another_organ(organ(truth), codes):
            wrong.append((text, codes))
    assert wrong == []


@pytest.mark.parametrize(
    "note",
    [
        "Differential diagnosis included a lymphoma; the core biopsy confirmed a pancreatic adenocarcinoma.",
        "CT: pancreatic mass, to rule out a neuroendocrine tumour. Biopsy: pancreatic adenocarcinoma.",
        "The differential was a gastric cancer, but histology showed pancreatic ductal adenocarcinoma.",
    ],
)
def test_a_differential_diagnosis_is_not_the_patients_cancer(note: str) -> None:
    """notes_scopes.yaml `differential`: a cancer named as a hypothesis is no diagnosis (it would put the
    patient's cancer in another organ than the one the biopsy found)."""
    from oncofed.ingest.patients.notes.french import extract

    assert extract(note, "n", "s").primary_cancer == "PAAD", note


@pytest.mark.parametrize(
    "line",
    [
        "Cohorts: non-small cell lung cancer, breast cancer or carcinoma of the vulva",
        "Expansion cohorts: colorectal cancer, gastric cancer, vulvar carcinoma",
        "Cohortes : cancer du sein, cancer colorectal ou tumeur neuroendocrine de l'intestin grêle",
    ],
)
def test_a_line_naming_a_cancer_the_vocabulary_did_not_read_asks_no_organ_question(line: str) -> None:
    """A basket whose cancers are not all read: a patient's cancer in another organ than those read may be
    one of the others (criteria/cancer_site.py `unread_cancer`): held back, never excluded on its organ."""
    criteria = parse_eligibility(f"Inclusion criteria:\n- {line}").criteria
    atoms = [a for c in criteria for a in c.atoms if a.kind == "cancer_type"]
    assert atoms and all(trust.organ_codes(a) == () for a in atoms), line
    with trust.using(ORGAN):
        outcomes = evaluate_criteria(criteria, _patient("PANET"), DAY)
    assert all(o.outcome is not Outcome.VIOLATED or o.held_back for o in outcomes), line


def test_a_fully_read_basket_still_asks_the_organ_question() -> None:
    line = "Cohorts: non-small cell lung cancer, breast cancer or colorectal cancer; archival tumour tissue"
    criteria = parse_eligibility(f"Inclusion criteria:\n- {line}").criteria
    with trust.using(ORGAN):
        outcomes = evaluate_criteria(criteria, _patient("PANET"), DAY)
    assert any(o.outcome is Outcome.VIOLATED and not o.held_back for o in outcomes)


@pytest.mark.parametrize(
    "note",
    [
        "History of breast cancer treated in 2005. She now presents with a pancreatic adenocarcinoma.",
        "H/o melanoma excised in 2012. Now: pancreatic ductal adenocarcinoma, liver metastases.",
        "Antécédent de cancer du sein en 2005. Diagnostic actuel : adénocarcinome du pancréas.",
    ],
)
def test_a_past_cancer_of_its_own_sentence_is_not_the_diagnosis(note: str) -> None:
    """notes/facts.py `_first_cancer`: "history of X" names a past cancer; the later one is the diagnosis."""
    from oncofed.ingest.patients.notes.french import extract

    assert extract(note, "n", "s").primary_cancer == "PAAD", note
