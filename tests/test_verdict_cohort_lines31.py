"""The cohort a patient is assessed in (verdicts31): a line that opens by naming where it applies ("In Part 1,
...", "In Part 2 and Phase 2, ...", "In cohort B, ...") belongs to that cohort under the heading in force, whose
other lines stay that heading's; and brain metastases whose clause gives symptoms or steroids for them are
symptomatic. Wordings written here; each test fails on the engine before this change."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Outcome, TrialVerdict
from oncofed.ingest.patients.notes import extract
from oncofed.matching import trust
from oncofed.matching.assess import assess_trial

DAY = date(2026, 12, 1)

TRIAL = """Inclusion Criteria:

Phase 1

In {a}, advanced solid tumour of any type refractory to standard therapy.

In {b}, postmenopausal women with ER-positive, HER2-negative breast cancer.

ECOG performance status of 0 or 1.

Phase 2

Women with metastatic breast cancer.

ECOG performance status 0 to 2.

Exclusion Criteria:

Phase 1

Symptomatic CNS metastases.

Phase 2

HER2-positive tumour.
"""

LABELS = [
    ("Part 1", "Part 2 and Phase 2"),
    ("Part A", "Part B"),
    ("cohort 1", "cohort 2"),
    ("Arm 1", "Arms 2 and 3"),
    ("the escalation cohort 1", "the expansion cohort 2"),
]


def _criteria(a: str, b: str):  # type: ignore[no-untyped-def]
    return parse_eligibility(TRIAL.format(a=a, b=b)).criteria


@pytest.mark.parametrize(("a", "b"), LABELS)
def test_a_line_naming_its_place_is_a_cohort_under_its_heading(a: str, b: str) -> None:
    criteria = _criteria(a, b)
    first = next(c.cohort for c in criteria if c.text.startswith(f"In {a},"))
    assert first is not None and first.startswith("Phase 1 — ")
    ecog = next(c.cohort for c in criteria if c.text.startswith("ECOG"))
    assert ecog == "Phase 1"  # the heading's own line stays the heading's


NOTE = (
    "Referral to the phase 1 unit. Mr Paul Girard, 63. Squamous cell carcinoma of the left lower lobe, stage IV "
    "(bone, adrenal), progression after carboplatin-paclitaxel-pembrolizumab and docetaxel. ECOG 1. "
    "Brain MRI 10/11/2026: three brain metastases with headaches, dexamethasone started."
)


@pytest.mark.parametrize(("a", "b"), LABELS)
def test_a_lung_cancer_is_assessed_in_the_any_tumour_part(a: str, b: str) -> None:
    p = extract(NOTE, "n", "note")
    with trust.strict():  # the reading itself is tested
        out = assess_trial(_criteria(a, b), p, DAY)
    assert out.verdict is TrialVerdict.EXCLUDED
    cns = next(o for o in out.outcomes if o.criterion.text.startswith("Symptomatic CNS"))
    assert cns.outcome is Outcome.VIOLATED


@pytest.mark.parametrize(
    "text",
    [
        "Lung adenocarcinoma. Brain MRI: two new brain metastases with headaches, dexamethasone started.",
        "Breast cancer; brain metastases causing a left hemiparesis.",
        "NSCLC with 3 brain mets, on dexamethasone 4 mg daily.",
        "Melanoma, brain metastasis, symptomatic.",
        "Renal cell carcinoma: cerebral metastases presenting with seizures.",
        "SCLC, brain metastases requiring corticosteroids.",
    ],
)
def test_brain_metastases_with_symptoms_or_steroids_are_symptomatic(text: str) -> None:
    found = [f for f in extract(text, "n", "note").facts if f.kind == "metastasis" and f.code == "brain"]
    assert found and found[0].attributes.get("status") == "symptomatic"


@pytest.mark.parametrize(
    "text",
    [
        "Breast cancer; brain metastases with no headache, asymptomatic.",
        "Lung cancer: single brain metastasis, asymptomatic, no steroids.",
        "NSCLC; brain metastases treated with SRS in 2025, stable.",
    ],
)
def test_brain_metastases_without_symptoms_are_not_symptomatic(text: str) -> None:
    found = [f for f in extract(text, "n", "note").facts if f.kind == "metastasis" and f.code == "brain"]
    assert found and found[0].attributes.get("status") != "symptomatic"


ADDED = """Inclusion Criteria:

Histologically documented metastatic malignancy for which capecitabine is appropriate.

ECOG performance status 0 or 1.

{heading}

Incurable carcinoma of the breast with metastatic disease.

HER2 3+ by IHC or FISH amplified.
"""


@pytest.mark.parametrize(
    "heading",
    [
        "Additional Breast Cancer Patient Subset (Part 2 and Part 3) Inclusion Criteria:",
        "Additional cohort (breast cancer only):",
        "Optional sub-study in HER2-positive breast cancer:",
        "Breast cancer substudy - inclusion criteria:",
        "Additional patients (Part 2), breast cancer only:",
    ],
)
def test_a_cohort_added_to_the_main_population_does_not_exclude_the_others(heading: str) -> None:
    criteria = parse_eligibility(ADDED.format(heading=heading)).criteria
    note = "Mr Karim Benali, 61. Metastatic adenocarcinoma of the gastro-oesophageal junction, liver metastases. ECOG 1."
    with trust.strict():
        out = assess_trial(criteria, extract(note, "n", "note"), DAY)
    assert out.verdict is not TrialVerdict.EXCLUDED
    breast = next(o for o in out.outcomes if o.criterion.text.startswith("Incurable carcinoma"))
    assert breast.outcome is Outcome.NOT_APPLICABLE


def test_a_trial_of_named_cohorts_only_still_excludes_a_patient_of_none() -> None:
    text = (
        ADDED.format(heading="Cohort A (breast cancer):")
        + "\nCohort B (ovarian cancer):\n\nOvarian carcinoma.\n"
    )
    criteria = parse_eligibility(text).criteria
    note = "Mr Karim Benali, 61. Metastatic adenocarcinoma of the gastro-oesophageal junction. ECOG 1."
    with trust.strict():
        out = assess_trial(criteria, extract(note, "n", "note"), DAY)
    assert out.verdict is TrialVerdict.EXCLUDED
