"""Excluded trials below the others (issue 15 second pass, issue 16's promise): the product ranker's
nDCG@10 on the six judged sets with the score of `matching/rank.py:trial_score` (an excluded trial
goes below every trial that is not, `EXCLUDED_BELOW`) side by side with the previous flat penalty
(`WEIGHTS.violated` only), the same signals, the same verdicts, in one run.

    .venv/bin/python -m benchmarks.ranking_order [--cache var/bench-ranking-order.pkl] [--no-write]

Signals come from `benchmarks.bench_ranking.extract` (the product's code: first stage, relevance with
the dense layer as `ONCOFED_RERANK` says, criterion outcomes); writes its own section of
docs/BENCHMARKS.md ("ranking-order").
"""

from __future__ import annotations

import argparse
import pickle
import time
from pathlib import Path

import numpy as np

from benchmarks.bench_ranking import Query, extract, fmt, metrics, scores
from benchmarks.ranking_sets import all_sets
from benchmarks.report import ROOT, write_section
from oncofed.matching.rank import EXCLUDED_BELOW
from oncofed.matching.ranking.ranker import WEIGHTS

COMMAND = ".venv/bin/python -m benchmarks.ranking_order"


def ordered(q: Query, below: float) -> np.ndarray:
    """The product score with an excluded trial `below` the others (0: the flat penalty only);
    `bench_ranking.scores` is the product's (it holds `EXCLUDED_BELOW`)."""
    shift = np.where(q.evaluated, (EXCLUDED_BELOW - below) * q.excluded, 0.0).astype(np.float32)
    return scores(q, WEIGHTS) + shift


def relevance_sd(q: Query) -> float:
    """Standard deviation of the candidates' relevance (the score without its outcome terms)."""
    outcome = np.where(
        q.evaluated, -(WEIGHTS.violated + EXCLUDED_BELOW) * q.excluded - WEIGHTS.unknown * q.unknown, 0
    )
    return float(np.std(scores(q, WEIGHTS) - outcome))


def excluded_above(q: Query, s: np.ndarray, k: int = 10) -> int:
    """Trials of the top `k` ranked above a trial that is not excluded while being excluded."""
    order = np.lexsort((np.arange(len(s)), -s))[:k]
    flags = (q.excluded[order] > 0) & q.evaluated[order]
    return int(sum(1 for i, f in enumerate(flags) if f and (~flags[i + 1 :]).any()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cache", type=Path, default=ROOT / "var" / "bench-ranking-order.pkl")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    sets = all_sets()
    if not sets:
        print("data not found under ../shared/data: nothing measured")
        return 2
    feats: dict[str, list[Query]] = {}
    if args.cache.is_file():
        feats = pickle.loads(args.cache.read_bytes())
    for s in sets:
        if s.name not in feats:
            t0 = time.perf_counter()
            feats[s.name], _ = extract(s)
            print(f"{s.name}: signals in {time.perf_counter() - t0:.0f} s", flush=True)
    args.cache.parent.mkdir(parents=True, exist_ok=True)
    args.cache.write_bytes(pickle.dumps(feats))
    rows = [
        "| set | queries | relevance sd | nDCG@10 flat penalty (before) | nDCG@10 excluded below (now) | "
        "difference | hard tier (100) | top-10 excluded above a non-excluded trial (before → now) |",
        "|---|---:|---:|---|---|---:|---|---|",
    ]
    for s in sets:
        qs = feats[s.name]
        before = np.array([metrics(q, ordered(q, 0.0)) for q in qs])
        now = np.array([metrics(q, ordered(q, EXCLUDED_BELOW)) for q in qs])
        above_b = sum(excluded_above(q, ordered(q, 0.0)) for q in qs)
        above_n = sum(excluded_above(q, ordered(q, EXCLUDED_BELOW)) for q in qs)
        tier = np.array([metrics(q, ordered(q, 100.0)) for q in qs])
        diff = float((now[:, 0] - before[:, 0]).mean())
        sd = np.mean([relevance_sd(q) for q in qs if len(q.ids) > 1]) if qs else float("nan")
        rows.append(
            f"| {s.title} | {len(qs)} | {sd:.2f} | {fmt(before[:, 0])} | {fmt(now[:, 0])} | {diff:+.3f} | "
            f"{fmt(tier[:, 0])} | {above_b} → {above_n} |"
        )
    body = "\n".join(
        [
            "The product ranker (`ranking.ranker.WEIGHTS`, the same signals and criterion outcomes) with the "
            "previous flat penalty for an excluded trial (`WEIGHTS.violated`) and with `rank.trial_score`'s "
            f"order (an excluded trial a further {EXCLUDED_BELOW:g} below: below every trial that is not and "
            "whose relevance is within about one standard deviation, `relevance sd`), and with a hard tier "
            "(every excluded trial below every other). Brackets: 95 % bootstrap interval over queries; the "
            "last column counts, over the queries, the top-10 trials that are excluded and ranked above a "
            "trial that is not.",
            "",
            *rows,
        ]
    )
    print(body)
    if not args.no_write:
        write_section(
            "ranking-order", "Ranking order: excluded trials below the others (issue 15/16)", COMMAND, body
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
