"""A heading is a heading whatever space stands before its colon: "Plan\u00a0: pembrolizumab" (a no-break space,
as French typography and many word processors write it) opened no plan, so the drug read as received. Found by
`benchmarks/audit_note_variants.py --rewrite colon` (18 of 89 dev notes read differently, 0 after). Notes
written here."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes import extract

SPACES = ["", " ", "\u00a0", "\u202f"]
NOTES = [
    "58 y/o woman, metastatic breast cancer, ER+ HER2-.\nPrevious treatment{s}: letrozole 2023-2025.\n"
    "Plan{s}: start olaparib next week.",
    "Tumour board 02/11/2026. Lung adenocarcinoma stage IV, EGFR wild type. Proposal{s}: pembrolizumab "
    "within a trial.",
    "Breast cancer pT2 N1, adjuvant anastrozole since 2024.\nPast history{s}: papillary thyroid carcinoma "
    "2015, thyroidectomy.\nECOG 0.",
]


def _key(text: str) -> list[tuple[object, ...]]:
    p = extract(text, "n", "note")
    facts = sorted((f.kind, str(f.code), str(f.value), bool(getattr(f, "negated", False))) for f in p.facts
                   if f.kind != "note")  # fmt: skip
    return [*facts, (p.primary_cancer, p.stage)]


@pytest.mark.parametrize("note", NOTES)
def test_the_space_before_a_heading_s_colon_changes_nothing(note: str) -> None:
    readings = [_key(note.format(s=s)) for s in SPACES]
    assert all(r == readings[0] for r in readings[1:])


def test_a_planned_drug_under_a_spaced_heading_is_not_received() -> None:
    p = extract(NOTES[0].format(s="\u00a0"), "n", "note")
    assert not [f for f in p.facts if f.kind == "treatment" and f.code == "olaparib"]
