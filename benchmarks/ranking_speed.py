"""Speed of the one ranker with its dense layer: one patient (a stored record, as `oncofed match` ranks
it) against 100,000 open synthetic trials (bench_matching's generator), top 20 with full criterion
tables, the reranker on every candidate of the first stage. Called by `benchmarks.bench_ranking`.

Every variant is measured on the same patients in the same run, interleaved patient by patient (the
2 cores are shared: only figures side by side compare):

* as shipped before this change: sentence-transformers on PyTorch with torch's default 2 threads, the
  whole text and its sentences in one padded batch (`LegacyEmbedder`);
* PyTorch, 1 thread, batches by length (`encoder.TorchMiniLM`);
* ONNX Runtime, the same weights in float32 (`onnx`, the default), and with int8 MatMuls (`onnx-int8`);
* the lexical ranker (dense layer off), what bench_matching measures.

Cold: nothing of the patient's text was encoded before and no BM25 pass of it is kept (the in-memory
caches are emptied before the query); new patient: this patient's text was never encoded, but the sentences of the patients ranked
before it are known (a running server: case summaries repeat sentences such as "ECOG performance
status 1."); warm: the same query again (its vectors in memory, as on the page's JSON twin or after a
board freeze, or read back from `patient_text_vectors`). The variants reuse their base trial's embeddings (embedding
1.7 M passages takes hours on this CPU; the per-query work does not depend on it).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from oncofed.matching.ranking import dense as dense_mod
from oncofed.matching.ranking.encoder import DIM, MODEL_NAME, TorchMiniLM

VARIANTS = (
    ("before", "as shipped before: PyTorch, 2 threads, one padded batch"),
    ("torch", "PyTorch, 1 thread, batches by length"),
    ("onnx", "**ONNX Runtime float32, the same vectors as PyTorch (the default)**"),
    ("onnx-int8", "ONNX Runtime int8 MatMuls (opt-in: `ONCOFED_DENSE_BACKEND=onnx-int8`)"),
    ("off", "lexical only (`ONCOFED_RERANK=off`)"),
)


class LegacyEmbedder:
    """The encoder as it was shipped before: one `encode` call with batch_size 32 (a patient's whole
    text and its sentences padded to the longest), torch's default intra-op threads (2 here)."""

    name = MODEL_NAME
    backend = "torch-before"

    def __init__(self, reference: TorchMiniLM) -> None:
        self.model = reference.model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        threads = torch.get_num_threads()
        torch.set_num_threads(os.cpu_count() or 2)
        try:
            vecs = self.model.encode(
                list(texts), normalize_embeddings=True, batch_size=32, show_progress_bar=False
            )
        finally:
            torch.set_num_threads(threads)
        return np.asarray(vecs, dtype=np.float32)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def _stages(index: Any, queries: Sequence[Any], day: Any) -> dict[str, list[float]]:
    """CPU of each stage of a cold query, run one after the other in this thread."""
    from oncofed.matching.assess import assess_trial, ranking_assess
    from oncofed.matching.facts import PatientView
    from oncofed.matching.pipeline import DEFAULT_CANDIDATES, cohorts_of
    from oncofed.matching.ranking.dense import SentenceCache
    from oncofed.matching.retrieve import patient_text

    names = {
        "first stage (2 BM25 passes over every open trial, hard filters, fusion)": "first",
        f"criterion outcomes of the {DEFAULT_CANDIDATES} candidates (codes only)": "outcomes",
        "encoding the patient text (whole text + sentences)": "encode",
        "relevance signals (demographics, dense, MaxSim over the passages) and combination": "signals",
        "20 full criterion tables with evidence": "tables",
    }
    out: dict[str, list[float]] = {k: [] for k in names}
    dense = index.dense_index()
    for p in queries:
        dense_mod.QUERIES.clear()
        dense_mod.SENTENCES = SentenceCache()
        index._bm25_memo.clear()
        view, memo = PatientView.of(p), {}
        times = []
        c = time.process_time()
        first = index.candidates(p, day, DEFAULT_CANDIDATES)
        pos = [i for i, _ in first]
        times.append(time.process_time() - c)
        c = time.process_time()
        for i in pos:
            ranking_assess(index.entries[i].plans, cohorts_of(index, i), view, day, memo)
        times.append(time.process_time() - c)
        c = time.process_time()
        dense.query(patient_text(p, day))  # kept in memory: `relevance` reads it back
        times.append(time.process_time() - c)
        c = time.process_time()
        index.relevance(pos, p, day)
        times.append(time.process_time() - c)
        c = time.process_time()
        for i in pos[:20]:
            e = index.entries[i]
            assess_trial(e.criteria, view, day, memo, e.plans)
        times.append(time.process_time() - c)
        for k, t in zip(names, times, strict=True):
            out[k].append(t * 1000)
    return out


