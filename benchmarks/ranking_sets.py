"""The judged patient-to-trial sets the ranking benchmark reads in place from ../shared/data (and the
verdict dev set of benchmarks/data): BEIR-shaped queries, corpus rows and qrels, nothing copied.

- `birco`: BIRCO clinical-trial dev split, 9 patients, each ranked within its own pool.
- `sigir`: SIGIR 2016 topics against the 101 judged trials of `trials/sigir-judged-101` (full ranking).
- `onco`: oncology-active-99: 30 synthetic patients, each written from one of the 99 trials (its own
  trial is the one relevant trial, grade 2), full ranking over the 99.
- `trec2021`, `trec2022`: TREC Clinical Trials judged pairs (2 eligible, 1 excluded, 0 not relevant)
  on trials whose text is in ../shared/data (Chia criteria files, NLI4CT trials), within each pool.
- `nearmiss`: the verdict dev set (benchmarks/data/verdicts-dev): clinician-style notes written to be
  eligible (2) or to fail one criterion (1) of a real oncology trial, plus off-topic pairs (0).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncofed.ingest import beir_trec

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DEVSET = ROOT / "benchmarks" / "data" / "verdicts-dev"


@dataclass
class RankingSet:
    name: str
    title: str
    queries: dict[str, str]
    docs: list[dict[str, Any]]
    qrels: dict[str, dict[str, int]]
    pooled: bool

    def pools(self) -> dict[str, list[str]] | None:
        return {q: list(g) for q, g in self.qrels.items()} if self.pooled else None


def _restrict(qrels: dict[str, dict[str, int]], known: set[str]) -> dict[str, dict[str, int]]:
    out = {q: {d: g for d, g in docs.items() if d in known} for q, docs in qrels.items()}
    return {q: g for q, g in out.items() if g and max(g.values()) > 0}


def _set(
    name: str, title: str, queries: Path, docs: list[dict[str, Any]], qrels: Path, pooled: bool
) -> RankingSet:
    known = {d["_id"] for d in docs}
    judged = _restrict(beir_trec.read_qrels(qrels), known)
    notes = {q["_id"]: q["text"] for q in beir_trec.read_queries(queries) if q["_id"] in judged}
    return RankingSet(name, title, notes, docs, {q: judged[q] for q in notes}, pooled)


def birco() -> RankingSet | None:
    d = DATA / "birco-clinical-trial-dev"
    if not d.is_dir():
        return None
    docs = beir_trec.read_corpus(d / "corpus.jsonl")
    return _set("birco", "BIRCO dev (9, pooled)", d / "queries.jsonl", docs, d / "qrels" / "test.tsv", True)


def sigir() -> RankingSet | None:
    corpus = DATA / "trials" / "sigir-judged-101" / "corpus.jsonl"
    if not corpus.is_file():
        return None
    t = DATA / "sigir-topics"
    return _set("sigir", "SIGIR vs 101 judged trials", t / "queries.jsonl", beir_trec.read_corpus(corpus),
                t / "qrels" / "test.tsv", False)  # fmt: skip


def onco() -> RankingSet | None:
    g = DATA / "trials" / "oncology-active-99" / "GS_data"
    if not g.is_dir():
        return None
    docs = beir_trec.read_corpus(g / "GS_100_trials" / "100_trials_corpus.jsonl")
    known = {d["_id"] for d in docs}
    queries = {
        q["_id"]: q["text"]
        for q in beir_trec.read_queries(g / "synthetic_patient_cases_random_30_modified.jsonl")
    }
    qrels = {q: {q[2:]: 2} for q in queries if q[2:] in known}  # P_<NCT>: written from trial <NCT>
    return RankingSet(
        "onco", "oncology-active-99 own trial", {q: queries[q] for q in qrels}, docs, qrels, False
    )


def _chia_doc(folder: Path, nct: str) -> dict[str, Any]:
    def read(suffix: str) -> str:
        p = folder / f"{nct}_{suffix}.txt"
        return p.read_text(encoding="utf-8") if p.is_file() else ""

    meta = {"inclusion_criteria": read("inc"), "exclusion_criteria": read("exc")}
    return {"_id": nct, "title": "", "text": "", "metadata": meta}


def trec(year: str) -> RankingSet | None:
    from benchmarks.verdicts_corpus import nli4ct_trial

    topics = DATA / f"trec-{year}-topics"
    chia_dir = DATA / "criteria" / "chia-dev"
    nli_dir = DATA / "trials" / "nli4ct-breast-cancer"
    if not topics.is_dir() or not (chia_dir.is_dir() or nli_dir.is_dir()):
        return None
    chia = (
        {f.split("_")[0] for f in os.listdir(chia_dir) if f.endswith(".txt")} if chia_dir.is_dir() else set()
    )
    nli = {f[:-5] for f in os.listdir(nli_dir) if f.endswith(".json")} if nli_dir.is_dir() else set()
    judged = _restrict(beir_trec.read_qrels(topics / "qrels" / "test.tsv"), chia | nli)
    ids = sorted({d for g in judged.values() for d in g})
    docs = [nli4ct_trial(nli_dir / f"{d}.json") if d in nli else _chia_doc(chia_dir, d) for d in ids]
    return _set(f"trec{year}", f"TREC {year} judged pairs (pooled)", topics / "queries.jsonl", docs,
                topics / "qrels" / "test.tsv", True)  # fmt: skip


def nearmiss() -> RankingSet | None:
    from benchmarks.verdicts_corpus import build, devset_trial_ids

    if not (DEVSET / "queries.jsonl").is_file() or not DATA.is_dir():
        return None
    with tempfile.TemporaryDirectory(prefix="oncofed-devset-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        build(DATA, corpus, only=devset_trial_ids())
        docs = beir_trec.read_corpus(corpus)
    return _set("nearmiss", "verdict near-miss dev set (pooled)", DEVSET / "queries.jsonl", docs,
                DEVSET / "pairs.tsv", True)  # fmt: skip


def all_sets() -> list[RankingSet]:
    found = [f() for f in (birco, sigir, onco)] + [trec("2021"), trec("2022"), nearmiss()]
    return [s for s in found if s is not None and s.queries]


if __name__ == "__main__":
    for s in all_sets():
        print(
            s.name,
            len(s.queries),
            "queries",
            len(s.docs),
            "trials",
            sum(len(g) for g in s.qrels.values()),
            "judged",
        )
        json.dumps(s.qrels)
