"""Fourteenth pass of verdict classes (session 10): cancer wordings read as nothing or wrong, each class on
wordings written for it (not copied from any verdict set), also run through the vectorised evaluator and
the fast ranking path (the receptor wordings are in tests/test_criteria_receptor_wordings.py):

1. a histology the vocabulary does not name, composed with its organ: "carcinosarcoma of the uterus",
   "uterine carcinosarcoma", "ovarian clear cell carcinoma", "carcinome indifférencié du nasopharynx",
   "carcinosarcome utérin" (read as nothing before: no cancer, no organ question);
2. an inclusion permission naming a cancer ("Patients with clear cell carcinoma of the ovary are also
   eligible", French "sont également éligibles") widens the cancer the trial's other inclusion lines
   require (the patient it admits was excluded by them); a permission about a past cancer does not.
"""

from __future__ import annotations

import pytest

from oncofed.criteria import oncotree, parse_eligibility
from oncofed.domain import Criterion, Outcome, PatientProfile
from oncofed.matching.evaluate import evaluate_criteria
from tests.verdict_cases import (
    DAY,
    parse,
    profile,
    same_everywhere,
    strict_reading,  # noqa: F401  (fixture: the reading, before the decision policy)
)

pytestmark = pytest.mark.usefixtures("strict_reading")


def cancers(criteria: list[Criterion]) -> set[str]:
    return {
        str(code)
        for c in criteria
        for a in c.atoms
        if a.kind == "cancer_type" and not a.negated
        for code in (a.value if isinstance(a.value, list) else [a.code])
    }


def organs(criteria: list[Criterion]) -> set[str]:
    """The OncoTree codes read and their ancestors (the organ's tissue among them)."""
    return {x for code in cancers(criteria) for x in oncotree.lineage(code)}


def french(*lines: str) -> list[Criterion]:
    return parse_eligibility(
        "Critères d'inclusion :\n\n" + "\n".join(f"- {x}" for x in lines) + "\n"
    ).criteria


# 1. a histology composed with its organ -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "organ"),
    [
        ("Carcinosarcoma of the uterus", "UTERUS"),
        ("Recurrent uterine carcinosarcoma", "UTERUS"),
        ("Ovarian clear cell carcinoma, platinum resistant", "OVARY"),
        ("Clear cell carcinoma of the ovary or fallopian tube", "OVARY"),
        ("Undifferentiated carcinoma of the nasopharynx", "HEAD_NECK"),
        ("Nasopharyngeal undifferentiated carcinoma, EBV positive", "HEAD_NECK"),
        ("Mucinous carcinoma of the ovary", "OVARY"),
        ("Adenocarcinoma of the small bowel", "BOWEL"),
    ],
)
def test_an_english_histology_with_its_organ(line: str, organ: str) -> None:
    assert organ in organs(parse(line))


@pytest.mark.parametrize(
    ("line", "organ"),
    [
        ("Carcinosarcome utérin en rechute", "UTERUS"),
        ("Carcinome indifférencié du nasopharynx", "HEAD_NECK"),
        ("Carcinome à cellules claires de l'ovaire", "OVARY"),
        ("Carcinome peu différencié de l'endomètre", "UTERUS"),
        ("Carcinome ovarien à cellules claires", "OVARY"),
        ("Adénocarcinome de l'intestin grêle", "BOWEL"),
    ],
)
def test_a_french_histology_with_its_organ(line: str, organ: str) -> None:
    assert organ in organs(french(line))


@pytest.mark.parametrize(
    "line",
    [
        "Patients with carcinoma treated with surgery of the breast",  # "of the breast" is the surgery's
        "Lung or breast carcinoma",  # the vocabulary's own reading: LUNG and BRCA, no composed one
        "Benign tumour of the ovary",  # a tumour is not a cancer
    ],
)
def test_no_organ_composed_across_other_words(line: str) -> None:
    assert not cancers(parse(line)) & {"BREAST", "OVARY"}


UTERINE = profile(name="uterine", cancer="UCEC")
OVARIAN = profile(name="ovarian", cancer="HGSOC")
BREAST = profile(name="breast", cancer="BRCA")


def test_a_composed_cancer_decides_the_organ_question() -> None:
    (c,) = parse("Histologically confirmed carcinosarcoma of the uterus")
    assert evaluate_criteria([c], UTERINE, DAY)[0].outcome is Outcome.SATISFIED
    assert evaluate_criteria([c], BREAST, DAY)[0].outcome is Outcome.VIOLATED
    same_everywhere([c], [UTERINE, BREAST])


# 2. a permission naming a cancer -----------------------------------------------------------------------------


def _outcomes(criteria: list[Criterion], p: PatientProfile) -> set[Outcome]:
    return {o.outcome for o in evaluate_criteria(criteria, p, DAY)}


@pytest.mark.parametrize(
    "trial",
    [
        ("Histologically confirmed high-grade serous ovarian cancer",
         "Patients with carcinosarcoma of the uterus are also eligible"),
        ("Histologically confirmed ovarian cancer", "Patients with uterine carcinosarcoma may also be enrolled"),
        ("Advanced high-grade serous ovarian carcinoma",
         "Subjects with endometrial cancer of serous histology can also be considered eligible"),
    ],
)  # fmt: skip
def test_an_english_permission_widens_the_trial_s_cancer(trial: tuple[str, str]) -> None:
    criteria = parse("\n".join(f"- {x}" for x in trial))
    assert Outcome.VIOLATED not in _outcomes(criteria, UTERINE)
    assert Outcome.VIOLATED not in _outcomes(criteria, OVARIAN)
    assert Outcome.VIOLATED in _outcomes(criteria, BREAST)
    same_everywhere(criteria, [UTERINE, OVARIAN, BREAST])


@pytest.mark.parametrize(
    "trial",
    [
        ("Cancer de l'ovaire séreux de haut grade confirmé histologiquement",
         "Les patientes atteintes d'un carcinosarcome utérin sont également éligibles"),
        ("Cancer de l'ovaire avancé", "Les patientes porteuses d'un cancer de l'endomètre peuvent être incluses"),
    ],
)  # fmt: skip
def test_a_french_permission_widens_the_trial_s_cancer(trial: tuple[str, str]) -> None:
    criteria = french(*trial)
    assert Outcome.VIOLATED not in _outcomes(criteria, UTERINE)
    assert Outcome.VIOLATED in _outcomes(criteria, BREAST)
    same_everywhere(criteria, [UTERINE, BREAST])


@pytest.mark.parametrize(
    "permission",
    [
        "Patients with a history of endometrial cancer treated more than 5 years ago are eligible",
        "Patients with prior endometrial cancer in complete remission are allowed",
        "Patients with brain metastases from their ovarian cancer are eligible if treated and stable",
    ],
)
def test_a_permission_about_another_matter_widens_nothing(permission: str) -> None:
    criteria = parse(f"- Histologically confirmed ovarian cancer\n- {permission}")
    assert Outcome.VIOLATED in _outcomes(criteria, UTERINE)