def speed(n_trials: int, n_queries: int) -> str:
    from benchmarks.bench_matching import DAY as MDAY
    from benchmarks.bench_matching import base_trials, patients, synthetic
    from oncofed.matching.pipeline import DEFAULT_CANDIDATES, match_patient
    from oncofed.matching.ranking.dense import (
        DenseIndex,
        QueryCache,
        SentenceCache,
        encode_queries,
        get_embedder,
        sentences,
    )
    from oncofed.matching.ranking.query import profile_text
    from oncofed.matching.retrieve import TrialIndex

    bases = base_trials()
    trials, criteria = synthetic(n_trials, bases)
    t0 = time.perf_counter()
    index = TrialIndex(trials, criteria_of=lambda t: criteria[t.id], dense=True)
    build = time.perf_counter() - t0
    del trials
    order = np.array([int(e.trial.id[4:]) % len(bases) for e in index.entries], dtype=np.int64)
    embedders: dict[str, Any] = {b: get_embedder(b) for b in ("torch", "onnx", "onnx-int8")}
    embedders["before"] = LegacyEmbedder(embedders["torch"])
    embed_s: dict[str, float] = {}
    subsets: dict[str, Any] = {}
    for name in ("torch", "onnx", "onnx-int8"):  # each back end embeds the base trials itself
        t0 = time.perf_counter()
        base = DenseIndex([b for b, _ in bases], embedder=embedders[name], memo=dense_mod.EmbeddingMemo())
        embed_s[name] = time.perf_counter() - t0
        subsets[name] = base.subset(order)
    queries = patients(n_queries, seed=123)
    texts = [profile_text(p, MDAY) for p in queries]
    stats: dict[str, dict[str, list[float]]] = {
        v: {"cold": [], "new": [], "warm": [], "cpu": [], "encode": []} for v, _ in VARIANTS
    }
    seen = {v: SentenceCache() for v, _ in VARIANTS}  # the sentences of the patients ranked before
    process_sentences = dense_mod.SENTENCES
    for p, text in zip(queries, texts, strict=True):
        for variant, _ in VARIANTS:
            if variant == "off":
                index.use_dense = False
            else:
                index.use_dense = True
                sub = subsets["torch" if variant == "before" else variant]
                sub.embedder = embedders[variant]
                index._dense = sub
            dense_mod.QUERIES.clear()  # cold: nothing of this text, nor any sentence, encoded before,
            index._bm25_memo.clear()  # and no BM25 pass of its texts kept from the variant before
            dense_mod.SENTENCES = SentenceCache()
            t0, c0 = time.perf_counter(), time.process_time()
            report = match_patient(index, p, day=MDAY, limit=20)
            stats[variant]["cold"].append((time.perf_counter() - t0) * 1000)
            stats[variant]["cpu"].append((time.process_time() - c0) * 1000)
            if variant not in ("before", "off"):  # a new patient in a running server
                dense_mod.QUERIES.clear()
                dense_mod.SENTENCES = seen[variant]
                t0 = time.perf_counter()
                match_patient(index, p, day=MDAY, limit=20)
                stats[variant]["new"].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            match_patient(index, p, day=MDAY, limit=20)  # warm: its vectors are in memory now
            stats[variant]["warm"].append((time.perf_counter() - t0) * 1000)
            if variant != "off":
                t0 = time.perf_counter()
                encode_queries(embedders[variant], [text], cache=QueryCache(), sentence_cache=SentenceCache())
                stats[variant]["encode"].append((time.perf_counter() - t0) * 1000)
            assert report.results
    index._dense = subsets["onnx"]
    subsets["onnx"].embedder = embedders["onnx"]
    index.use_dense = True
    stages = _stages(index, queries, MDAY)
    dense_mod.SENTENCES = process_sentences
    load = os.getloadavg()
    n_sent = statistics.mean(len(sentences(t)) for t in texts)
    lines = [
        f"**Speed**: one patient (stored record) against {len(index):,} open trials, top 20 with full criterion "
        f"tables; the reranker (dense similarity + sentence-passage MaxSim) scores every candidate of the first "
        f"stage ({DEFAULT_CANDIDATES} reranked); {len(queries)} patients one at a time, every variant on the same "
        f"patient in turn (a patient's text is its whole case summary plus {n_sent:.1f} sentences on average, "
        f"encoded in one call). Load average during the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        f"(1 / 5 / 15 min) on {os.cpu_count()} cores.",
        "",
        "| encoder | cold p50 | cold p95 | new patient p50 | new patient p95 | warm p50 | warm p95 | CPU p50 (cold) "
        "| encoding the text p50 (nothing cached) | target p50 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for variant, title in VARIANTS:
        s = stats[variant]
        enc = f"{statistics.median(s['encode']):.0f} ms" if s["encode"] else "-"
        new = f"{statistics.median(s['new']):.0f} ms | {_pct(s['new'], 0.95):.0f} ms" if s["new"] else "- | -"
        lines.append(
            f"| {title} | {statistics.median(s['cold']):.0f} ms | {_pct(s['cold'], 0.95):.0f} ms | {new} | "
            f"{statistics.median(s['warm']):.0f} ms | {_pct(s['warm'], 0.95):.0f} ms | "
            f"{statistics.median(s['cpu']):.0f} ms | {enc} | <= 100 ms |"
        )
    lines += [
        "",
        "Where the CPU of a cold query goes (ONNX float32, each stage run on its own, one thread, p50 over the "
        "same patients):",
        "",
        "| stage | CPU p50 | CPU mean |",
        "|---|---:|---:|",
    ]
    for stage, values in stages.items():
        lines.append(f"| {stage} | {statistics.median(values):.1f} ms | {statistics.mean(values):.1f} ms |")
    ratio = statistics.median(stats["before"]["cold"]) / statistics.median(stats["onnx"]["cold"])
    lines += [
        "",
        f"Cold p50, before / now: {ratio:.1f}x. One-off: index build (text index, filters, plans, populations) "
        f"{build:.0f} s; embedding the {len(bases)} base trials {embed_s['torch']:.0f} s with PyTorch (1 thread), "
        f"{embed_s['onnx']:.0f} s with ONNX Runtime float32, {embed_s['onnx-int8']:.0f} s int8.",
    ]
    return "\n".join(lines)
