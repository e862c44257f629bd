"""benchmarks/reading_diff.py: a criterion's reading per commit, compared line by line (session 14)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.reading_diff import readings
from benchmarks.report import ROOT


def test_readings_lists_each_criterion_with_the_kinds_asked(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    trials = [
        {"_id": "T1", "text": "Inclusion Criteria:\n- Platelets >= 100,000/mm3\n- Age >= 18 years"},
        {"_id": "T2", "text": "Exclusion Criteria:\n- Platelets > or = 80,000 x 10^9/L"},
    ]
    corpus.write_text("\n".join(json.dumps(t) for t in trials), encoding="utf-8")
    got = readings(ROOT / "src", corpus, "lab")
    assert set(got) == {("T1", 0), ("T1", 1), ("T2", 0)}
    text, reading = got[("T1", 0)]
    assert text == "Platelets >= 100,000/mm3" and '"platelets"' in reading
    assert got[("T1", 1)][1] == "[[], []]"  # the age is not among the kinds asked
    assert '"platelets"' not in got[("T2", 0)][1]  # a unit slip: unread (extract.plausible_threshold)
