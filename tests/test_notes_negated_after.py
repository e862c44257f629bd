"""A finding denied AFTER it is named ("brain metastases ruled out", "arrhythmia hx: none"), a finding denied by a
result's own preposition ("CT negative for metastatic disease") and a list sharing the cue: denied, not present
(verdicts35, found by `benchmarks.audit_note_variants2`). Every wording here was written for this test; the
near-misses keep the finding (another head noun, an uncertainty, a cue of another clause)."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes import extract

HEAD = "Oncology clinic 02/11/2026. 63 y/o M, lung adenocarcinoma.\n"


def _facts(line: str) -> dict[tuple[str, str], bool]:
    """(kind, code) -> negated, for the facts of the line after the header."""
    start = len(HEAD)
    out: dict[tuple[str, str], bool] = {}
    for f in extract(HEAD + line, "n", "note").facts:
        span = f.provenance.span
        if f.kind in ("note", "age", "sex", "primary_cancer", "karnofsky") or (span and span[0] < start):
            continue
        out[(f.kind, f.code or "")] = bool(f.negated) or out.get((f.kind, f.code or ""), False)
    return out


def _stage_iv(line: str) -> bool:
    return extract(HEAD + line, "n", "note").stage == "IV"


@pytest.mark.parametrize(
    ("line", "kind", "code"),
    [
        ("Brain metastases ruled out on the MRI of 20/10/2026.", "metastasis", "brain"),
        ("MRI 10/2026: brain mets were excluded.", "metastasis", "brain"),
        ("Pleural effusion absent on the last CT.", "comorbidity", "pleural_effusion"),
        ("Liver mets and bone mets not seen (PET 09/2026).", "metastasis", "liver"),
        ("Liver mets and bone mets not seen (PET 09/2026).", "metastasis", "bone"),
        ("Interstitial lung disease has been ruled out by HRCT.", "comorbidity", "interstitial_lung_disease"),
        ("Arrhythmia hx: none.", "comorbidity", "arrhythmia"),
        ("Autoimmune dz ruled out (ANA negative).", "comorbidity", "autoimmune_disease"),
        ("Staging CT CAP: metastatic disease: none", "disease_status", "metastatic"),
        ("HTN and diabetes: none.", "comorbidity", "hypertension"),
        ("Leptomeningeal disease - absent.", "metastasis", "leptomeninges"),
    ],
)
def test_a_negation_after_the_finding_denies_it(line: str, kind: str, code: str) -> None:
    assert _facts(line).get((kind, code)) is True, _facts(line)


@pytest.mark.parametrize(
    "line",
    [
        "CT CAP 10/2026 negative for metastatic disease.",
        "Bone scan was negative for metastases.",
        "PET-CT: negative for any metastatic spread.",
        "Brain metastases ruled out.",
        "Staging: metastatic disease excluded (CT + bone scan).",
    ],
)
def test_a_denied_metastatic_disease_gives_no_stage_iv(line: str) -> None:
    assert not _stage_iv(line)
    assert _facts(line).get(("disease_status", "metastatic")) in (True, None)


@pytest.mark.parametrize(
    ("line", "kind", "code"),
    [
        # uncertainty is no denial
        ("Brain metastases could not be ruled out.", "metastasis", "brain"),
        ("Brain metastases not excluded on this CT.", "metastasis", "brain"),
        # another head noun carries the "none": the finding stays
        ("Diabetes meds: none (diet only).", "comorbidity", "diabetes"),
        # a cue of another clause or the next item after a comma
        ("Brain metastases treated with SRS; leptomeningeal disease ruled out.", "metastasis", "brain"),
        ("HTN, diabetes: none.", "comorbidity", "hypertension"),
        # "excluded from" something: no denial
        ("Brain metastases excluded from the radiotherapy field.", "metastasis", "brain"),
        # the status after a therapy's "for": presupposed
        ("No chemotherapy for her metastatic disease so far.", "disease_status", "metastatic"),
    ],
)
def test_near_misses_keep_the_finding(line: str, kind: str, code: str) -> None:
    assert _facts(line).get((kind, code)) is False, _facts(line)


def test_a_drug_toxicity_none_keeps_the_drug() -> None:
    # "toxicity" is the head: the chemotherapy was given
    assert (
        _facts("Chemo toxicity: none; oxaliplatin neuropathy: none.").get(("treatment", "chemotherapy"))
        is False
    )
