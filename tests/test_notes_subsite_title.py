"""What a note says, read as classes (verdicts31): a cancer named by its histology and the part of the organ it
sits in ("... of the left lower lobe"), the organ's cancer read at the histology's own level ("small cell carcinoma
of the lung" is SCLC), and the sex and age a courtesy title before the patient's name gives ("Mrs ...", "M.
Édouard ..."). Wordings written here; each test fails on the reader before this change."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Outcome
from oncofed.ingest.patients.notes import extract
from oncofed.matching import trust
from oncofed.matching.assess import assess_trial

DAY = date(2026, 12, 1)


def _primary(text: str) -> str | None:
    return next((f.code for f in extract(text, "n", "note").facts if f.kind == "primary_cancer"), None)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Histology: squamous cell carcinoma of the left lower lobe, PD-L1 TPS 30%.", "LUSC"),
        ("Dx large-cell neuroendocrine carcinoma in the right upper lobe (EBUS 03/2026), stage IV.", "LUNG"),
        ("Adenocarcinoma of the middle lobe diagnosed on CT-guided biopsy in 2025; EGFR wild type.", "LUAD"),
        (
            "Small-cell carcinoma of the lingula, extensive stage, after 4 cycles of carboplatin-etoposide.",
            "SCLC",
        ),
        ("Biopsy: small cell carcinoma of the lung; brain MRI clear.", "SCLC"),
        ("Known adenocarcinoma of the gastro-oesophageal junction (Siewert II), HER2 negative.", "GEJ"),
        ("Adenocarcinoma arising in the oesophagogastric junction, cT3 N1.", "GEJ"),
        ("Poorly differentiated adenocarcinoma of the gastric antrum, peritoneal nodules.", "STAD"),
        ("Adenocarcinoma of the pancreatic head, Whipple 2024, relapse in the liver.", "PAAD"),
        ("Carcinoma of the upper outer quadrant of the left breast, ER 90%.", "BRCA"),
        ("Adenocarcinoma of the caecum, pT3 N1, adjuvant FOLFOX.", "COAD"),
    ],
)
def test_cancer_named_by_histology_and_organ_part(text: str, code: str) -> None:
    assert _primary(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "Breast cancer 2019, now metastatic carcinoma in the lung on CT.",  # a metastasis's place
        "Metastatic colon carcinoma in the lung, on FOLFIRI.",
    ],
)
def test_a_metastasis_place_is_not_the_primary(text: str) -> None:
    assert _primary(text) not in {"LUNG", "LUAD", "LUSC", "SCLC"}


def _sex_age(text: str) -> tuple[str | None, float | None]:
    p = extract(text, "n", "note")
    return p.sex, p.age_years


@pytest.mark.parametrize(
    ("text", "sex", "age"),
    [
        ("Referral, 14/11/2026. 1. Patient: Mrs Ingrid Hoffmann, 57, ex-smoker.", "FEMALE", 57),
        ("Upper GI MDT - Mr Édouard Villeneuve, 61 (born 1965). Adenocarcinoma of the rectum.", "MALE", 61),
        ("Thoracic tumour board. Patient: Mr Karim Benali, 66 years. Stage IVA.", "MALE", 66),
        ("Ms. O'Neill (72) is seen today after her second line.", "FEMALE", 72),
        ("Courrier : M. Jean-Luc Petit, 72 ans, adénocarcinome du poumon.", "MALE", 72),
        ("Chère consœur, je vous adresse Mme Élise Durand, 49 ans, pour l'essai.", "FEMALE", 49),
    ],
)
def test_courtesy_title_gives_sex_and_age(text: str, sex: str, age: int) -> None:
    assert _sex_age(text) == (sex, age)


@pytest.mark.parametrize(
    "text",
    [
        "Seen with her husband Mr Paul Durand today. Lung adenocarcinoma.",  # a relative's title
        "MS diagnosed 2010; relapse of a lung adenocarcinoma.",  # a disease, no title
    ],
)
def test_a_relative_title_or_an_abbreviation_gives_no_male_sex(text: str) -> None:
    assert _sex_age(text)[0] != "MALE"


def test_a_man_named_by_title_is_excluded_by_a_women_only_line() -> None:
    criteria = parse_eligibility("Inclusion Criteria:\n\n- Women aged 18 years or older\n").criteria
    p = extract("Mr Henri Lambert, 64, squamous cell carcinoma of the right upper lobe.", "n", "note")
    with trust.strict():  # the reading itself is tested
        outcomes = [o.outcome for o in assess_trial(criteria, p, DAY).outcomes]
    assert Outcome.VIOLATED in outcomes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Metastatic urothelial (transitional cell) carcinoma of the bladder, cystectomy 2023.", "BLCA"),
        ("Metastatic adenocarcinoma of the left lower lobe, EGFR exon 19 deletion.", "LUAD"),
        ("Squamous cell carcinoma (keratinising) of the right upper lobe.", "LUSC"),
    ],
)
def test_an_aside_or_a_spread_before_the_histology_keeps_the_primary(text: str, code: str) -> None:
    assert _primary(text) == code


@pytest.mark.parametrize(
    "line",
    [
        "Histologically confirmed urothelial carcinoma.",
        "Metastatic or unresectable urothelial carcinoma.",
        "Patients with transitional cell carcinoma of the urothelium.",
    ],
)
def test_a_bladder_urothelial_carcinoma_is_a_urothelial_carcinoma(line: str) -> None:
    criteria = parse_eligibility(f"Inclusion Criteria:\n\n- {line}\n").criteria
    p = extract("Urothelial carcinoma of the bladder, cystectomy 2023, lung metastases.", "n", "note")
    with trust.strict():
        outcomes = [o.outcome for o in assess_trial(criteria, p, DAY).outcomes]
    assert Outcome.VIOLATED not in outcomes
