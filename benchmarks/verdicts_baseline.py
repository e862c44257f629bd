"""Adapter: the verdicts of an OLDER oncofed (the session-start commit bef02d6) in the output layout of
`oncofed eval verdicts`, so that `benchmarks/bench_verdicts.py` scores both engines side by side.

Run with the old tree first on the path (bench_verdicts does it, in a `git worktree`):

    PYTHONPATH=/tmp/oncofed-base/src python benchmarks/verdicts_baseline.py Q.jsonl C.jsonl PAIRS.tsv OUT.jsonl

Only APIs that existed then are used: the notes extractor `ingest.patients.notes.extract`, the corpus
reader `ingest.trials.beir.corpus_record_to_trial`, `criteria.parse_eligibility`,
`matching.evaluate.evaluate_criteria`. Mapping to the new outcome model: old `met` = satisfied,
`not_met` = violated, `unknown` = unknown; the old trial label `not_eligible` (any criterion not met)
= excluded, `eligible` (all met) = eligible, `possible` = unknown; a trial without parsed criteria was
evaluated as the old engine did (no criteria: "eligible").
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path


def main(queries: str, corpus: str, pairs: str, out: str, day: str) -> int:
    from oncofed.criteria import parse_eligibility
    from oncofed.ingest.patients.notes import extract
    from oncofed.ingest.trials.beir import corpus_record_to_trial
    from oncofed.matching.evaluate import evaluate_criteria

    on = date.fromisoformat(day)
    wanted: dict[str, list[str]] = {}
    for n, line in enumerate(Path(pairs).read_text(encoding="utf-8").splitlines()):
        parts = line.split()
        if n == 0 and parts and parts[0] == "query-id":
            continue
        if len(parts) >= 2:
            wanted.setdefault(parts[0], []).append(parts[1])
    trial_ids = {t for ts in wanted.values() for t in ts}
    texts = {}
    for line in Path(corpus).read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if doc["_id"] in trial_ids:
            texts[doc["_id"]] = corpus_record_to_trial(doc).eligibility_text
    notes = {}
    for line in Path(queries).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        notes[q["_id"]] = q.get("text") or ""
    parsed = {tid: parse_eligibility(text).criteria for tid, text in texts.items()}
    outcome = {"met": "satisfied", "not_met": "violated", "unknown": "unknown"}
    with Path(out).open("w", encoding="utf-8") as fh:
        for qid, tids in wanted.items():
            text = notes.get(qid)
            profile = extract(text, qid, "note") if text and text.strip() else None
            for tid in tids:
                criteria = parsed.get(tid)
                if profile is None or criteria is None:
                    line = {"query-id": qid, "corpus-id": tid, "verdict": "not_evaluated", "criteria": []}
                else:
                    verdicts = evaluate_criteria(criteria, profile, on)
                    codes = [v.verdict.value for v in verdicts]
                    verdict = (
                        "excluded"
                        if "not_met" in codes
                        else ("unknown" if "unknown" in codes else "eligible")
                    )
                    line = {
                        "query-id": qid,
                        "corpus-id": tid,
                        "verdict": verdict,
                        "criteria": [
                            {
                                "section": v.criterion.section.value,
                                "text": v.criterion.text,
                                "outcome": outcome[v.verdict.value],
                                "evidence": "; ".join(e.explanation for e in v.evidence),
                            }
                            for v in verdicts
                        ],
                    }
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 6:
        print("usage: verdicts_baseline.py QUERIES CORPUS PAIRS OUT DAY", file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(main(*sys.argv[1:]))
