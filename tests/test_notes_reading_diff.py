"""benchmarks/notes_reading_diff.py: every fact of every readable note, per commit, compared note by note."""

from __future__ import annotations

import json

from benchmarks.notes_reading_diff import HELD_OUT, compare, notes, readings
from benchmarks.report import ROOT
from benchmarks.verdicts_trust import DATA, readable


def test_readings_give_each_note_its_facts_and_record_fields() -> None:
    texts = {
        "a:1": "Mrs Claire Roux, 61, ER-positive breast cancer, ECOG 1. No brain metastases.",
        "a:2": "A 45-year-old man with stage IV NSCLC; creatinine 90 umol/L.",
    }
    got = readings(ROOT / "src", texts)
    assert set(got) == {"a:1", "a:2"}
    kinds = {f[0] for f in got["a:1"]}
    assert {"age", "sex", "ecog", "primary_cancer", "metastasis"} <= kinds
    assert ("age", "record", "age_years=61.0", "None", False, "None", "{}") in got["a:1"]
    brain = [f for f in got["a:1"] if f[0] == "metastasis" and f[1] == "brain"]
    assert brain and brain[0][4] is True  # a denial is compared as one
    span = got["a:2"][next(f for f in got["a:2"] if f[0] == "age" and f[1] != "record")]
    assert span is not None and texts["a:2"][span[0] : span[1]] == "45-year-old"


def test_compare_lists_what_moved_of_the_kinds_asked_with_its_words() -> None:
    text = "Mrs Claire Roux, 61, breast cancer, ECOG 1."
    old = {
        ("age", "None", "61", "years", False, "None", "{}"): (0, 19),
        ("ecog", "None", "1", "None", False, "None", "{}"): (36, 42),
    }
    new = {
        ("age", "None", "16", "years", False, "None", "{}"): (0, 19),
        ("ecog", "None", "1", "None", False, "None", "{}"): (36, 42),
    }
    notes_moved, facts_moved, blocks = compare({"k": text}, {"k": old}, {"k": new}, {"age"})
    assert notes_moved == {"age": 1} and facts_moved == {"age": 2}
    assert (
        "- age 61 years" in blocks[0]
        and "+ age 16 years" in blocks[0]
        and "[Mrs Claire Roux, 61]" in blocks[0]
    )
    assert compare({"k": text}, {"k": old}, {"k": new}, {"ecog"})[2] == []  # the ECOG did not move
    assert compare({"k": text}, {"k": old}, {"k": new}, {"performance"})[2] == []


def test_the_notes_are_the_readable_ones_only() -> None:
    keys = notes()
    sets = {k.split(":", 1)[0] for k in keys}
    assert (
        not sets & HELD_OUT
        and "verdicts-blind14" not in sets
        and "verdicts-blind15" not in sets
        and "verdicts-blind4" not in sets
    )
    for name in sets - {"verdicts-dev", "verdicts-dev-fr"}:
        if not name.startswith("verdicts-blind"):
            continue
        folds: dict[str, set[int]] = {}
        for line in (DATA / name / "expected.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                folds.setdefault(r["query-id"], set()).add(int(r.get("fold", 0)))
        for key in keys:
            if key.startswith(name + ":"):
                assert all(readable(name, f) for f in folds[key.split(":", 1)[1]]), key
