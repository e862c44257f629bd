"""The notes gold set (benchmarks/data/notes-facts-gold, 71 notes by others) scored as bench_notes
scores it: a floor on both halves, well under today's figures (docs/BENCHMARKS.md), so that a change
that breaks a class of reading fails here and not only in the benchmark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.notes_gold import KINDS, load_gold, same_lineage, score_note, summarise

from oncofed.ingest.patients.notes import extract
from tests.conftest import shared_data


@pytest.mark.shared_data
def test_gold_set_recall_precision_and_no_plan_read_as_history() -> None:
    gold = load_gold()
    texts: dict[str, dict[str, str]] = {}
    for note in gold:
        rel = note["file"]
        if rel not in texts:
            path: Path = shared_data(*rel.split("/"))
            texts[rel] = {
                json.loads(line)["_id"]: json.loads(line)["text"] for line in path.read_text().splitlines()
            }
    for half in ("A", "B"):
        notes = [n for n in gold if n["half"] == half]
        scores = []
        for n in notes:
            predicted = [
                {
                    "kind": f.kind,
                    "code": f.code,
                    "value": f.value,
                    "unit": f.unit,
                    "negated": f.negated,
                    "attributes": f.attributes,
                }
                for f in extract(texts[n["file"]][n["id"]], n["id"], "note:gold").facts
            ]
            scores.append(score_note(n, predicted, same_lineage))
        total = summarise(scores, KINDS, rounds=1)["ALL"]
        assert total["p"] >= 0.9 and total["r"] >= 0.9, (half, total)
        assert sum(s.not_history for s in scores) <= 2, half
