"""A brain metastasis whose sentence names its local treatment is treated, and treated and stable when imaging
after it is stable (verdicts42, `notes/sites.py` `brain_status`). "Craniotomy for a brain metastasis (2024)" and
"single brain met treated with SRS 06/2024, stable on MRI" gave status "any", so "untreated brain metastases" and
"active brain metastases" exclusions stayed unknown for every such patient (12 of 798 readable notes). Wordings
written here, with near-misses: a treatment planned, refused or negated, a progression after it."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes import extract
from tests.verdict_cases import read_line


def brain_status(text: str) -> str | None:
    p = extract(text, "n", "test")
    found = [f for f in p.facts if f.kind == "metastasis" and f.code == "brain" and not f.negated]
    return str(found[0].attributes.get("status")) if found else None


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Lung adenocarcinoma, stage IV. Craniotomy for a brain metastasis (2024).", "treated"),
        (
            "Breast cancer. Resection of a cerebellar metastasis 03/2025, then adjuvant SRS to the cavity.",
            "treated",
        ),
        ("NSCLC. Surgical resection of a solitary brain metastasis in 2024.", "treated"),
        ("Melanoma. Gamma knife for 3 brain mets 05/2025.", "treated"),
        (
            "Melanoma. Stereotactic radiosurgery to two brain metastases in 2024; MRI 10/2026 stable.",
            "treated_stable",
        ),
        ("NSCLC. Brain: left occipital met resected + SRS 02/2025, MRI 09/2025 stable.", "treated_stable"),
        (
            "NSCLC. One brain metastasis (L frontal, 6 mm) treated with SRS 04/2025, stable on MRI 10/2025.",
            "treated_stable",
        ),
        (
            "Breast cancer. Brain metastases treated with WBRT in 2023, no progression since.",
            "treated_stable",
        ),
        (
            "Renal cell carcinoma. Solitary brain met 2024 treated with SRS; MRI 06/2025: no active intracranial disease.",
            "treated_stable",
        ),
    ],
)
def test_a_brain_metastasis_with_its_local_treatment_is_treated(text: str, status: str) -> None:
    assert brain_status(text) == status, text


@pytest.mark.parametrize(
    "text",
    [
        "NSCLC stage IV. Brain metastasis (8 mm), referral for radiosurgery.",
        "NSCLC stage IV. Two brain metastases, SRS planned next week.",
        "NSCLC stage IV. Brain metastasis, not resected (eloquent area).",
        "NSCLC stage IV. Brain metastases; radiotherapy to the spine in 2024.",
        "NSCLC stage IV. Brain metastasis; candidate for surgery.",
    ],
)
def test_a_brain_metastasis_whose_treatment_is_not_done_keeps_no_status(text: str) -> None:
    assert brain_status(text) == "any", text


def test_a_progression_after_the_treatment_is_not_stable() -> None:
    text = "Melanoma. Brain metastasis treated with SRS 01/2025, MRI 06/2025 progressing."
    assert brain_status(text) == "treated"


def test_the_exclusions_are_decided_by_the_treatment() -> None:
    treated = extract("NSCLC stage IV. Craniotomy for a brain metastasis (2024).", "n", "test")
    stable = extract(
        "NSCLC stage IV. Single brain met treated with SRS 06/2024, stable on MRI 01/2025.", "n", "t"
    )
    planned = extract("NSCLC stage IV. Brain metastasis, referral for radiosurgery.", "n", "test")
    for p in (treated, stable, planned):
        p.id, p.centre_id = "p", "c"
    assert read_line("Exclusion", "Untreated brain metastases", treated) == "eligible"
    assert read_line("Exclusion", "Active brain metastases", treated) == "unknown"
    assert read_line("Exclusion", "Active or untreated brain metastases", stable) == "eligible"
    assert read_line("Exclusion", "Untreated brain metastases", planned) == "unknown"
