"""The cancer itself, read right on trials that take several cancers (session 16, branch verdicts41).

Classes counted on the whole trial corpus (`benchmarks.audit_cancer_lines`), each tested on wordings
written for the class (not copied from any verdict set), failing on the engine before the change:
a patient whose cancer is named by its organ alone in a trial listing several cancers by subtype; organs
listed bare beside named cancers ("advanced breast, gastric, head and neck, liver and non-small cell lung
cancer", "solid tumour types: endometrial, cervical, ovarian, TNBC"); "malignant tumours of the breast,
ovary, uterine or sarcoma"."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from oncofed.domain import Atom, Criterion, Fact, Outcome, PatientProfile, Section, TrialVerdict
from oncofed.matching.assess import assess_trial
from tests.verdict_cases import (
    DAY,
    SRC,
    read_line,
    same_everywhere,
    strict_reading,  # noqa: F401  (fixture: the reading, before the decision policy)
)

pytestmark = pytest.mark.usefixtures("strict_reading")


def patient(cancer: str) -> PatientProfile:
    return PatientProfile(
        id=f"p-{cancer}",
        centre_id="c",
        birth_date=date(1962, 5, 1),
        sex="FEMALE",
        primary_cancer=cancer,
        stage="IV",
        facts=[],
    )


# --- 1. a cancer named by its organ alone, in a trial listing several cancers by subtype ----------------


def types() -> list[Criterion]:
    """A list of cancers, one a line, as the structure reader leaves lines it does not recognise as cohorts
    (the first item after "of one of the following types:" is often read as a line common to all)."""
    rows = (
        ("Gastric adenocarcinoma", ["STAD"]),
        ("Papillary thyroid cancer", ["THPA"]),
        ("Small-cell lung cancer", ["SCLC"]),
        ("Non-small-cell lung cancer", ["NSCLC"]),
        ("Endometrial cancer", ["UCEC"]),
    )
    out = [
        Criterion(Section.INCLUSION, k, t, atoms=(Atom("cancer_type", "in", c),))
        for k, (t, c) in enumerate(rows)
    ]
    return [*out, Criterion(Section.INCLUSION, len(out), "ECOG 0-1", atoms=(Atom("ecog", "<=", 1),))]


@pytest.mark.parametrize("organ", ["THYROID", "LUNG"])
def test_an_organ_named_alone_is_not_excluded_by_the_lines_of_the_other_organs(organ: str) -> None:
    """A "thyroid carcinoma" or "lung cancer" patient may have the papillary / small-cell cancer another line
    names: the gastric and endometrial lines are the other cancers' lines, not a requirement for them."""
    criteria = types()
    a = assess_trial(criteria, patient(organ), DAY)
    assert a.verdict is not TrialVerdict.EXCLUDED, [(o.criterion.text, o.outcome) for o in a.outcomes]
    gastric = next(o for o in a.outcomes if o.criterion.text.startswith("Gastric"))
    assert gastric.outcome is Outcome.NOT_APPLICABLE
    same_everywhere(criteria, [patient(organ), patient("STAD"), patient("PRAD"), patient("THPA")])


def test_a_cancer_the_list_names_nowhere_is_still_excluded_by_it() -> None:
    criteria = types()
    for code in ("PRAD", "BRCA", "MEL"):
        assert assess_trial(criteria, patient(code), DAY).verdict is TrialVerdict.EXCLUDED, code


# --- 2. organs listed bare beside the cancers a line names ---------------------------------------------

LISTED = [
    # (line, a patient of a listed organ, a patient of an organ the line does not list)
    ("Advanced pancreatic, gastric, head and neck or non-small cell lung cancer", "PAAD", "BRCA"),
    ("Advanced pancreatic, gastric, head and neck or non-small cell lung cancer", "STAD", "PRAD"),
    (
        "Histologically confirmed solid tumour types: cervical, ovarian, TNBC or uveal melanoma",
        "HGSOC",
        "COADREAD",
    ),
    (
        "Histologically confirmed solid tumour types: cervical, ovarian, TNBC or uveal melanoma",
        "CESC",
        "LUAD",
    ),
    ("Advanced malignant tumours of the kidney, bladder, prostate or sarcoma", "CCRCC", "BRCA"),
    ("Advanced malignant tumours of the kidney, bladder, prostate or sarcoma", "BLCA", "PAAD"),
    ("Colorectal cancer, epithelial ovarian cancer, endometrial or soft tissue sarcoma", "UCEC", "LUAD"),
    ("Gastric or gastroesophageal junction adenocarcinoma", "STAD", "BRCA"),
]


@pytest.mark.parametrize(("line", "listed", "other"), LISTED)
def test_an_organ_listed_bare_beside_named_cancers_is_one_of_the_line_s_cancers(
    line: str, listed: str, other: str
) -> None:
    assert read_line("inclusion", line, patient(listed)) == "eligible", line
    assert read_line("inclusion", line, patient(other)) == "excluded", line  # still a cancer requirement


