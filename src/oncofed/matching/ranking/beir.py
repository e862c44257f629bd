"""Scores of TREC runs against BEIR qrels (nDCG@10, P@10, R-prec with ir-measures), and pools.

The files themselves (BEIR queries / corpus / qrels, TREC runs) are read and written by
`oncofed.ingest.beir_trec`: this engine module receives the parsed values, never a path.
"""

from __future__ import annotations

from collections.abc import Iterable

from oncofed.errors import InputError


def score_run(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """nDCG@10, P@10 and R-precision (relevant = grade >= 1) with ir-measures, over the judged queries."""
    import ir_measures
    from ir_measures import P, Rprec, nDCG

    measures = [nDCG @ 10, P(rel=1) @ 10, Rprec(rel=1)]
    qrel_rows = [ir_measures.Qrel(q, d, g) for q, docs in qrels.items() for d, g in docs.items()]
    run_rows = [
        ir_measures.ScoredDoc(q, d, s) for q, docs in run.items() if q in qrels for d, s in docs.items()
    ]
    if not run_rows:
        raise InputError("no query of the run is in the qrels", fix="score a run made from the same queries")
    agg = ir_measures.calc_aggregate(measures, qrel_rows, run_rows)
    names = {str(nDCG @ 10): "nDCG@10", str(P(rel=1) @ 10): "P@10", str(Rprec(rel=1)): "R-prec"}
    return {names[str(m)]: float(v) for m, v in agg.items()}


def pools_from_qrels(qrels: dict[str, dict[str, int]]) -> dict[str, list[str]]:
    return {q: list(docs) for q, docs in qrels.items()}


def restrict(ids: Iterable[str], allowed: set[str]) -> list[str]:
    return [i for i in ids if i in allowed]
