"""Clinical notes -> facts with spans, negation-aware; scored against a hand-checked gold file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from oncofed.criteria import vocab
from oncofed.ingest.patients.common import oncotree_lookup
from oncofed.ingest.patients.notes import extract, parse_file
from tests.conftest import shared_data

GOLD = Path(__file__).parent / "gold" / "notes_gold.yaml"


def kinds(text: str) -> list[tuple[str, str | None, object, bool]]:
    return [
        (f.kind, f.code, f.value, f.negated)
        for f in extract(text, "n1", "note:t").facts
        if f.kind not in ("note", "note_mention", "note_unread")
    ]


def test_negation_and_spans() -> None:
    text = "A 63-year-old woman with metastatic breast cancer. No evidence of brain metastases. She denies smoking. Mother had ovarian cancer."
    p = extract(text, "n1", "note:t")
    got = kinds(text)
    assert ("metastasis", "brain", None, True) in got
    assert ("smoking", "tobacco", None, True) in got
    assert p.primary_cancer == "BRCA" and p.age_years == 63 and p.sex == "FEMALE"
    assert not any(c == "OVT" for _, c, _, _ in got)  # family history is not the patient's
    for f in p.facts:
        if f.kind != "note":
            start, end = f.provenance.span
            assert 0 <= start < end <= len(text) and f.provenance.note_id == "n1"
    brain = p.first("metastasis", "brain")
    assert text[brain.provenance.span[0] : brain.provenance.span[1]] == "brain metastases"


def test_biomarkers_treatments_and_scores() -> None:
    got = kinds(
        "58 yo F with stage IV lung adenocarcinoma, EGFR exon 19 deletion, PD-L1 TPS 60%, HER2-negative, "
        "KRAS wild-type. ECOG 1. Treated with carboplatin and pembrolizumab."
    )
    assert ("stage", "IV", "IV", False) in got and ("primary_cancer", "LUAD", None, False) in got
    assert ("biomarker", "EGFR", "exon 19 deletion", False) in got
    assert ("biomarker", "PD-L1", 60, False) in got and ("biomarker", "HER2", "negative", False) in got
    assert ("biomarker", "KRAS", "mutation", True) in got  # wild type = no mutation
    assert ("ecog", None, 1, False) in got and ("karnofsky", None, 80, False) in got
    assert {c for k, c, _, n in got if k == "treatment"} == {"carboplatin", "pembrolizumab"}


def test_bad_note_lines_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "n.jsonl"
    path.write_text('{"_id": "a", "text": "45 M with melanoma"}\nnot json\n[1]\n{"_id": "e", "text": ""}\n')
    records = list(parse_file(path))
    assert [r.rejected for r in records] == [False, True, True, True]
    assert records[0].profile.primary_cancer == "MEL"


def _matches(expected: str, facts: list[tuple[str, str | None, object, bool]]) -> bool:
    negated = expected.startswith("not ")
    parts = expected.removeprefix("not ").split(" ", 2)
    kind, code = parts[0], parts[1]
    value = parts[2] if len(parts) > 2 else None
    for k, c, v, n in facts:
        if k != kind or n != negated or (value is not None and str(v) != value):
            continue
        if c == code:
            return True
        if kind == "primary_cancer" and c:  # an ancestor of the expected code: right, less specific
            shared = oncotree_lookup(code)[0] or ""
            if c == shared or c in vocab.oncotree_ancestors(shared):
                return True
    return False


@pytest.mark.shared_data
def test_gold_notes() -> None:
    gold = yaml.safe_load(GOLD.read_text())["notes"]
    assert len(gold) == 50
    texts = {}
    for folder in ("trec-2021-topics", "trec-2022-topics"):
        for line in shared_data(folder, "queries.jsonl").read_text().splitlines():
            obj = json.loads(line)
            texts[obj["_id"]] = obj["text"]
    age_ok = sex_ok = sex_n = found = expected = wrong = 0
    for note in gold:
        p = extract(texts[note["id"]], note["id"], "note:gold")
        age_ok += p.age_years is not None and abs(p.age_years - float(note["age"])) < 0.05
        if note["sex"]:
            sex_n += 1
            sex_ok += p.sex == note["sex"]
        facts = [(f.kind, f.code, f.value, f.negated) for f in p.facts]
        for item in note.get("facts", []):
            expected += 1
            found += _matches(item, facts)
        for kind in note.get("absent", []):
            wrong += any(k == kind and not n for k, _, _, n in facts)
    assert age_ok / len(gold) >= 0.98
    assert sex_ok / sex_n >= 0.98
    assert found / expected >= 0.85, f"{found}/{expected}"
    assert wrong <= 1