SITES = [
    # a list of sites, not of cancers: the line's cancer alone (a lung cancer patient is not in it)
    ("Metastatic breast cancer with lung, liver or bone metastases", "LUAD"),
    ("Breast cancer; lung or liver lesions are allowed", "LUAD"),
    ("Adenocarcinoma of the stomach or oesophagus", "ESCC"),  # the oesophagus is the adenocarcinoma's site
    ("HNSCC of the oral cavity, oropharynx or larynx", "ACYC"),
]


@pytest.mark.parametrize(("line", "code"), SITES)
def test_organs_named_as_sites_are_no_cancer_of_the_line(line: str, code: str) -> None:
    assert read_line("inclusion", line, patient(code)) == "excluded", line


# --- 3. the cancers a line excepts, and a solid tumour of any organ beside the named cancers -------------


@pytest.mark.parametrize(
    ("line", "code", "reading"),
    [
        # the excepted cancers are none of the line's: a lung cancer is no "another organ" than melanoma
        (
            "A select solid tumour (except breast cancer, melanoma and sarcoma) or a lymphoma",
            "LUAD",
            "unknown",
        ),
        (
            "A select solid tumour (except breast cancer, melanoma and sarcoma) or a lymphoma",
            "MEL",
            "unknown",
        ),
        (
            "Papillary thyroid carcinoma (excludes follicular and anaplastic thyroid cancer)",
            "THAP",
            "excluded",
        ),
        (
            "Papillary thyroid carcinoma (excludes follicular and anaplastic thyroid cancer)",
            "THPA",
            "eligible",
        ),
        ("Non-small cell lung cancer other than squamous cell carcinoma", "LUAD", "eligible"),
        # an exception naming a cohort excepts no cancer: the line's cancer stays its requirement
        ("For all cohorts except Expansion Cohort 4, the metastatic disease is NSCLC", "BRCA", "excluded"),
        # a solid tumour of any organ is one of the line's cancers: another organ is no "not met"
        ("Advanced solid tumours and lymphomas refractory to standard therapy", "PAAD", "unknown"),
        ("Relapsed or refractory solid tumour malignancies or lymphoma", "BRCA", "unknown"),
        ("Advanced solid cancer, whatever the primary site, or non-Hodgkin lymphoma", "COADREAD", "unknown"),
        (
            "Phase I: any solid tumour with a p53 mutation; phase II: triple negative breast cancer",
            "PRAD",
            "unknown",
        ),
        # ... but not a blood cancer
        ("Advanced solid tumours and lymphomas refractory to standard therapy", "AML", "excluded"),
    ],
)
def test_the_scope_of_a_line_s_cancers(line: str, code: str, reading: str) -> None:
    assert read_line("inclusion", line, patient(code)) == reading, line


# --- 4. receptor statuses listed as alternatives --------------------------------------------------------


def breast(er: str, pr: str, her2: str) -> PatientProfile:
    facts = [Fact("biomarker", m, v, provenance=SRC) for m, v in (("ER", er), ("PR", pr), ("HER2", her2))]
    return replace(patient("IDC"), id=f"p-{er}{pr}{her2}", facts=facts)


@pytest.mark.parametrize(
    ("line", "statuses", "reading"),
    [
        # the expansion of "triple-negative" / "hormone receptor negative" is one alternative, not a requirement
        ("Oestrogen receptor-positive or triple-negative breast cancer", ("positive", "positive", "negative"), "eligible"),
        ("Oestrogen receptor-positive or triple-negative breast cancer", ("negative", "negative", "negative"), "eligible"),
        ("Hormone receptor positive or hormone receptor negative, HER2-negative disease", ("positive", "positive", "negative"), "eligible"),
        # HER2-negative outside the alternatives stays a requirement
        ("Hormone receptor positive or hormone receptor negative, HER2-negative disease", ("positive", "positive", "positive"), "excluded"),
        # a triple-negative line alone is unchanged
        ("Triple-negative breast cancer", ("positive", "negative", "negative"), "excluded"),
    ],
)  # fmt: skip
def test_receptor_statuses_listed_as_alternatives(
    line: str, statuses: tuple[str, str, str], reading: str
) -> None:
    assert read_line("inclusion", line, breast(*statuses)) == reading, line


# --- 5. a line for one part of the trial, said in an aside ----------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Metastatic HER2-negative breast cancer (Part 2 only)",
        "HER2-negative disease (cohorts B and C only)",
        "For Cohort 3 only: HER2-negative breast cancer",
        "HER2-negative breast cancer (for patients in arm A only)",
    ],
)
def test_a_line_for_one_part_never_excludes_a_patient_of_another(line: str) -> None:
    her2 = replace(breast("positive", "negative", "positive"), id="p-her2")
    assert read_line("inclusion", line, her2) == "unknown", line


def test_a_line_without_only_still_applies_to_every_patient() -> None:
    her2 = replace(breast("positive", "negative", "positive"), id="p-her2")
    assert read_line("inclusion", "HER2-negative breast cancer (part 2 of the protocol)", her2) == "excluded"
