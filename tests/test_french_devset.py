"""The French verdict dev set (issue 23) is built from its source and parallel to the English one."""

from __future__ import annotations

import json

from benchmarks.verdicts_dev_fr import EN, FR, PREFIX, build


def test_the_built_files_are_up_to_date_and_every_edit_applies_once() -> None:
    built = build()  # raises naming the case when an edit does not apply exactly once
    for name, text in built.items():
        assert (FR / name).read_text(encoding="utf-8") == text, (
            f"{name} is stale: python -m benchmarks.verdicts_dev_fr"
        )


def test_every_english_note_has_a_french_twin_with_the_same_pairs_and_expectations() -> None:
    english = [json.loads(x) for x in (EN / "queries.jsonl").read_text(encoding="utf-8").splitlines() if x]
    french = [json.loads(x) for x in (FR / "queries.jsonl").read_text(encoding="utf-8").splitlines() if x]
    assert [PREFIX + q["_id"] for q in english] == [q["_id"] for q in french]
    assert all(q["twin"] == q["_id"][len(PREFIX) :] for q in french)
    en_pairs = (EN / "pairs.tsv").read_text(encoding="utf-8").splitlines()[1:]
    fr_pairs = (FR / "pairs.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert [PREFIX + p for p in en_pairs] == fr_pairs
    en_expected = [
        json.loads(x) for x in (EN / "expected.jsonl").read_text(encoding="utf-8").splitlines() if x
    ]
    fr_expected = [
        json.loads(x) for x in (FR / "expected.jsonl").read_text(encoding="utf-8").splitlines() if x
    ]
    for e, f in zip(en_expected, fr_expected, strict=True):
        assert f["query-id"] == PREFIX + e["query-id"] and f["failing_criterion"] == e["failing_criterion"]


def test_french_notes_are_french_and_differ_from_their_eligible_twin_in_few_lines() -> None:
    from oncofed.criteria.language import FRENCH, detect

    french = {
        q["_id"]: q["text"]
        for q in map(json.loads, (FR / "queries.jsonl").read_text(encoding="utf-8").splitlines())
    }
    for qid, text in french.items():
        assert detect(text).language == FRENCH, qid
        if not qid.endswith("-E"):
            eligible = french[qid.rsplit("-", 1)[0] + "-E"].splitlines()
            changed = sum(a != b for a, b in zip(eligible, text.splitlines(), strict=False))
            assert 1 <= changed <= 3, qid
